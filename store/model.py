"""The fact and document records: what one figure is, where it was read, and how it is stored.

Field names and value sets follow the gold conventions (shared/gold/README.md): a fact is a
number as written (value, unit), the same number in base units, what it measures (metric), where
(region), when (period), about what (topic), how (kind, qualifier) and the exact place in its
document (start/end of the number, the quote holding it).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, TypeVar

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
KINDS = ("level", "change", "rate", "share")
QUALIFIERS = ("exact", "approx", "over", "under")
TOPICS = (
    "ecommerce", "logistics", "digital_economy", "science_tech", "agriculture", "energy",
    "tourism_culture", "investment_policy", "employment_training", "governance_public_services",
    "economy_general", "global_development",
)


@cache
def years_in(period: str) -> tuple[int, ...]:
    """Every year a period names ("2021..2025" -> (2021, 2025)); cached, periods repeat a lot."""
    return tuple(int(y) for y in _YEAR.findall(period))


def fact_id(doc_id: str, start: int, end: int) -> str:
    """A stable id: the same document and place give the same id on every rebuild."""
    return hashlib.sha1(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:12]


def doc_id_for(text: str) -> str:
    """Documents are keyed by a hash of their decoded text, so the same bytes under another name dedupe.
    Hashed a piece at a time: a huge text is never copied whole to UTF-8."""
    digest = hashlib.sha256()
    for i in range(0, len(text), 1 << 20):
        digest.update(text[i:i + (1 << 20)].encode("utf-8"))
    return digest.hexdigest()[:16]


class Record:
    """to_dict/from_dict for the stored records: unknown keys (from a newer version) are dropped."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        # Not dataclasses.asdict: its deep copy costs ~0.1 ms a record, 10 s a million.
        names = _field_names(type(self))
        return {name: (list(v) if isinstance(v := getattr(self, name), list) else v) for name in names}

    @classmethod
    def from_dict(cls: type[R], data: dict[str, Any]) -> R:
        try:
            return cls(**data)  # the common case: a record this version wrote
        except TypeError:
            known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
            return cls(**{k: v for k, v in data.items() if k in known})


R = TypeVar("R", bound=Record)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


@dataclass(slots=True)
class Fact(Record):
    """One figure read from one place in one document."""

    id: str
    doc_id: str
    doc: str
    start: int
    end: int
    quote: str
    value: float
    unit: str
    base_value: float
    base_unit: str
    metric_zh: str = ""
    metric_en: str = ""
    metric_id: str = ""
    region: str = ""
    region_en: str = ""
    region_path: list[str] = field(default_factory=list)
    period: str = "unknown"
    topic: str = "economy_general"
    kind: str = "level"
    qualifier: str = "exact"
    quote_start: int = 0
    sentence_start: int = 0
    sentence_end: int = 0
    # The page (from 1) of a paged document (a PDF) the number is on; 0 for a document without.
    page: int = 0

    @property
    def year(self) -> int | None:
        """The first year the period names ("as of 2025-08" -> 2025), for year filters and facets."""
        years = years_in(self.period)
        return years[0] if years else None


@dataclass(slots=True)
class Document(Record):
    """A stored source document with its metadata and its full decoded text."""

    id: str
    name: str
    title: str = ""
    publisher: str = "unknown"
    date: str = "unknown"
    language: str = "zh"
    source: str = ""
    encoding: str = "utf-8"
    # What the file was: text, html, pdf or docx (its text below is what it was read as).
    file_type: str = "text"
    # A PDF's pages: the offset in text where each one starts ([] for a document without pages).
    pages: list[int] = field(default_factory=list)
    # Last: the streamed commit (db/append.py) writes a row's text at its end, as TinyDB would.
    text: str = ""

    def page_at(self, offset: int) -> int:
        """The page (from 1) holding this offset of the text; 0 for a document without pages."""
        return bisect.bisect_right(self.pages, offset) if self.pages else 0


# The fields a user may correct; the others are what the document says (value, unit, offsets).
CORRECTABLE = ("metric_zh", "metric_en", "metric_id", "region", "period", "topic", "kind")


@dataclass(slots=True)
class Correction(Record):
    """A user's corrections of one fact, field by field, keyed by fact id.

    A fact's id is a hash of its document and the place of its number, so a correction finds
    its fact again after a rebuild. A field left None is not corrected; `rejected` is one
    field among the others, and changing one field never drops another (`merged`).
    """

    fact_id: str
    rejected: bool = False
    metric_zh: str | None = None
    metric_en: str | None = None
    region: str | None = None
    period: str | None = None
    topic: str | None = None
    metric_id: str | None = None
    kind: str | None = None

    def merged(self, changes: dict[str, Any]) -> Correction:
        """This correction with some fields changed; a value of "" or None un-corrects a field."""
        data = self.to_dict()
        for name, value in changes.items():
            if name == "rejected":
                data[name] = bool(value)
            elif name in CORRECTABLE:
                data[name] = value or None
            else:
                raise KeyError(name)
        return Correction.from_dict(data)

    def fields(self) -> dict[str, str]:
        """The corrected fields and their values."""
        return {n: v for n in CORRECTABLE if (v := getattr(self, n))}

    def is_empty(self) -> bool:
        return not self.rejected and not self.fields()

    def apply(self, fact: Fact) -> Fact:
        """The fact as the user corrected it (a copy; the extracted fact is never changed).
        A corrected place brings its English name and its path in the region tree."""
        data = fact.to_dict()
        data.update(self.fields())
        if self.region and self.region != fact.region:
            data["region_en"], data["region_path"] = _place_names(self.region)
        return Fact.from_dict(data)


def _place_names(region: str) -> tuple[str, list[str]]:
    """A place's English name and path from the gazetteer (the name itself when unknown)."""
    from tibet_facts.store.extract import gazetteer

    found = gazetteer.place(region)
    if found is None:
        return region, [region]
    return found.name_en, gazetteer.path(found.name)
