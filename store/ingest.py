"""From documents to stored facts: extraction over many files (all cores) and one atomic commit.

Batch policy: all-or-nothing by default (one unreadable file aborts the batch and the store is
unchanged); with keep_going the readable files are committed and the bad ones reported. Either
way the caller exits non-zero when any file was refused.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tibet_facts.store.model import Document, Fact, fact_id
from tibet_facts.store.repository import AddResult, FactStore, default_store_path

if TYPE_CHECKING:  # reading documents is only needed to write; lookups stay light
    from tibet_facts.store.corpus import Source

Progress = Callable[[str], None]
# (stage, done, total): "reading" files, then "extracting" documents; drives a progress bar.
Steps = Callable[[str, int, int], None]
# A document longer than four of these is extracted a piece of this many characters at a time.
CHUNK_CHARS = 250_000
# Below this much text, starting worker processes costs more than it saves.
PARALLEL_MIN_CHARS = 400_000


def extract_source(source: Source) -> list[Fact]:
    """The facts of one document (a pure function of its text and metadata). A huge one (a
    compilation, a dump: no news article is megabytes long) is read a piece at a time, cut
    between paragraphs, so memory follows the piece, not the file."""
    from tibet_facts.store.extract.pipeline import extract_facts

    doc = source.document
    if len(doc.text) - source.body_start <= CHUNK_CHARS * 4:
        return extract_facts(doc.text, doc_id=doc.id, doc_name=doc.name, date=doc.date,
                             language=doc.language, body_start=source.body_start)
    out: list[Fact] = []
    for lo, hi in _pieces(doc.text, source.body_start):
        for f in extract_facts(doc.text[lo:hi], doc_id=doc.id, doc_name=doc.name, date=doc.date,
                               language=doc.language):
            out.append(replace(f, id=fact_id(doc.id, f.start + lo, f.end + lo), start=f.start + lo,
                               end=f.end + lo, quote_start=f.quote_start + lo, sentence_start=f.sentence_start + lo,
                               sentence_end=f.sentence_end + lo))
    return out


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


def extract_sources(sources: list[Source], *, workers: int | None = None,
                    steps: Steps | None = None) -> list[list[Fact]]:
    """Facts per source, in order; a large batch is spread over every core."""
    total = sum(len(s.document.text) for s in sources)
    n = workers if workers is not None else (os.cpu_count() or 1)
    out: list[list[Fact]] = []
    if n <= 1 or len(sources) < 2 or total < PARALLEL_MIN_CHARS:
        for source in sources:
            out.append(extract_source(source))
            if steps:
                steps("extracting", len(out), len(sources))
        return out
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(n, len(sources))) as pool:
        for facts in pool.map(extract_source, sources, chunksize=1):
            out.append(facts)
            if steps:
                steps("extracting", len(out), len(sources))
    return out


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


def read_sources(paths: Iterable[Path], report: IngestReport, *, encoding: str | None = None,
                 max_bytes: int | None = None, steps: Steps | None = None) -> list[Source]:
    from tibet_facts.store.corpus import SUFFIXES, expand_paths, manifest_of, read_source
    from tibet_facts.store.errors import DecodeError
    from tibet_facts.store.sanitize import safe_text

    sources = []
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    paths = list(paths)
    for folder in (p for p in paths if p.is_dir()):
        if not any(expand_paths([folder])):
            report.refused.append(f"{safe_text(str(folder), single_line=True)}: no documents "
                                  f"({' '.join(sorted(SUFFIXES))}) in this folder")
    files = list(expand_paths(paths))
    for n, path in enumerate(files, 1):
        if steps:
            steps("reading", n, len(files))
        try:
            sources.append(read_source(path, encoding=encoding, max_bytes=max_bytes,
                                       manifest=manifest_of(path, manifests)))
        except DecodeError as exc:
            report.refused.append(str(exc))
    return sources


def ingest_paths(store: FactStore, paths: Iterable[Path], *, encoding: str | None = None,
                 keep_going: bool = False, max_bytes: int | None = None, wait: bool = True,
                 notify: Progress | None = None, steps: Steps | None = None) -> IngestReport:
    """Read, extract and commit in one write; nothing is written when a file is refused
    (unless keep_going)."""
    report = IngestReport()
    sources = read_sources(paths, report, encoding=encoding, max_bytes=max_bytes, steps=steps)
    if report.refused and not keep_going:
        report.documents = [s.document for s in sources]  # read, but not stored
        return report
    return commit_sources(store, sources, report, wait=wait, notify=notify, steps=steps)


def commit_sources(store: FactStore, sources: list[Source], report: IngestReport | None = None, *,
                   wait: bool = True, notify: Progress | None = None, steps: Steps | None = None) -> IngestReport:
    report = report or IngestReport()
    known = set(store.documents)
    todo = [s for s in sources if s.document.id not in known]
    facts_per = extract_sources(todo, steps=steps)
    all_facts = [f for facts in facts_per for f in facts]
    for src, facts in zip(todo, facts_per, strict=True):
        report.fact_counts[src.document.id] = len(facts)
    report.documents = [s.document for s in sources]
    report.added = store.add([s.document for s in todo], all_facts, wait=wait, notify=notify)
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


def rebuild(store: FactStore) -> int:
    """Re-extract every stored document (after an upgrade); corrections are kept, keyed by fact id."""
    from tibet_facts.store.corpus import Source, front_matter

    sources = [Source(doc, front_matter(doc.text)[1]) for doc in store.documents.values()]
    facts_per = extract_sources(sources)
    return store.replace_facts({s.document.id: f for s, f in zip(sources, facts_per, strict=True)})
