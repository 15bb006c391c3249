"""What the browser shows, computed off the UI thread: the matching facts, the first rows of the
table in the chosen order (a figure stated twice in one document is one row), the facet counts
and the status line. Plain data over the store's FactTable; no widgets here."""

from __future__ import annotations

import itertools
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tibet_facts.store.model import Fact, years_in
from tibet_facts.store.query import Query
from tibet_facts.store.table import FactTable

# Sort names -> table fields ("doc" is the table's own order: document, then position).
SORT_FIELDS = {"doc": "", "value": "base_value", "metric": "metric_zh", "region": "region", "period": "period",
               "topic": "topic"}
# Below this many matches, sorting them beats scanning the field's whole order.
SORT_DIRECT = 20_000


@dataclass(slots=True)
class Row:
    """One table row: a fact, with how many times the same figure is stated in its document."""

    fact: Fact
    mentions: int = 1


@dataclass(slots=True)
class View:
    query: str
    rows: list[Row]  # the first rows in the chosen order (up to the table's limit)
    status: str
    matched: Sequence[int] = field(default_factory=list)  # every matching table row, in table order
    groups: int = 0  # how many rows (figures) match in all
    topics: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    regions: Counter[tuple[str, ...]] = field(default_factory=Counter)
    counted: bool = False  # facet counts filled in (count_facets)

    @property
    def facet_key(self) -> tuple[object, ...]:
        """Equal keys mean equal facet trees: the tree is rebuilt only when its counts change."""
        return (tuple(sorted(self.topics.items())), tuple(sorted(self.years.items())),
                tuple(sorted(self.regions.items())))


@dataclass(slots=True)
class Groups:
    """Per table row, its figure (the same document, metric, value, unit, place, period and
    kind), and whether that figure is stated more than once. Arrays: the garbage collector
    does not walk them."""

    ids: Sequence[int]
    multi: bytes


def group_ids(table: FactTable) -> Groups:
    """Every row's figure, so the browser lists a figure stated twice in a document once."""
    c, metric_ids = table.codes, table.vocab["metric_id"]
    seen: dict[tuple[object, ...], int] = {}
    out = [
        seen.setdefault((d, m if metric_ids[m] else -1 - zh, round(v, 6), u, r, p, k), len(seen))
        for d, m, zh, v, u, r, p, k in zip(c["doc_id"], c["metric_id"], c["metric_zh"], table.plain["base_value"],
                                           c["base_unit"], c["region"], c["period"], c["kind"], strict=True)
    ]
    for i, f in table.overlay.items():  # corrected facts group by what the user set
        key = ("corrected", f.doc_id, f.metric_id or f.metric_zh, round(f.base_value, 6), f.base_unit, f.region,
               f.period, f.kind)
        out[i] = seen.setdefault(key, len(seen))
    sizes = Counter(out)
    return Groups(array("l", out), bytes(sizes[g] > 1 for g in out))


def ordered(table: FactTable, rows: Sequence[int], sort: str, reverse: bool) -> Iterable[int]:
    """The rows in a sort order (ties in table order; a corrected fact sorts by its extracted
    value); lazily when there are many, for a scan that stops at the table's limit."""
    name = SORT_FIELDS[sort]
    if not name:
        return rows[::-1] if reverse else rows
    rank = table.rank(name)
    if len(rows) <= SORT_DIRECT:
        return sorted(rows, key=rank.__getitem__, reverse=reverse)
    # Many matches: walk the field's whole order and keep the matching rows.
    wanted = bytearray(table.n)
    for i in rows:
        wanted[i] = 1
    order = table.order(name)
    walk = reversed(order) if reverse else iter(order)
    return (i for i in walk if wanted[i])


def first_rows(table: FactTable, matched: Sequence[int], groups: Groups, sort: str, reverse: bool,
               limit: int | None) -> tuple[list[Row], int]:
    """The first `limit` figures (rows) in order, each with its mentions; and how many in all.
    Only rows of figures stated more than once are counted in Python; the rest are one each."""
    ids, multi = groups.ids, groups.multi
    repeated = list(itertools.compress(matched, map(multi.__getitem__, matched)))
    mentions = Counter(map(ids.__getitem__, repeated))
    total = len(matched) - len(repeated) + len(mentions)
    out: list[Row] = []
    seen: set[int] = set()
    for i in ordered(table, matched, sort, reverse):
        if multi[i]:
            g = ids[i]
            if g in seen:
                continue
            seen.add(g)
            out.append(Row(table.fact(i), mentions[g]))
        else:
            out.append(Row(table.fact(i), 1))
        if limit is not None and len(out) >= limit:
            break
    return out, total


def count_facets(view: View, table: FactTable) -> None:
    """Topic, year and region counts of the matching facts (done only when facets are shown)."""
    rows = view.matched
    years: Counter[int] = Counter()
    for period, n in table.count("period", rows).items():
        found = years_in(period)
        if found:
            years[found[0]] += n
    regions: Counter[tuple[str, ...]] = Counter()
    for (region, path), n in table.count_pairs(("region", "region_path"), rows).items():
        full = tuple(path) or (region,)
        for i in range(1, len(full) + 1):
            regions[full[:i]] += n
    view.topics, view.years, view.regions = table.count("topic", rows), years, regions
    view.counted = True


def build_view(text: str, query: Query, table: FactTable, groups: Groups, *, sort: str = "doc",
               reverse: bool = False, limit: int | None = None, include_rejected: bool = False) -> View:
    """Filter the table, take the first rows in order and say what is shown."""
    matched = table.select(query, include_rejected=include_rejected)
    rows, figures = first_rows(table, matched, groups, sort, reverse, limit)
    status = query.describe(len(matched))
    if figures != len(matched):
        status += f" · {figures} rows"
    return View(text, rows, status, matched, figures)
