"""What the browser shows, computed off the UI thread: the filtered facts grouped by mention,
the facet counts and the status line. Plain data; no widgets here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tibet_facts.store.model import Fact
from tibet_facts.store.query import Query


@dataclass(slots=True)
class Row:
    """One table row: a fact, with how many times the same figure is stated in its document."""

    fact: Fact
    mentions: int = 1


@dataclass(slots=True)
class View:
    query: str
    rows: list[Row]
    status: str
    topics: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    regions: Counter[tuple[str, ...]] = field(default_factory=Counter)
    error: str = ""


def group_mentions(facts: list[Fact]) -> list[Row]:
    """Facts stated twice in one document (same figure, metric, place and period) appear once."""
    rows: dict[tuple[object, ...], Row] = {}
    for f in facts:
        key = (f.doc_id, f.metric_id or f.metric_zh, round(f.base_value, 6), f.base_unit, f.region, f.period, f.kind)
        if key in rows:
            rows[key].mentions += 1
        else:
            rows[key] = Row(f)
    return list(rows.values())


def build_view(text: str, query: Query, facts: list[Fact]) -> View:
    matched = query.filter(facts)
    topics: Counter[str] = Counter(f.topic for f in matched)
    years: Counter[int] = Counter(f.year for f in matched if f.year is not None)
    regions: Counter[tuple[str, ...]] = Counter()
    for f in matched:
        path = tuple(f.region_path or [f.region])
        for i in range(1, len(path) + 1):
            regions[path[:i]] += 1
    rows = group_mentions(matched)
    status = query.describe(len(matched))
    if len(rows) != len(matched):
        status += f" · {len(rows)} rows"
    return View(text, rows, status, topics, years, regions)
