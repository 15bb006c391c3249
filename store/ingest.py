"""From documents to stored facts: extraction over many files (all cores) and one atomic commit.

Batch policy: all-or-nothing by default (one unreadable file aborts the batch and the store is
unchanged); with keep_going the readable files are committed and the bad ones reported. Either
way the caller exits non-zero when any file was refused.
"""

from __future__ import annotations

import bisect
import os
import re
import signal
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from tibet_facts.store.db.paths import default_store_path
from tibet_facts.store.model import Document, Fact, fact_id
from tibet_facts.store.repository import AddResult, FactStore

if TYPE_CHECKING:  # reading documents is only needed to write; lookups stay light
    from tibet_facts.store.corpus import Source
    from tibet_facts.store.db.spool import FactSpool

Progress = Callable[[str], None]
# (stage, done, total): "reading" files, then "extracting" documents; drives a progress bar.
Steps = Callable[[str, int, int], None]
# A document longer than four of these is extracted a piece of this many characters at a time.
CHUNK_CHARS = 250_000
# Below this much text, starting worker processes costs more than it saves.
PARALLEL_MIN_CHARS = 400_000


@dataclass(frozen=True, slots=True)
class Piece:
    """A unit of extraction work (picklable for a worker): a whole document, or a piece of a huge
    one (a compilation, a dump: no news article is megabytes long) cut between paragraphs."""

    doc_id: str
    doc_name: str
    date: str
    language: str
    text: str
    offset: int  # where text starts in the document
    body_start: int  # where extraction starts in text (after front matter)
    pages: tuple[int, ...] = ()  # a PDF's: where each page starts in the document


def is_huge(source: Source) -> bool:
    """Over four pieces of text: extracted a piece at a time (and not read back after an ingest)."""
    return len(source.document.text) - source.body_start > CHUNK_CHARS * 4


Spans = list[tuple[int, int]] | None  # where a huge document is cut; None: extracted whole


def spans_of(source: Source) -> Spans:
    return list(_pieces(source.document.text, source.body_start)) if is_huge(source) else None


def pieces_of(source: Source, spans: Spans = None) -> Iterator[Piece]:
    """A document as work: itself, or its pieces (spans, from `spans_of`), so that memory
    follows the piece, not the file."""
    doc = source.document
    pages = tuple(doc.pages)
    if spans is None:
        yield Piece(doc.id, doc.name, doc.date, doc.language, doc.text, 0, source.body_start,
                    pages)
        return
    for lo, hi in spans:
        yield Piece(doc.id, doc.name, doc.date, doc.language, doc.text[lo:hi], lo, 0, pages)


# Signals a user ends an ingest with: held while this process forks (see signals_held).
HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold ctrl-c, TERM and HUP while the block forks: a signal during a fork interrupted
    Python's at-fork handlers (logging's lock), which print "Exception ignored ... Traceback" and
    swallow the interrupt; held, it is delivered right after, the normal way. A forked worker
    lets them through again at its first piece (extract_piece)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def extract_piece(piece: Piece) -> list[Fact]:
    """The facts of one piece, placed in its whole document (a pure function of the piece)."""
    from tibet_facts.store.extract.pipeline import extract_facts

    if hasattr(signal, "pthread_sigmask"):  # a worker forked under signals_held
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)

    facts = extract_facts(piece.text, doc_id=piece.doc_id, doc_name=piece.doc_name, date=piece.date,
                          language=piece.language, body_start=piece.body_start)
    lo = piece.offset
    if lo:
        facts = [replace(f, id=fact_id(f.doc_id, f.start + lo, f.end + lo), start=f.start + lo, end=f.end + lo,
                         quote_start=f.quote_start + lo, sentence_start=f.sentence_start + lo,
                         sentence_end=f.sentence_end + lo) for f in facts]
    if piece.pages:  # each fact on the page its number is on
        facts = [replace(f, page=bisect.bisect_right(piece.pages, f.start)) for f in facts]
    return facts


def extract_source(source: Source) -> list[Fact]:
    """The facts of one document (a pure function of its text and metadata)."""
    return [f for piece in pieces_of(source, spans_of(source)) for f in extract_piece(piece)]


_SENTENCE_BREAK = re.compile(r"[。！？!?；;…”」』）)][ \t]*\n")


def _pieces(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Spans of about CHUNK_CHARS that end at a line break after a sentence (or the text's end)."""
    pos = start
    while pos < len(text):
        end = min(len(text), pos + CHUNK_CHARS)
        if end < len(text):
            # at a line break after a sentence's end: scraped text breaks lines (even with a blank
            # line) inside sentences, which the normalizer joins again
            last = deque(_SENTENCE_BREAK.finditer(text, pos + CHUNK_CHARS // 2, end), maxlen=1)
            if last:
                end = last[0].end()
        yield pos, end
        pos = end


# The sources of a batch, each with where it is cut (Source is imported for type checks only).
Plan: TypeAlias = "list[tuple[Source, Spans]]"


def _plan(sources: list[Source]) -> Plan:
    """Each source with its spans, found once: counting pieces and cutting them read the same."""
    return [(source, spans_of(source)) for source in sources]


Work: TypeAlias = Generator[tuple[Piece, list[Fact]], None, None]


def _work(plan: Plan, workers: int | None) -> Work:
    """Each piece of each source with its facts, in order (see _run)."""
    total = sum(len(s.document.text) for s, _ in plan)
    pieces = (piece for source, spans in plan for piece in pieces_of(source, spans))
    return _run(pieces, workers, total >= PARALLEL_MIN_CHARS)


def _run(pieces: Iterator[Piece], workers: int | None, parallel: bool) -> Work:
    """Each piece with its facts, in order; a large batch is spread over every core, with a few
    pieces in flight at a time (never the whole batch queued as copies): `pieces` is pulled as
    workers free up, so a lazy one (an ingest reading its files) reads while they extract.
    Consumers close it (`closing`) so that their own failure stops the workers at once."""
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 1 or not parallel:
        for piece in pieces:
            yield piece, extract_piece(piece)
        return
    from concurrent.futures import Future

    from tibet_facts.store.workers import worker_pool

    with worker_pool(n) as pool:  # its workers die with this process, and with an early exit
        flight: deque[tuple[Piece, Future[list[Fact]]]] = deque()
        for piece in pieces:
            with signals_held():  # a submit may fork a worker
                flight.append((piece, pool.submit(extract_piece, piece)))
            if len(flight) >= 2 * n:
                first, future = flight.popleft()
                yield first, future.result()
        while flight:
            first, future = flight.popleft()
            yield first, future.result()


def _counted(plan: Plan, steps: Steps | None) -> Callable[[], None]:
    """A tick per piece done, for the progress bar (a huge document shows its pieces)."""
    total = sum(len(spans) if spans is not None else 1 for _, spans in plan)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if steps:
            steps("extracting", done, total)

    return tick


def extract_sources(sources: list[Source], *, workers: int | None = None,
                    steps: Steps | None = None) -> list[list[Fact]]:
    """Facts per source, in order (for a rebuild, which replaces them in memory)."""
    out: dict[str, list[Fact]] = {s.document.id: [] for s in sources}
    plan = _plan(sources)
    tick = _counted(plan, steps)
    with closing(_work(plan, workers)) as work:
        for piece, facts in work:
            out[piece.doc_id] += facts
            tick()
    return [out[s.document.id] for s in sources]


def spool_sources(sources: list[Source], spool: FactSpool, *, workers: int | None = None,
                  steps: Steps | None = None) -> None:
    """Extract every source into the spool, a piece at a time: an ingest's memory does not grow
    with the facts it finds."""
    plan = _plan(sources)
    tick = _counted(plan, steps)
    # closed here, not when the garbage collector gets to it: a failed write (a full disk) would
    # otherwise leave the pool computing its pieces in flight, and an exit waiting for them
    with closing(_work(plan, workers)) as work:
        for piece, facts in work:
            spool.add(piece.doc_id, facts)
            tick()


@dataclass(slots=True)
class IngestReport:
    """What an ingest read, refused and committed."""

    documents: list[Document] = field(default_factory=list)
    fact_counts: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    added: AddResult | None = None

    @property
    def ok(self) -> bool:
        return not self.refused


def read_sources(items: Iterable[Path | str], report: IngestReport, *, encoding: str | None = None,
                 max_bytes: int | None = None, steps: Steps | None = None) -> list[Source]:
    """The documents of files, folders and URLs (http, https), each refused one a line in the
    report; web pages, PDFs and Word files are read in child processes (readers/sandbox.py)."""
    return list(iter_sources(items, report, encoding=encoding, max_bytes=max_bytes, steps=steps))


def iter_sources(items: Iterable[Path | str], report: IngestReport, *, encoding: str | None = None,
                 max_bytes: int | None = None, steps: Steps | None = None) -> Iterator[Source]:
    """read_sources one document at a time, as it is read."""
    from tibet_facts.store.corpus import SUFFIXES, expand_paths, manifest_of, read_source, reader_kind
    from tibet_facts.store.errors import DecodeError
    from tibet_facts.store.readers.url import is_url
    from tibet_facts.store.sanitize import safe_text

    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    items = list(items)
    urls = [str(item) for item in items if is_url(item)]
    paths = [Path(item) for item in items if not is_url(item)]
    for folder in (p for p in paths if p.is_dir()):
        if not any(expand_paths([folder])):
            report.refused.append(f"{safe_text(str(folder), single_line=True)}: no documents "
                                  f"({' '.join(sorted(SUFFIXES))}) in this folder")
    files = list(expand_paths(paths))
    with closing(_read_ahead([p for p in files if reader_kind(p)], encoding, max_bytes)) as read:
        for n, path in enumerate(files, 1):
            if steps:
                steps("reading", n, len(files))
            try:
                outcome = next(read) if reader_kind(path) else None
                source = read_source(path, encoding=encoding, max_bytes=max_bytes,
                                     manifest=manifest_of(path, manifests), outcome=outcome)
            except DecodeError as exc:
                report.refused.append(str(exc))
                continue
            yield source
    yield from _fetched(urls, report, encoding, max_bytes)


def _fetched(urls: list[str], report: IngestReport, encoding: str | None,
             max_bytes: int | None) -> list[Source]:
    """The documents of URLs, fetched one after another; each failure one line in the report."""
    from tibet_facts.store.corpus import read_url
    from tibet_facts.store.errors import DecodeError

    sources = []
    for url in urls:
        try:
            sources.append(read_url(url, encoding=encoding, max_bytes=max_bytes))
        except DecodeError as exc:
            report.refused.append(str(exc))
    return sources


def _read_ahead(paths: list[Path], encoding: str | None,
                max_bytes: int | None) -> Generator[Any, None, None]:
    """The web pages, PDFs and Word files of a batch read in child processes, a core each, in
    order, while this process reads the text files (readers/sandbox.py)."""
    if not paths:
        return
    from tibet_facts.store.corpus import reader_job
    from tibet_facts.store.readers.sandbox import read_all

    yield from read_all([reader_job(p, encoding=encoding, max_bytes=max_bytes) for p in paths])


def ingest_paths(store: FactStore, paths: Iterable[Path | str], *, encoding: str | None = None,
                 keep_going: bool = False, max_bytes: int | None = None, wait: bool = True,
                 notify: Progress | None = None, steps: Steps | None = None,
                 workers: int | None = None) -> IngestReport:
    """Read, extract and commit in one write; nothing is written when a file is refused
    (unless keep_going). The files are read while the workers extract the ones read before
    (reading a folder one file after another, then extracting it, left a core idle while the
    parent read: 0.65 s of a 14 s ingest of 300 files)."""
    from tibet_facts.store.db.spool import FactSpool

    items = list(paths)
    report = IngestReport()
    batch = _Batch(set(store.documents), report, keep_going)
    sources = iter_sources(items, report, encoding=encoding, max_bytes=max_bytes, steps=steps)
    with FactSpool(store.path.parent) as spool:
        pieces = (piece for source in batch.new(sources)
                  for piece in pieces_of(source, spans_of(source)))
        parallel = _estimated_chars(items) >= PARALLEL_MIN_CHARS
        with closing(_run(pieces, workers, parallel)) as work:
            for done, (piece, facts) in enumerate(work, 1):
                spool.add(piece.doc_id, facts)
                if steps:
                    steps("extracting", done, max(done, batch.count))
        report.documents = [s.document for s in batch.sources]
        if report.refused and not keep_going:
            return report  # read, but not stored
        for src in batch.todo:
            report.fact_counts[src.document.id] = spool.count(src.document.id)
        huge = any(map(is_huge, batch.todo))
        report.added = store.append([s.document for s in batch.todo], spool, wait=wait,
                                    notify=notify, reload=not huge)
    return report


@dataclass(slots=True)
class _Batch:
    """The sources of an ingest as they are read: all of them, and those to extract (not stored
    yet, not met earlier in the batch, and none once a file is refused unless keep_going)."""

    known: set[str]
    report: IngestReport
    keep_going: bool
    sources: list[Source] = field(default_factory=list)
    todo: list[Source] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.todo)

    def new(self, sources: Iterable[Source]) -> Iterator[Source]:
        for source in sources:
            self.sources.append(source)
            if self.report.refused and not self.keep_going:
                continue  # nothing will be stored: read on only to name every refused file
            if source.document.id not in self.known:
                self.known.add(source.document.id)
                self.todo.append(source)
                yield source


def _estimated_chars(items: list[Path | str]) -> int:
    """About how much text a batch holds, from its files' sizes (worth starting workers?); a
    folder or a URL counts as large: it is one when it is worth asking."""
    total = 0
    for item in items:
        path = Path(item) if not isinstance(item, Path) else item
        try:
            total += path.stat().st_size if path.is_file() else PARALLEL_MIN_CHARS
        except OSError:
            continue
    return total


def commit_sources(store: FactStore, sources: list[Source], report: IngestReport | None = None, *,
                   wait: bool = True, notify: Progress | None = None, steps: Steps | None = None) -> IngestReport:
    """Extract the sources not stored yet (into a spool on disk) and append them in one write.
    A batch that held a huge document (extracted in pieces) is not read back into memory: the
    next reader builds the store's index."""
    from tibet_facts.store.db.spool import FactSpool

    report = report or IngestReport()
    known = set(store.documents)
    todo = list({s.document.id: s for s in sources if s.document.id not in known}.values())
    report.documents = [s.document for s in sources]
    huge = any(map(is_huge, todo))
    with FactSpool(store.path.parent) as spool:
        spool_sources(todo, spool, steps=steps)
        for src in todo:
            report.fact_counts[src.document.id] = spool.count(src.document.id)
        report.added = store.append([s.document for s in todo], spool, wait=wait, notify=notify, reload=not huge)
    return report


def build_from_seeds(store: FactStore, *, notify: Progress | None = None) -> IngestReport:
    """First use: fill an empty store with the bundled corpus."""
    from tibet_facts.store.corpus import seed_sources

    if notify:
        notify(f"building the fact store from the bundled documents at {store.path} …")
    return commit_sources(store, seed_sources(), notify=notify)


def open_store(path: Path | str | None = None, *, notify: Progress | None = None,
               seed: bool = True) -> FactStore:
    """Open the store at path (default: $TIBET_FACTS_STORE or the XDG data folder);
    on first use, when no file exists there, build it from the bundled seeds."""
    store = FactStore.open(Path(path) if path else default_store_path())
    if seed and not store.exists():
        build_from_seeds(store, notify=notify)
    return store
