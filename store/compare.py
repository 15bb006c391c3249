"""Side-by-side comparison of facts: one row per place (or period), one common unit.

What a good data explorer gives, in a terminal: values in one readable unit (亿元, 万, %), the
change between two periods where both exist, the ratio to a chosen baseline row, a bar, the
qualifier, and the source. A place with no figure for the asked period but one for another
says so ("2019 figure") instead of silently mixing years; incompatible units are set apart, never
mixed; two different values for the same metric, place and period are flagged as a conflict.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tibet_facts.store.format import format_number, scale_for
from tibet_facts.store.model import Fact

_FAMILY = {"CNY": "money:CNY", "USD": "money:USD", "percent": "percent", "percentage_point": "pp"}


def unit_family(fact: Fact) -> str:
    """Facts compare only within one family: money in one currency, percents, or one count unit."""
    return _FAMILY.get(fact.base_unit, fact.base_unit)


@dataclass(slots=True)
class CompareRow:
    label: str
    facts: list[Fact]
    value: float | None
    display: str
    qualifier: str
    period: str
    note: str = ""
    change_abs: float | None = None
    change_rel: float | None = None
    ratio: float | None = None
    bar: float = 0.0
    excerpt: str = ""


@dataclass(slots=True)
class Comparison:
    title: str
    by: str
    unit_label: str
    period_label: str
    rows: list[CompareRow] = field(default_factory=list)
    set_apart: list[Fact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def metric_key(fact: Fact) -> str:
    return fact.metric_id or fact.metric_zh or fact.metric_en


def _main_family(facts: list[Fact]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for f in facts:
        counts[unit_family(f)] += 1
    return max(sorted(counts), key=lambda k: counts[k]) if counts else ""


def _latest_period(facts: list[Fact]) -> str:
    """The most recent period with a figure: what a comparison shows unless told otherwise."""
    dated = [f for f in facts if f.year is not None]
    return max(dated, key=lambda f: (f.year or 0, f.period)).period if dated else "unknown"


def _row(label: str, facts: list[Fact], period: str, divisor: float, by: str) -> CompareRow:
    in_period = [f for f in facts if f.period == period] if by == "region" else facts
    chosen = in_period or sorted(facts, key=lambda f: (f.year or 0, f.period))[-1:]
    exact = [f for f in chosen if f.qualifier == "exact"]
    fact = (exact or chosen)[0]
    # "突破280亿元" and "280.2亿元" agree; two different exact figures do not.
    values = sorted({round(f.base_value, 6) for f in exact})
    note = ""
    if by == "region" and not in_period and period != "unknown":
        note = f"{fact.period} figure"
    if len(values) > 1:
        note = (note + "; " if note else "") + f"conflict: {len(values)} values"
    value = fact.base_value / divisor
    return CompareRow(label=label, facts=chosen, value=value, display=format_number(value),
                      qualifier=fact.qualifier, period=fact.period, note=note, excerpt=fact.quote)


def compare_facts(facts: list[Fact], *, by: str = "region", baseline: str | None = None,
                  period: str | None = None) -> Comparison:
    """Group facts into rows by region (for one period) or by period (for one place)."""
    family = _main_family(facts)
    same = [f for f in facts if unit_family(f) == family]
    apart = [f for f in facts if unit_family(f) != family]
    divisor, unit_label = scale_for(same[0].base_unit if same else "", [f.base_value for f in same])
    asked = period or _latest_period(same)
    groups: dict[str, list[Fact]] = defaultdict(list)
    places = {f.region for f in same}
    metrics = {metric_key(f) for f in same}
    for f in same:
        if by == "region":
            label = f.region
        else:  # a time series per place: periods of different places are not one row
            label = f.period if len(places) == 1 else f"{f.period} · {f.region}"
        if len(metrics) > 1:  # marked facts of different metrics: never one row, never a "conflict"
            label = f"{label} · {f.metric_zh or f.metric_en}"
        groups[label].append(f)
    rows = [_row(label, group, asked, divisor, by) for label, group in groups.items()]
    rows.sort(key=lambda r: (-(r.value or 0)) if by == "region" else (r.facts[0].region, r.period))
    _changes(rows, same, divisor, by)
    _ratios_and_bars(rows, baseline)
    title = (same[0].metric_en or same[0].metric_zh) if same else "comparison"
    if len(metrics) > 1:
        title = f"{len(metrics)} metrics"
    notes = [f"{len(apart)} fact(s) in other units set apart"] if apart else []
    notes += [f"{r.label}: {r.note}" for r in rows if r.note]
    return Comparison(title=title, by=by, unit_label=unit_label,
                      period_label=asked if by == "region" else "all periods", rows=rows,
                      set_apart=apart, notes=notes)


def _changes(rows: list[CompareRow], facts: list[Fact], divisor: float, by: str) -> None:
    """Change from the previous period: across rows when grouped by period, else within a place."""
    if by == "period":
        for before, row in zip(rows, rows[1:], strict=False):
            if before.facts[0].region == row.facts[0].region:
                _set_change(row, before.value, row.value)
        return
    for row in rows:
        earlier = [f for f in facts if f.region == row.label and (f.year or 0) < (row.facts[0].year or 0)
                   and f.year is not None]
        if earlier:
            prev = max(earlier, key=lambda f: (f.year or 0, f.period))
            _set_change(row, prev.base_value / divisor, row.value)


def _set_change(row: CompareRow, before: float | None, after: float | None) -> None:
    if before is None or after is None:
        return
    row.change_abs = after - before
    row.change_rel = (after - before) / before if before else None


def _ratios_and_bars(rows: list[CompareRow], baseline: str | None) -> None:
    biggest = max((abs(r.value) for r in rows if r.value is not None), default=0.0)
    base = next((r for r in rows if r.label == baseline), None)
    for row in rows:
        if row.value is not None and biggest:
            row.bar = abs(row.value) / biggest
        if base is not None and base.value and row.value is not None:
            row.ratio = row.value / base.value
