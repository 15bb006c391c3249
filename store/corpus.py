"""Documents in: the bundled seeds with their manifest, the user's files and folders, front matter.

A document may open with front matter (`---` lines holding `title:`, `date:`, `source:`,
`language:`, `publisher:`) as Markdown tools write it: it gives the metadata and is skipped by
extraction, while offsets still point into the whole text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tibet_facts.store.decode import read_document
from tibet_facts.store.errors import DecodeError
from tibet_facts.store.model import Document, doc_id_for
from tibet_facts.store.sanitize import safe_text

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
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


def guess_language(text: str) -> str:
    """zh when CJK characters are at least a tenth of the letters, else en."""
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    return "zh" if cjk * 3 >= latin * 0.3 and cjk > 0 else "en"


def guess_title(text: str) -> str:
    """The first line of four characters or more, looked for near the top (not through a dump)."""
    for line in text[:HEAD_CHARS].splitlines():
        line = line.strip().lstrip("#").strip()
        if len(line) >= 4:
            return line[:120]
    return ""


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
    if m and 1 <= int(m.group(2)) <= 12:
        day = f"-{int(m.group(3)):02d}" if m.group(3) else ""
        found.append((m.start(), f"{m.group(1)}-{int(m.group(2)):02d}{day}"))
    m = _DATE_PATTERNS[1].search(head)
    if m:
        month = _EN_MONTHS.index(m.group(1).lower()) + 1
        found.append((m.start(), f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}"))
    return min(found)[1] if found else "unknown"


def make_source(name: str, text: str, *, encoding: str = "utf-8", meta: dict[str, str] | None = None) -> Source:
    """A Document record for decoded text; front matter wins over the given metadata."""
    fm, body_start = front_matter(text)
    info = {**(meta or {}), **fm}
    head = text[body_start:body_start + HEAD_CHARS]  # never a copy of a huge text
    doc = Document(
        id=doc_id_for(text), name=name, text=text, encoding=encoding,
        title=safe_text(info.get("title") or guess_title(head), single_line=True),
        publisher=info.get("publisher") or "unknown",
        date=info.get("date") or guess_date(head),
        language=info.get("language") or guess_language(head),
        source=info.get("source") or "",
    )
    return Source(doc, body_start)


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
    """Files as given, folders walked (sorted) for the document suffixes; nothing is followed twice."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix.lower() in SUFFIXES and child.is_file() and child.resolve() not in seen:
                    seen.add(child.resolve())
                    yield child
        else:
            yield path


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
                manifest: dict[str, dict[str, str]] | None = None) -> Source:
    """Read one file into a Source, with its entry of `manifest` (default: the manifest.json
    beside it) as metadata; raises DecodeError with a one-line reason naming the file."""
    kwargs = {"max_bytes": max_bytes} if max_bytes else {}
    decoded = read_document(path, encoding=encoding, **kwargs)
    meta = (manifest if manifest is not None else folder_manifest(path.parent)).get(path.name)
    src = make_source(path.name, decoded.text, encoding=decoded.encoding, meta=meta)
    if not _NOT_SPACE.search(decoded.text, src.body_start):
        raise DecodeError(f"{safe_text(str(path), single_line=True)}: no text after the front matter")
    return src
