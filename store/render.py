"""Rich tables for facts, shared by the CLI and the exports (a comparison's grid is
store/compare_out.py).

Every cell is a `Text` built from sanitized strings: document text never goes through markup.
"""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from tibet_facts.store.format import as_written, common_value
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.sanitize import safe_text

BAR_WIDTH = 20


def cell(value: object, style: str = "") -> Text:
    """A table cell that is always plain text (no markup, no control characters)."""
    return Text(safe_text(value, single_line=True), style=style)


# The fact table's columns in the order shown, with their alignment.
FACT_COLUMNS = (("id", "left"), ("metric", "left"), ("value", "right"), ("common", "right"),
                ("region", "left"), ("period", "left"), ("topic", "left"), ("doc", "left"))
# What a fitted table always shows; the others join, in this order, while they fit (as gh and
# kubectl drop columns), and the metric, the one long column, is cut with an ellipsis.
ESSENTIAL = ("id", "metric", "value", "region", "period")
OPTIONAL = ("common", "topic", "doc")
METRIC_COMFORT = 30  # the metric's width an optional column must leave it
METRIC_MIN = 8
SHORT_ID = 8  # a unique prefix is enough for `show`


def fact_cells(f: Fact) -> dict[str, Text]:
    """One fact's cells by column name."""
    qual = {"approx": "~", "over": ">", "under": "<"}.get(f.qualifier, "")
    return {"id": cell(f.id, "dim"), "metric": cell(f.metric_zh or f.metric_en),
            "value": cell(qual + as_written(f), "bold"), "common": cell(common_value(f)),
            "region": cell(f.region), "period": cell(f.period), "topic": cell(f.topic),
            "doc": cell(f.doc, "dim")}


def facts_table(facts: list[Fact], docs: dict[str, Document] | None = None, *, title: str = "",
                width: int | None = None) -> Table:
    """The facts as a table. Without a width every column, cells folded (piped output, exports);
    with one, the table fits it on one line a fact (see fit_columns)."""
    rows = [fact_cells(f) for f in facts]
    if width is None:
        table = Table(title=cell(title) if title else None, box=box.SIMPLE_HEAD, expand=False)
        for name, justify in FACT_COLUMNS:
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for row in rows:
            table.add_row(*(row[name] for name, _ in FACT_COLUMNS))
        return table
    return _fitted_table(rows, title, width)


def _fitted_table(rows: list[dict[str, Text]], title: str, width: int) -> Table:
    natural = {name: max([cell_len(name), *(r[name].cell_len for r in rows)])
               for name, _ in FACT_COLUMNS}
    shown, metric_width, id_width = fit_columns(natural, width)
    head = None
    if title:
        head = Text(safe_text(title, single_line=True), no_wrap=True, overflow="ellipsis")
    table = Table(title=head, box=box.SIMPLE_HEAD, expand=False, show_edge=False, pad_edge=False)
    widths = {**natural, "metric": metric_width, "id": id_width}
    for name, justify in FACT_COLUMNS:
        if name in shown:  # fixed widths: only the metric and the id give way, never a value
            table.add_column(name, justify=justify, no_wrap=True,  # type: ignore[arg-type]
                             overflow="ellipsis", width=widths[name])
    for row in rows:
        if id_width < natural["id"]:
            row["id"] = Text(row["id"].plain[:id_width], style="dim")
        table.add_row(*(row[name] for name, _ in FACT_COLUMNS if name in shown))
    return table


def fit_columns(natural: dict[str, int], width: int) -> tuple[list[str], int, int]:
    """Which columns fit in `width`, the metric's width and the id's: the essential ones always,
    the id cut to a prefix and the metric to METRIC_MIN when even they are too wide; then each
    optional column that leaves the metric METRIC_COMFORT (or its whole width, if less)."""
    def used(names: list[str], id_width: int) -> int:
        # Each column has one space of padding either side, the outer ones none; one rule between.
        widths = [id_width if n == "id" else natural[n] for n in names if n != "metric"]
        return sum(widths) + 3 * (len(names) - 1)

    shown = list(ESSENTIAL)
    id_width = natural["id"]
    if used(shown, id_width) + min(natural["metric"], METRIC_MIN) > width:
        id_width = min(id_width, SHORT_ID)
    comfort = min(natural["metric"], METRIC_COMFORT)
    for name in OPTIONAL:
        if used([*shown, name], id_width) + comfort <= width:
            shown.append(name)
    metric_width = max(METRIC_MIN, min(natural["metric"], width - used(shown, id_width)))
    return shown, metric_width, id_width


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of block characters, eighths for the last cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
