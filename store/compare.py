"""Comparisons an analyst can trust: one metric, one kind, one base unit, periods in time order.

A comparison is built from facts of one metric id (so Chinese and English facts of one measure
meet). Its rows are places (by region) or one place's periods (by period); each row holds its
figures as cells by period, every cell with the facts that cite it. The rules, never broken:

- levels are compared with levels, changes with changes, rates with rates, shares with shares;
  the other kinds of the metric are rows of their own, labelled with their kind and unit;
- periods are ordered in time (2019 < 2020-06 < as of 2020-12 < 2025) and a change runs from
  the earlier figure to the later one;
- a series by period is one place: different places are different series;
- a conflict is two different exact values for the same metric, kind, place and period: both
  are kept with their sources ("突破280亿元" and "280.2亿元" agree);
- values are converted through the base unit; facts in units that do not convert are set apart.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.format import format_number, scale_for
from tibet_facts.store.model import KINDS, Fact

_FAMILY = {"CNY": "money:CNY", "USD": "money:USD", "percent": "percent", "percentage_point": "pp"}
_POINT = re.compile(r"((?:19|20)\d\d)(?:-(\d\d))?")
# Unit prefixes a reader may ask for (--unit 万元, --unit "million yuan").
_SCALES = {"": 1.0, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8, "十亿": 1e9,
           "thousand ": 1e3, "million ": 1e6, "billion ": 1e9}
_BASE_NAMES = {"CNY": ("元", "yuan", "CNY"), "USD": ("美元", "dollars", "USD"), "percent": ("%", "percent"),
               "percentage_point": ("个百分点", "pp", "percentage points"), "person": ("人", "people"),
               "person_time": ("人次", "visits"), "household": ("户", "households"), "item": ("件", "items"),
               "count": ("", "count")}


class CompareError(TibetFactsError):
    """A comparison asked for something the facts do not have (a place, kind, period, unit)."""

    exit_code = 2


def unit_family(fact: Fact) -> str:
    """Facts compare only within one family: money in one currency, percents, or one count unit."""
    return _FAMILY.get(fact.base_unit, fact.base_unit)


def metric_key(fact: Fact) -> str:
    return fact.metric_id or fact.metric_zh or fact.metric_en


def period_key(period: str) -> tuple[int, int, int, str]:
    """Order periods in time: by the month they end, then the month they start; unknown last.
    `2019` < `2020-06` < `2020` < `as of 2020-12` < `2021..2025`."""
    points = _POINT.findall(period)
    if not points:
        return (1, 0, 0, period)
    (y0, m0), (y1, m1) = points[0], points[-1]
    start = int(y0) * 12 + (int(m0) if m0 else 1)
    end = int(y1) * 12 + (int(m1) if m1 else 12)
    return (0, end, start, period)


def in_time_order(periods: Iterable[str]) -> list[str]:
    return sorted(set(periods), key=period_key)


def figure(x: float) -> str:
    """A value for reading: two decimals, four below one (0.0038 万人次 is not 0)."""
    return format_number(x, 2 if abs(x) >= 1 or x == 0 else 4)


def closest(word: str, names: Iterable[str], n: int = 3) -> str:
    """'; closest: a, b' for an error line, or '' when nothing is close."""
    pool = sorted({x for x in names if x})
    near = difflib.get_close_matches(word, pool, n=n, cutoff=0.3) or pool[:n]
    return f"; closest: {', '.join(near)}" if near else ""


@dataclass(slots=True)
class Cell:
    """One place's figure for one period, with every fact that states it (its sources)."""

    period: str
    fact: Fact  # the figure shown
    facts: list[Fact]
    value: float  # in the row's display unit
    conflict: list[Fact] = field(default_factory=list)  # exact figures of another value
    divisor: float = 1.0  # base value -> display unit

    @property
    def values(self) -> list[float]:
        return sorted({round(f.base_value, 6) for f in [self.fact, *self.conflict]})


@dataclass(slots=True)
class CompareRow:
    """A row: a place (by region) or one period of a place (by period), of one kind."""

    label: str
    place: str
    place_en: str
    kind: str
    unit_label: str
    cells: dict[str, Cell]  # by period, in time order
    value: float | None = None  # the figure the row shows (the chosen period's)
    display: str = ""
    qualifier: str = ""
    period: str = ""
    note: str = ""
    change_abs: float | None = None
    change_rel: float | None = None
    change_from: str = ""  # the earlier period of the change
    ratio: float | None = None
    bar: float = 0.0
    excerpt: str = ""

    @property
    def facts(self) -> list[Fact]:
        """Every fact behind the row's cells (the sources of what is on screen)."""
        return [f for c in self.cells.values() for f in c.facts]

    @property
    def shown(self) -> Cell | None:
        return self.cells.get(self.period)


@dataclass(slots=True)
class Comparison:
    title: str
    by: str
    unit_label: str
    period_label: str
    rows: list[CompareRow] = field(default_factory=list)
    set_apart: list[Fact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    metric: str = ""
    kind: str = "level"
    base_unit: str = ""
    periods: list[str] = field(default_factory=list)  # of the main kind, in time order
    from_period: str = ""
    to_period: str = ""
    baseline: str = ""
    divisor: float = 1.0

    @property
    def main_rows(self) -> list[CompareRow]:
        """The rows of the compared kind (the others are the metric's other kinds)."""
        return [r for r in self.rows if r.kind == self.kind]


@dataclass(slots=True)
class _Ask:
    by: str
    kind: str | None
    start: str | None
    end: str | None
    baseline: str | None
    unit: str | None


def compare_facts(facts: list[Fact], *, by: str = "region", baseline: str | None = None,
                  period: str | None = None, kind: str | None = None, start: str | None = None,
                  end: str | None = None, unit: str | None = None) -> Comparison:
    """The comparison of the facts' main metric (the most common one) in the asked kind."""
    if by not in ("region", "period"):
        raise CompareError(f"by wants region or period, not {by!r}")
    ask = _Ask(by, kind, start, end or period, baseline, unit)
    apart, notes = [], []
    facts, other_metrics = _one_metric(facts)
    if other_metrics:
        apart += other_metrics
        notes.append(f"{len(other_metrics)} fact(s) of other metrics set apart")
    by_kind = _kinds(facts)
    main = _main_kind(by_kind, ask.kind, facts)
    comp = Comparison(title="", by=by, unit_label="", period_label="", metric=_metric_name(facts), kind=main)
    for k in sorted(by_kind, key=lambda k: (k != main, KINDS.index(k) if k in KINDS else 9, k)):
        same, odd = _one_family(by_kind[k])
        if odd:
            apart += odd
            notes.append(f"{len(odd)} {k} fact(s) in other units set apart")
        _add_kind(comp, k, same, ask)
    _ratios_and_bars(comp, ask.baseline)
    comp.set_apart, comp.notes = apart, notes + _conflict_notes(comp.rows)
    comp.title = f"{comp.metric} · {main}" if comp.metric else "comparison"
    return comp


def _one_metric(facts: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    counts = Counter(metric_key(f) for f in facts)
    if not counts:
        return [], []
    main = max(sorted(counts), key=lambda k: counts[k])
    return [f for f in facts if metric_key(f) == main], [f for f in facts if metric_key(f) != main]


def _metric_name(facts: list[Fact]) -> str:
    english = Counter(f.metric_en for f in facts if f.metric_en)
    chinese = Counter(f.metric_zh for f in facts if f.metric_zh)
    best = english or chinese
    return best.most_common(1)[0][0] if best else ""


def _kinds(facts: list[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        out[f.kind].append(f)
    return out


def _main_kind(by_kind: dict[str, list[Fact]], asked: str | None, facts: list[Fact]) -> str:
    """The asked kind (checked), else levels when there are any, else the most common kind."""
    if asked is not None:
        if asked not in KINDS:
            raise CompareError(f"unknown kind {asked!r}{closest(asked, KINDS)}")
        if asked not in by_kind:
            have = ", ".join(sorted(by_kind)) or "none"
            raise CompareError(f"no {asked} figures of {_metric_name(facts) or 'this metric'} (it has: {have})")
        return asked
    if "level" in by_kind or not by_kind:
        return "level"
    return max(sorted(by_kind), key=lambda k: len(by_kind[k]))


def _one_family(facts: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    counts = Counter(unit_family(f) for f in facts)
    main = max(sorted(counts), key=lambda k: counts[k])
    return [f for f in facts if unit_family(f) == main], [f for f in facts if unit_family(f) != main]


def display_unit(base_unit: str, asked: str | None, values: list[float]) -> tuple[float, str]:
    """The divisor and label of the unit values are shown in: the asked one (亿元, 万人次, %,
    'million yuan'), checked against the base unit, else the most readable one."""
    if asked is None:
        return scale_for(base_unit, values)
    names = _BASE_NAMES.get(base_unit, (base_unit,))
    text = "%" if asked.strip().lower() in ("percent", "pct") else asked.strip()
    for prefix, scale in _SCALES.items():
        for name in names:
            if text.lower() in (f"{prefix}{name}".lower(), f"{prefix}{name}".strip().lower()):
                return scale, text
    offered = [f"{p}{n}".strip() for p in ("", "万", "亿", "million ") for n in names[:2] if n]
    raise CompareError(f"unit {asked!r} does not convert from {base_unit}{closest(text, offered)}")


def unit_choices(base_unit: str) -> list[str]:
    """The units a comparison in this base unit can be shown in, smallest first."""
    names = _BASE_NAMES.get(base_unit, (base_unit,))
    if base_unit in ("percent", "percentage_point") or not names[0]:
        return [names[0]] if names[0] else []
    return [f"{prefix}{names[0]}" for prefix in ("", "万", "亿")]


def _add_kind(comp: Comparison, kind: str, facts: list[Fact], ask: _Ask) -> None:
    """The rows of one kind: series by place, each a row (by region) or a row a period."""
    main = kind == comp.kind
    base_unit = facts[0].base_unit if facts else ""
    divisor, label = display_unit(base_unit, ask.unit if main else None, [f.base_value for f in facts])
    periods = in_time_order(f.period for f in facts)
    start, end = _range(periods, ask.start, ask.end) if main else _range(periods, None, None)
    series = _series(facts, divisor)
    if main:
        comp.base_unit, comp.unit_label, comp.divisor, comp.periods = base_unit, label, divisor, periods
        comp.from_period, comp.to_period = start, end
        comp.period_label = end if ask.by == "region" else f"{start} to {end}"
    build = _region_row if ask.by == "region" else _period_rows
    rows = [row for place, cells in series.items() for row in build(place, cells, kind, label, start, end)]
    if ask.by == "region":
        rows.sort(key=lambda r: (-(r.value or 0.0), r.place))
    comp.rows += rows


def _range(periods: list[str], start: str | None, end: str | None) -> tuple[str, str]:
    """The two periods of the change: the asked ones (checked), else the earliest and latest."""
    dated = [p for p in periods if period_key(p)[0] == 0] or periods
    for asked in (start, end):
        if asked is not None and asked not in periods:
            raise CompareError(f"no figures for period {asked!r}{closest(asked, periods)}")
    first, last = start or (dated[0] if dated else ""), end or (dated[-1] if dated else "")
    if first and last and period_key(first) > period_key(last):
        first, last = last, first  # a change always runs from the earlier period to the later
    return first, last


def _series(facts: list[Fact], divisor: float) -> dict[str, dict[str, Cell]]:
    """Per place, its cells by period in time order."""
    grouped: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for f in facts:
        grouped[f.region][f.period].append(f)
    return {place: {p: _cell(p, by_period[p], divisor) for p in in_time_order(by_period)}
            for place, by_period in grouped.items()}


def _cell(period: str, facts: list[Fact], divisor: float) -> Cell:
    """The figure of a cell: an exact one, the most stated value, the plainest metric phrase;
    exact figures of other values are its conflict."""
    exact = [f for f in facts if f.qualifier == "exact"] or facts
    stated = Counter(round(f.base_value, 6) for f in exact)
    fact = min(exact, key=lambda f: (-stated[round(f.base_value, 6)], len(f.metric_zh or f.metric_en), f.doc,
                                     f.start))
    conflict = [f for f in exact if f.qualifier == "exact" and round(f.base_value, 6) != round(fact.base_value, 6)]
    return Cell(period, fact, facts, fact.base_value / divisor, conflict, divisor)


def _row(label: str, place: str, cells: dict[str, Cell], kind: str, unit: str, cell: Cell) -> CompareRow:
    f = cell.fact
    return CompareRow(label=label, place=place, place_en=f.region_en, kind=kind, unit_label=unit, cells=cells,
                      value=cell.value, display=figure(cell.value), qualifier=f.qualifier,
                      period=cell.period, excerpt=f.quote)


def _region_row(place: str, cells: dict[str, Cell], kind: str, unit: str, start: str,
                end: str) -> list[CompareRow]:
    """A place: its figure for the end period (else its latest before it, else its latest, said
    in a note) and the change from the start period (else from its nearest earlier figure)."""
    order = list(cells)
    before = [p for p in order if period_key(p) <= period_key(end)] if end else order
    shown = end if end in cells else (before or order)[-1]
    row = _row(place, place, cells, kind, unit, cells[shown])
    if shown != end and end:
        row.note = "period unknown" if period_key(shown)[0] else f"{shown} figure"
    earlier = [p for p in order if period_key(p) < period_key(shown) and period_key(p)[0] == 0]
    if earlier and period_key(shown)[0] == 0:
        base = start if start in earlier else earlier[-1]
        _set_change(row, cells[base].value, base)
    return [row]


def _period_rows(place: str, cells: dict[str, Cell], kind: str, unit: str, start: str,
                 end: str) -> list[CompareRow]:
    """One place's periods from start to end, each changed from the one before it."""
    lo, hi = period_key(start) if start else None, period_key(end) if end else None
    rows: list[CompareRow] = []
    for period, cell in cells.items():
        key = period_key(period)
        if key[0] == 0 and ((lo and key < lo) or (hi and key > hi)):
            continue
        row = _row(period, place, {period: cell}, kind, unit, cell)
        if rows and key[0] == 0:
            _set_change(row, rows[-1].value, rows[-1].period)
        rows.append(row)
    return rows


def _set_change(row: CompareRow, before: float | None, since: str) -> None:
    if before is None or row.value is None:
        return
    row.change_abs = row.value - before
    row.change_rel = (row.value - before) / before if before else None
    row.change_from = since


def _ratios_and_bars(comp: Comparison, baseline: str | None) -> None:
    """Bars over the compared kind's rows; ratios to the baseline place (any of its names) or
    row, always within one kind and period."""
    main = comp.main_rows
    biggest = max((abs(r.value) for r in main if r.value is not None), default=0.0)
    for row in main:
        row.bar = abs(row.value) / biggest if row.value is not None and biggest else 0.0
    if comp.by == "period" and len({r.place for r in comp.rows}) > 1:
        for row in comp.rows:
            row.label = f"{row.label} · {row.place}"  # different places: different series
    if baseline:
        comp.baseline = _baseline_name(comp, baseline)
        for row in comp.rows:
            base = _baseline_row(comp, row)
            if base is not None and base.value and row.value is not None and base.period == row.period:
                row.ratio = row.value / base.value


def _baseline_name(comp: Comparison, asked: str) -> str:
    """The baseline as a place of the comparison (by any alias) or a row label; else an error."""
    places = {r.place for r in comp.rows}
    labels = {r.label for r in comp.rows}
    if asked in places or asked in labels:
        return asked
    official = _official_place(asked)
    if official in places:
        return official
    raise CompareError(f"baseline {asked!r} is not a row of this comparison{closest(asked, places | labels)}")


def _official_place(name: str) -> str:
    from tibet_facts.store.extract import gazetteer  # the gazetteer loads only for a baseline

    found = gazetteer.place(name)
    return found.name if found else name


def _baseline_row(comp: Comparison, row: CompareRow) -> CompareRow | None:
    for other in comp.rows:
        if other.kind != row.kind:
            continue
        if other.label == comp.baseline or (other.place == comp.baseline and
                                            (comp.by == "region" or other.period == row.period)):
            return other
    return None


def _conflict_notes(rows: list[CompareRow]) -> list[str]:
    """Conflicts with both values and their sources; other notes ("2019 figure") as they are."""
    out: list[str] = []
    for row in rows:
        if row.note:
            out.append(f"{row.label} ({row.kind}): {row.note}")
        out += [conflict_line(row, cell) for cell in row.cells.values() if cell.conflict]
    return out


def conflict_line(row: CompareRow, cell: Cell) -> str:
    """'西藏自治区 2025 (level): conflict: 13.5 (农产品网上零售额, a.txt) vs 4 (…, b.txt)'."""
    parts = [f"{figure(f.base_value / cell.divisor)} ({f.metric_zh or f.metric_en}, {f.doc})"
             for f in [cell.fact, *cell.conflict]]
    return f"{row.place} {cell.period} ({row.kind}): conflict: {' vs '.join(parts)}"
