"""Documents in: the bundled seeds with their manifest, the user's files and folders, front matter.

A document may open with front matter (`---` lines holding `title:`, `date:`, `source:`,
`language:`, `publisher:`) as Markdown tools write it: it gives the metadata and is skipped by
extraction, while offsets still point into the whole text.

A date (front matter, manifest.json) must be a calendar date written YYYY, YYYY-MM or YYYY-MM-DD
(a time after the day, as Hugo and Jekyll write it, is dropped). An invalid one is ignored as if
it were not there, with one warning line naming the file: the document is still stored, dated
from the next source (the manifest, then the date printed at its top) or "unknown".

A folder is walked for the document suffixes, and every entry of those names is a document to
read: a FIFO, a link to a device, a broken or looping link, or a subfolder that cannot be listed
is passed on to be refused by name, never skipped in silence (a batch is all or nothing).
"""

from __future__ import annotations

import datetime
import errno
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from tibet_facts.store.decode import read_document
from tibet_facts.store.errors import DecodeError
from tibet_facts.store.model import Document, doc_id_for
from tibet_facts.store.sanitize import safe_text

if TYPE_CHECKING:  # the readers' libraries load only when such a document is read
    from tibet_facts.store.readers import ReadDocument
    from tibet_facts.store.readers.sandbox import Job

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx"}
# A browser's "save page" keeps the page's images, scripts and styles in a folder beside it
# (page.html + page_files/): those are not documents, and its .htm frames are not articles.
_ASSET_FOLDERS = ("_files", ".files", "-Dateien", "_archivos", "_fichiers")
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_META_KEYS = {"title", "date", "source", "language", "publisher", "lang"}
_NOT_SPACE = re.compile(r"\S")
# Metadata is guessed from this much of a document's top.
HEAD_CHARS = 20000


@dataclass(slots=True)
class Source:
    """A document ready for extraction: its record and where its body (after front matter) starts."""

    document: Document
    body_start: int


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """The front matter's keys and the offset where the body starts (0 when there is none)."""
    m = _FRONT.match(text)
    if not m:
        return {}, 0
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in _META_KEYS:
            meta["language" if key == "lang" else key] = value.strip().strip("\"'")
    return meta, m.end()


_CJK_CHAR = re.compile("[\u4e00-\u9fff]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def guess_language(text: str) -> str:
    """zh when CJK characters are at least a tenth of the letters, else en (counted by regex:
    a generator over 20,000 characters cost 2 ms a file, most of reading a folder)."""
    sample = text[:20000]
    cjk = len(_CJK_CHAR.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    return "zh" if cjk * 3 >= latin * 0.3 and cjk > 0 else "en"


def guess_title(text: str) -> str:
    """The first line of four characters or more, looked for near the top (not through a dump)."""
    for line in text[:HEAD_CHARS].splitlines():
        line = line.strip().lstrip("#").strip()
        if len(line) >= 4:
            return line[:120]
    return ""


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ]\d.*)?)?)?")
DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
Warn = Callable[[str], None]


def checked_date(value: str) -> str | None:
    """value as a stored date (YYYY, YYYY-MM or YYYY-MM-DD) when it names a real calendar date,
    else None; a time after the day (2024-05-01T10:00:00+08:00) is dropped."""
    m = _ISO_DATE.fullmatch(value.strip())
    if not m:
        return None
    year, month, day = m.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:  # month 13, February 30, year 0
        return None
    return "-".join(part for part in (year, month, day) if part)


def _pick_date(given: list[tuple[str, str | None]], head: str, warn: Warn | None,
               weak: str = "") -> str:
    """The first valid given date (front matter, manifest, the page's own metadata), else the one
    printed in the text, else a weak one (a PDF's or Word file's creation date: when the file was
    made, not when the report was); each invalid one is named in a warning."""
    bad = []
    chosen = ""
    for where, value in given:
        if value and value != "unknown":
            chosen = checked_date(value) or ""
            if chosen:
                break
            bad.append((where, value))
    date = chosen or guess_date(head)
    if date == "unknown" and weak:
        date = checked_date(weak) or date
    for where, value in bad:
        if warn:
            warn(f"{where} date {value!r} is not a calendar date ({DATE_FORMS}); ignored, date {date}")
    return date


def warn_on_stderr(message: str) -> None:
    """One warning line, in the form of the CLI's error lines (stderr is looked up at the call)."""
    sys.stderr.write(f"tibet-facts: {safe_text(message, single_line=True)}\n")


_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.年]\s?(\d{1,2})(?:[-/.月]\s?(\d{1,2})日?)?(?!\d)"),
    re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+"
               r"(\d{1,2}),?\s*((?:19|20)\d\d)\b", re.I),
)


def guess_date(text: str) -> str:
    """The publication date a news page prints near its top (2024-04-18, 2020年6月24日, June 24,2020)."""
    head = text[:600]
    found: list[tuple[int, str]] = []
    m = _DATE_PATTERNS[0].search(head)
    if m:
        day = f"-{int(m.group(3)):02d}" if m.group(3) else ""
        found.append((m.start(), f"{m.group(1)}-{int(m.group(2)):02d}{day}"))
    m = _DATE_PATTERNS[1].search(head)
    if m:
        month = _EN_MONTHS.index(m.group(1).lower()) + 1
        found.append((m.start(), f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}"))
    found = [(at, date) for at, date in found if checked_date(date)]  # no 2024年2月30日
    return min(found)[1] if found else "unknown"


def make_source(name: str, text: str, *, encoding: str = "utf-8", meta: dict[str, str] | None = None,
                warn: Warn | None = None, found: dict[str, str] | None = None,
                file_type: str = "text", pages: list[int] | None = None) -> Source:
    """A Document record for decoded text; front matter wins over the given metadata (a
    manifest's), which wins over what a read document says about itself (`found`: a page's
    title, date, site). Only a text file has front matter. Names and metadata are stored
    without controls (a manifest's strings are not cleaned text); `warn` hears of an invalid
    date, which is ignored."""
    fm, body_start = front_matter(text) if file_type == "text" else ({}, 0)
    meta = meta or {}
    found = found or {}
    info = {**found, **meta, **fm}
    head = text[body_start:body_start + HEAD_CHARS]  # never a copy of a huge text
    given = [("front matter", fm.get("date")), ("manifest.json", meta.get("date")),
             ("the page's", found.get("date"))]
    date = _pick_date(given, head, warn, weak=found.get("created", ""))
    doc = Document(
        id=doc_id_for(text), name=_clean(name), text=text, encoding=encoding,
        title=_clean(info.get("title") or guess_title(head)),
        publisher=_clean(info.get("publisher") or "unknown"),
        date=date,
        language=_clean(info.get("language") or guess_language(head)),
        source=_clean(info.get("source") or ""),
        file_type=file_type, pages=list(pages or []),
    )
    return Source(doc, body_start)


def _clean(value: str) -> str:
    return safe_text(value, single_line=True)


def seed_manifest() -> dict[str, dict[str, str]]:
    data = resources.files("tibet_facts.seeds").joinpath("manifest.json").read_text(encoding="utf-8")
    manifest: dict[str, dict[str, str]] = json.loads(data)
    return manifest


def seed_sources() -> list[Source]:
    """The bundled corpus, read from the installed package (works from any directory)."""
    folder = resources.files("tibet_facts.seeds")
    out = []
    for name, meta in sorted(seed_manifest().items()):
        raw = folder.joinpath(name).read_bytes()
        out.append(make_source(name, raw.decode("utf-8"), meta=meta))
    return out


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    """Files as given, folders walked (sorted) for the document suffixes; nothing is followed twice.
    Whatever bears a document suffix is yielded (read_source refuses what is not a regular file),
    and so is a folder that cannot be listed; links to folders are not followed (no cycles)."""
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, seen)
        else:
            yield path


def _walk(top: Path, seen: set[str]) -> Iterator[Path]:
    """Depth first, in name order (the order of sorted(rglob)), with a stack instead of recursion."""
    listing = _listing(top)
    if listing is None:
        yield top  # refused by read_source: "cannot open folder (Permission denied)"
        return
    stack = [iter(listing)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        child = Path(entry.path)
        if _is_folder(entry):
            if _saved_page_assets(entry):
                continue
            sub = _listing(child)
            if sub is None:
                yield child
            else:
                stack.append(iter(sub))
        elif _looping_link(entry):
            yield child  # a link that loops may stand for a document or a folder: refused
        elif child.suffix.lower() in SUFFIXES and not (entry.is_symlink() and os.path.isdir(child)):
            key = os.path.realpath(child)  # realpath, not resolve(): resolve raises on a link loop
            if key not in seen:
                seen.add(key)
                yield child


def _saved_page_assets(entry: os.DirEntry[str]) -> bool:
    """A browser's assets folder of a saved page beside it (page_files/ next to page.html)."""
    for ending in _ASSET_FOLDERS:
        if entry.name.endswith(ending):
            stem = Path(entry.path).parent / entry.name[: -len(ending)]
            return any(stem.with_name(stem.name + s).exists() for s in (".html", ".htm", ".xhtml"))
    return False


def _listing(folder: Path) -> list[os.DirEntry[str]] | None:
    """A folder's entries by name, or None when it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError:
        return None


def _looping_link(entry: os.DirEntry[str]) -> bool:
    """A symbolic link whose target never resolves (a loop), whatever its name."""
    if not entry.is_symlink():
        return False
    try:
        os.stat(entry.path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def folder_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """The metadata kept beside a folder's documents in its `manifest.json` (file name -> title,
    publisher, date, language, source), as the bundled seeds keep theirs; {} when there is none
    or it is not that shape (an unrelated manifest.json is not ours to reject)."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(name): {k: v for k, v in meta.items() if k in _META_KEYS and isinstance(v, str)}
            for name, meta in data.items() if isinstance(meta, dict)}


def manifest_of(path: Path, cache: dict[Path, dict[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    """The manifest beside a file, read once per folder for a batch."""
    folder = path.parent
    if folder not in cache:
        cache[folder] = folder_manifest(folder)
    return cache[folder]


def read_source(path: Path, *, encoding: str | None = None, max_bytes: int | None = None,
                manifest: dict[str, dict[str, str]] | None = None,
                warn: Warn | None = warn_on_stderr,
                outcome: ReadDocument | DecodeError | None = None) -> Source:
    """Read one file into a Source, with its entry of `manifest` (default: the manifest.json
    beside it) as metadata; raises DecodeError with a one-line reason naming the file. A warning
    (an invalid date, ignored) goes to `warn` as one line naming the file (default: stderr).
    A web page, PDF or Word file is read in a child process, unless `outcome` is what a batch
    read it as already (readers.sandbox.read_all)."""
    shown = safe_text(str(path), single_line=True)
    meta = (manifest if manifest is not None else folder_manifest(path.parent)).get(path.name)
    notes: list[str] = []
    if reader_kind(path):
        from tibet_facts.store.readers.sandbox import read_isolated

        job = reader_job(path, encoding=encoding, max_bytes=max_bytes)
        read = outcome if outcome is not None else read_isolated(job)
        if isinstance(read, DecodeError):
            raise read
        src = source_of_read(path.name, read, meta=meta, warn=notes.append)
    else:
        kwargs = {"max_bytes": max_bytes} if max_bytes else {}
        decoded = read_document(path, encoding=encoding, **kwargs)
        src = make_source(path.name, decoded.text, encoding=decoded.encoding, meta=meta,
                          warn=notes.append)
    return _checked(src, shown, notes, warn)


def _checked(src: Source, shown: str, notes: list[str], warn: Warn | None) -> Source:
    """The source, unless it holds no text; its warnings said (only for one that is read)."""
    decoded = src.document
    if not _NOT_SPACE.search(decoded.text, src.body_start):
        raise DecodeError(f"{shown}: no text after the front matter")
    for note in notes:  # only for a document that is read: its refusal would say enough
        if warn:
            warn(f"{shown}: {note}")
    return src


def reader_kind(path: Path) -> str | None:
    """html, pdf or docx for a file one of store/readers reads, None for a text file."""
    from tibet_facts.store.readers import kind_of

    return kind_of(path)


def reader_job(path: Path, *, encoding: str | None = None, max_bytes: int | None = None) -> Job:
    """The reading of a web page, PDF or Word file, to be run in a child (readers/sandbox.py)."""
    from tibet_facts.store.decode import MAX_BYTES
    from tibet_facts.store.readers.sandbox import Job

    return Job(safe_text(str(path), single_line=True), reader_kind(path) or "html", path=path,
               max_bytes=max_bytes or MAX_BYTES, charset=encoding)


def read_url(url: str, *, encoding: str | None = None, max_bytes: int | None = None) -> Source:
    """Fetch a URL (readers/url.py) and read it as what its content type says; the URL it came
    from is the document's source. DecodeError with one line naming the URL when it fails."""
    from tibet_facts.store.decode import MAX_BYTES, decode_document
    from tibet_facts.store.readers.sandbox import Job, read_isolated
    from tibet_facts.store.readers.url import fetch, url_name

    fetched = fetch(url, max_bytes=max_bytes or MAX_BYTES)
    name = url_name(fetched.url)
    meta = {"source": fetched.url}
    charset = encoding or fetched.charset
    if fetched.kind == "text":
        decoded = decode_document(fetched.data, name, encoding=charset)
        return make_source(name, decoded.text, encoding=decoded.encoding, meta=meta)
    job = Job(name, fetched.kind, data=fetched.data, charset=charset, url=fetched.url)
    read = read_isolated(job)
    return _checked(source_of_read(name, read, meta=meta), name, [], None)


def source_of_read(name: str, read: ReadDocument, *, meta: dict[str, str] | None = None,
                   warn: Warn | None = None) -> Source:
    """A Source for a document a reader read: its own metadata under the manifest's."""
    return make_source(name, read.text, encoding=read.encoding, meta=meta, warn=warn,
                       found=read.meta, file_type=read.kind, pages=read.pages)
