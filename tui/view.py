"""What the browser shows, computed off the UI thread: the filtered facts grouped by mention,
the facet counts and the status line. Plain data; no widgets here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tibet_facts.store.model import Fact
from tibet_facts.store.query import Query, search_text


@dataclass(slots=True)
class Row:
    """One table row: a fact, with how many times the same figure is stated in its document."""

    fact: Fact
    mentions: int = 1
    text: str = ""  # what free words are matched against, built once


@dataclass(slots=True)
class View:
    query: str
    rows: list[Row]
    status: str
    topics: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    regions: Counter[tuple[str, ...]] = field(default_factory=Counter)
    error: str = ""
    counted: bool = False  # facet counts filled in (count_facets)

    @property
    def facet_key(self) -> tuple[object, ...]:
        """Equal keys mean equal facet trees: the tree is rebuilt only when its counts change."""
        return (tuple(sorted(self.topics.items())), tuple(sorted(self.years.items())),
                tuple(sorted(self.regions.items())))


def group_mentions(facts: list[Fact]) -> list[Row]:
    """Facts stated twice in one document (same figure, metric, place and period) appear once."""
    rows: dict[tuple[object, ...], Row] = {}
    for f in facts:
        key = (f.doc_id, f.metric_id or f.metric_zh, round(f.base_value, 6), f.base_unit, f.region, f.period, f.kind)
        if key in rows:
            rows[key].mentions += 1
        else:
            rows[key] = Row(f, 1, search_text(f))
    return list(rows.values())


def filter_rows(query: Query, rows: list[Row]) -> list[Row]:
    """Rows matching every clause, in the order given: free words test the prebuilt text
    directly (the fast path), other clauses their predicate."""
    matched = rows
    for clause in query.clauses:
        if clause.word:
            word = clause.word
            matched = [r for r in matched if word in r.text]
        else:
            pred = clause.predicate
            matched = [r for r in matched if pred(r.fact)]
    return matched


def count_facets(view: View) -> None:
    """Topic, year and region counts of the rows a view shows (done only when facets are shown)."""
    topics: Counter[str] = Counter()
    years: Counter[int] = Counter()
    paths: Counter[tuple[str, ...]] = Counter()
    for r in view.rows:
        f = r.fact
        topics[f.topic] += r.mentions
        if f.year is not None:
            years[f.year] += r.mentions
        paths[tuple(f.region_path) or (f.region,)] += r.mentions
    regions: Counter[tuple[str, ...]] = Counter()
    for path, n in paths.items():
        for i in range(1, len(path) + 1):
            regions[path[:i]] += n
    view.topics, view.years, view.regions = topics, years, regions
    view.counted = True


def build_view(text: str, query: Query, rows: list[Row]) -> View:
    """Filter the grouped rows (grouped and sorted once, when loaded) and say what is shown."""
    matched = filter_rows(query, rows)
    total = sum(r.mentions for r in matched)
    status = query.describe(total)
    if len(matched) != total:
        status += f" · {len(matched)} rows"
    return View(text, matched, status)
