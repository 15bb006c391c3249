"""A comparison written out: one grid of cells shared by the browser, the command line and the
exports, as a Rich table fitted to a width, as records with their citations (csv, json, md,
html) and as SVG.

The grid is the one comparison-row builder: places as rows and periods as columns (by region),
or one row a period of a place (by period); every value cell carries the number of its source
document, [1], and the sources are listed under the table.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field

from tibet_facts.store.compare import Cell, CompareRow, Comparison, figure
from tibet_facts.store.format import format_number
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.sanitize import safe_text

FORMATS = ("table", "csv", "json", "jsonl", "md", "html", "svg")
RECORD_COLUMNS = ("metric", "metric_id", "kind", "place", "place_en", "period", "value", "unit", "base_value",
                  "base_unit", "qualifier", "conflict", "change", "change_rel", "change_from", "ratio",
                  "baseline", "fact_id", "quote", "doc", "doc_title", "doc_publisher", "doc_date", "doc_source")
# Below this width a by-region grid keeps only the two periods of the change.
ALL_PERIODS_WIDTH = 100


@dataclass(slots=True)
class GridRow:
    cells: list[str]
    row: CompareRow


@dataclass(slots=True)
class Grid:
    """Header, rows of cell texts (each row keeps its CompareRow) and the numbered sources."""

    header: list[str]
    rows: list[GridRow] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)  # columns of numbers (right-aligned)


class _Sources:
    """Source documents numbered in order of first use."""

    def __init__(self, docs: dict[str, Document]) -> None:
        self.docs = docs
        self.numbers: dict[str, int] = {}

    def mark(self, fact: Fact) -> str:
        n = self.numbers.setdefault(fact.doc_id, len(self.numbers) + 1)
        return f"[{n}]"

    def lines(self) -> list[str]:
        out = []
        for doc_id, n in self.numbers.items():
            doc = self.docs.get(doc_id)
            parts = [doc.title, doc.publisher, doc.date] if doc else [doc_id]
            out.append(f"[{n}] " + ", ".join(safe_text(p, single_line=True) for p in parts if p and p != "unknown"))
        return out


def change_text(row: CompareRow, since: str = "") -> str:
    """'+50.5 (+22.0%)', with the earlier period when it is not the column's."""
    if row.change_abs is None:
        return ""
    text = f"{row.change_abs:+,.2f}".rstrip("0").rstrip(".")
    if row.change_rel is not None:
        text += f" ({row.change_rel:+.1%})"
    if row.change_from and row.change_from != since:
        text += f" since {row.change_from}"
    return text


def ratio_text(row: CompareRow) -> str:
    return f"{row.ratio:.2f}×" if row.ratio is not None else ""


def cell_text(cell: Cell | None, sources: _Sources) -> str:
    """'280.2 [1]', or both values of a conflict: '13.5 [1] ≠ 4 [2]'."""
    if cell is None:
        return ""
    figures = [cell.fact, *cell.conflict]
    qual = {"approx": "~", "over": ">", "under": "<"}.get(cell.fact.qualifier, "")
    texts = [f"{figure(f.base_value / cell.divisor)} {sources.mark(f)}" for f in figures]
    return qual + " ≠ ".join(texts)


def kind_text(comp: Comparison, row: CompareRow) -> str:
    return row.kind if row.unit_label == comp.unit_label else f"{row.kind} ({row.unit_label})"


def grid(comp: Comparison, docs: dict[str, Document], width: int = 200) -> Grid:
    """The table of a comparison, as cell texts."""
    sources = _Sources(docs)
    if comp.by == "region":
        out = _region_grid(comp, sources, width)
    else:
        out = _period_grid(comp, sources)
    out.sources = sources.lines()
    return out


def shown_periods(comp: Comparison, width: int) -> list[str]:
    """Every period oldest to newest when the width allows, else the two of the change."""
    periods = [p for p in comp.periods if p]
    if width >= ALL_PERIODS_WIDTH or len(periods) <= 2:
        return periods
    return [p for p in periods if p in (comp.from_period, comp.to_period)]


def _region_grid(comp: Comparison, sources: _Sources, width: int) -> Grid:
    periods = shown_periods(comp, width)
    since = f"change since {comp.from_period}" if comp.from_period != comp.to_period else "change"
    bars = width >= ALL_PERIODS_WIDTH  # a bar of the compared figure, where there is room
    header = ["place", "kind", *periods, since, "ratio", *([""] if bars else []), "note"]
    out = Grid(header, numeric=set(range(2, 2 + len(periods) + 2)))
    for row in comp.rows:
        bar = [_bar(row, comp)] if bars else []
        values = [cell_text(row.cells.get(p), sources) for p in periods]
        if row.period not in periods:  # another kind's figure, or an older year: shown in the note
            extra = f"{row.period}: {cell_text(row.shown, sources)}"
            note = f"{row.note}; {extra}" if row.note else extra
        else:
            note = row.note
        out.rows.append(GridRow([row.place, kind_text(comp, row), *values, change_text(row, comp.from_period),
                                 ratio_text(row), *bar, note], row))
    return out


def _bar(row: CompareRow, comp: Comparison) -> str:
    from tibet_facts.store.render import bar

    return bar(row.bar, 16) if row.kind == comp.kind else ""


def _period_grid(comp: Comparison, sources: _Sources) -> Grid:
    many = len({r.place for r in comp.rows}) > 1
    unit = f"value ({comp.unit_label})" if comp.unit_label else "value"
    header = ["period", *(["place"] if many else []), "kind", unit, "change", "ratio", "note"]
    first = 2 if many else 1
    out = Grid(header, numeric={first + 1, first + 2, first + 3})
    for row in comp.rows:
        place = [row.place] if many else []
        out.rows.append(GridRow([row.period, *place, kind_text(comp, row), cell_text(row.shown, sources),
                                 change_text(row, row.change_from), ratio_text(row), row.note], row))
    return out


def title_text(comp: Comparison) -> str:
    """'online retail sales · level · 亿元 · 2024 to 2025 · ratio to 西藏自治区'."""
    parts = [comp.title, f"values in {comp.unit_label}" if comp.unit_label else "",
             f"{comp.from_period} to {comp.to_period}" if comp.from_period != comp.to_period else comp.to_period]
    if comp.baseline:
        parts.append(f"ratio to {comp.baseline}")
    return " · ".join(p for p in parts if p)


def note_lines(comp: Comparison) -> list[str]:
    """The comparison's notes and what was set apart, one line each."""
    apart = [f"set apart: {f.region} {format_number(f.value)}{f.unit} {f.period} ({f.kind}, "
             f"{f.metric_zh or f.metric_en})" for f in comp.set_apart]
    return [safe_text(n, single_line=True) for n in [*comp.notes, *apart]]


def rich_table(comp: Comparison, docs: dict[str, Document], width: int = 200) -> object:
    """A Rich table of the grid whose cells never wrap (a cut cell ends in "…")."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    g = grid(comp, docs, width)
    table = Table(title=Text(safe_text(title_text(comp), single_line=True)), box=box.SIMPLE_HEAD,
                  title_justify="left", pad_edge=False)
    used = [i for i, name in enumerate(g.header) if i < 2 or any(r.cells[i] for r in g.rows)]
    for i in used:  # a column empty in every row (no baseline: no ratio) is left out
        name = g.header[i]
        widest = max([cell_len(name), *(cell_len(r.cells[i]) for r in g.rows)])
        # The change and the note give way first; a place, kind or value keeps its width.
        keep = None if name.startswith(("change", "note")) else min(widest, 16)
        table.add_column(Text(name), justify="right" if i in g.numeric else "left", no_wrap=True,
                         overflow="ellipsis", min_width=keep)
    for r in g.rows:
        table.add_row(*(Text(safe_text(r.cells[i], single_line=True)) for i in used))
    return table


def records(comp: Comparison, docs: dict[str, Document]) -> list[dict[str, object]]:
    """One record a cell: the value in the display unit and in base units, its change and ratio,
    and its citation (document title, publisher, date, source, quote)."""
    out: list[dict[str, object]] = []
    for row in comp.rows:
        for cell in row.cells.values():
            for fact in [cell.fact, *cell.conflict]:
                out.append(_record(comp, row, cell, fact, docs.get(fact.doc_id)))
    return out


def _record(comp: Comparison, row: CompareRow, cell: Cell, fact: Fact, doc: Document | None) -> dict[str, object]:
    shown = cell.period == row.period
    data: dict[str, object] = {
        "metric": comp.metric, "metric_id": fact.metric_id, "kind": row.kind, "place": row.place,
        "place_en": row.place_en, "period": cell.period, "value": fact.base_value / cell.divisor,
        "unit": row.unit_label, "base_value": fact.base_value, "base_unit": fact.base_unit,
        "qualifier": fact.qualifier, "conflict": bool(cell.conflict),
        "change": row.change_abs if shown else None, "change_rel": row.change_rel if shown else None,
        "change_from": row.change_from if shown else "", "ratio": row.ratio if shown else None,
        "baseline": comp.baseline, "fact_id": fact.id, "quote": fact.quote, "doc": fact.doc,
        "doc_title": doc.title if doc else "", "doc_publisher": doc.publisher if doc else "",
        "doc_date": doc.date if doc else "", "doc_source": doc.source if doc else ""}
    return {k: (safe_text(v, single_line=True) if isinstance(v, str) else v) for k, v in data.items()}


def render(comp: Comparison, docs: dict[str, Document], fmt: str, *, width: int = 200,
           chart: bool = False) -> str:
    """The comparison in a format: csv/json/jsonl records, md/html tables with their sources,
    svg of the table (or of the chart)."""
    if fmt == "csv":
        return _csv(records(comp, docs))
    if fmt == "json":
        return json.dumps({"title": title_text(comp), "notes": note_lines(comp), "cells": records(comp, docs)},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(comp, docs))
    if fmt == "md":
        return _markdown(comp, docs)
    if fmt == "html":
        return _html(comp, docs)
    if fmt == "svg":
        return chart_svg(comp, docs) if chart else table_svg(comp, docs, width)
    raise ValueError(fmt)


def _csv(rows: list[dict[str, object]]) -> str:
    from tibet_facts.store.export import guard_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(RECORD_COLUMNS)
    for r in rows:
        writer.writerow([guard_cell(r.get(c, "")) for c in RECORD_COLUMNS])
    return buf.getvalue()


def _md_cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def _markdown(comp: Comparison, docs: dict[str, Document]) -> str:
    g = grid(comp, docs)
    lines = [f"# {_md_cell(title_text(comp))}", "", "| " + " | ".join(_md_cell(h) for h in g.header) + " |",
             "|" + "|".join("---:" if i in g.numeric else "---" for i in range(len(g.header))) + "|"]
    lines += ["| " + " | ".join(_md_cell(safe_text(c, single_line=True)) for c in r.cells) + " |" for r in g.rows]
    lines += ["", *(f"- {_md_cell(n)}" for n in note_lines(comp)), "", "Sources:", ""]
    lines += [f"- {_md_cell(s)}" for s in g.sources]
    return "\n".join(lines) + "\n"


def _html(comp: Comparison, docs: dict[str, Document]) -> str:
    esc = lambda s: html.escape(safe_text(s, single_line=True))  # noqa: E731
    g = grid(comp, docs)
    head = "".join(f"<th>{esc(h)}</th>" for h in g.header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r.cells) + "</tr>" for r in g.rows)
    notes = "".join(f"<li>{esc(n)}</li>" for n in note_lines(comp))
    cited = "".join(f"<li>{esc(s)}</li>" for s in g.sources)
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{esc(title_text(comp))}</title></head>'
            f"<body><h1>{esc(title_text(comp))}</h1><table><tr>{head}</tr>{body}</table><ul>{notes}</ul>"
            f"<h2>Sources</h2><ul>{cited}</ul></body></html>\n")


def _recording(width: int) -> object:
    from rich.console import Console

    return Console(record=True, width=width, file=io.StringIO(), color_system="truecolor")


def table_svg(comp: Comparison, docs: dict[str, Document], width: int = 120) -> str:
    from rich.console import Console

    console = _recording(width)
    assert isinstance(console, Console)
    console.print(rich_table(comp, docs, width))
    _print_tail(console, comp, grid(comp, docs, width).sources)
    return console.export_svg(title=safe_text(title_text(comp), single_line=True))


def chart_svg(comp: Comparison, docs: dict[str, Document], width: int = 100, height: int = 28) -> str:
    """The chart as drawn in the terminal, with its title, units and sources."""
    from rich.console import Console
    from rich.text import Text

    from tibet_facts.store.chart import chart_data, chart_text

    console = _recording(width)
    assert isinstance(console, Console)
    data = chart_data(comp)
    console.print(Text(safe_text(title_text(comp), single_line=True), style="bold"))
    console.print(Text.from_ansi(chart_text(data, width, height - 4, color=True)))
    _print_tail(console, comp, grid(comp, docs, width).sources)
    return console.export_svg(title=safe_text(title_text(comp), single_line=True))


def _print_tail(console: object, comp: Comparison, sources: list[str]) -> None:
    from rich.console import Console
    from rich.text import Text

    assert isinstance(console, Console)
    for line in [*note_lines(comp), *(["Sources:"] if sources else []), *sources]:
        console.print(Text(line), soft_wrap=False, overflow="ellipsis", no_wrap=True)
