"""Metadata given on the command line (`ingest --date --title --publisher --language --source`)
for documents that carry none: a plain `.txt` without front matter or a manifest.

What is given explicitly wins over what the files say (front matter, manifest.json, a page's own
metadata) and applies to every document of the batch. It is set before extraction, so a
document's relative times (今年, 'last year') are read against the given date. A document whose
text is already stored keeps the metadata it was stored with (documents are keyed by their text).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.sanitize import safe_text

if TYPE_CHECKING:
    from tibet_facts.store.corpus import Source
    from tibet_facts.store.ingest import IngestReport
    from tibet_facts.store.repository import FactStore

LANGUAGES = ("zh", "en")  # what extraction reads


class MetadataError(TibetFactsError):
    """A given value that cannot be a document's metadata: a usage error."""

    exit_code = 2


def checked(*, date: str | None = None, title: str | None = None, publisher: str | None = None,
            language: str | None = None, source: str | None = None) -> dict[str, str]:
    """The given fields (None: not given) as a document stores them; a date must be a calendar
    date and a language one that extraction reads."""
    from tibet_facts.store.corpus import DATE_FORMS, checked_date

    meta = {name: safe_text(value, single_line=True).strip()
            for name, value in (("title", title), ("publisher", publisher), ("source", source))
            if value is not None}
    if date is not None:
        day = checked_date(date)
        if day is None:
            raise MetadataError(f"--date wants a calendar date {DATE_FORMS}, not {date!r}")
        meta["date"] = day
    if language is not None:
        lang = language.strip().lower()
        if lang not in LANGUAGES:
            raise MetadataError(f"--language wants {' or '.join(LANGUAGES)}, not {language!r}")
        meta["language"] = lang
    return meta


def with_metadata(source: Source, meta: dict[str, str]) -> Source:
    """The source with the given fields in place of the ones it was read with."""
    if not meta:
        return source
    # meta holds only str fields (title, date, publisher, language, source)
    document = dataclasses.replace(source.document, **meta)  # type: ignore[arg-type]
    return dataclasses.replace(source, document=document)


def ingest_with_metadata(store: FactStore, paths: Iterable[Path | str], meta: dict[str, str], *,
                         encoding: str | None = None, keep_going: bool = False,
                         max_bytes: int | None = None, wait: bool = True,
                         **progress: Any) -> IngestReport:
    """ingest_paths, with the given metadata set on every document before it is extracted;
    all or nothing as there (nothing is written when a file is refused, unless keep_going)."""
    from tibet_facts.store.ingest import IngestReport, commit_sources, read_sources

    report = IngestReport()
    read = read_sources(paths, report, encoding=encoding, max_bytes=max_bytes,
                        steps=progress.get("steps"))
    sources = [with_metadata(s, meta) for s in read]
    if report.refused and not keep_going:
        report.documents = [s.document for s in sources]  # read, but not stored
        return report
    return commit_sources(store, sources, report, wait=wait, **progress)
