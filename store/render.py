"""Rich tables for facts and comparisons, shared by the CLI and the exports.

Every cell is a `Text` built from sanitized strings: document text never goes through markup.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from tibet_facts.store.compare import Comparison
from tibet_facts.store.format import as_written, common_value, format_number
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.sanitize import safe_text

BAR_WIDTH = 20


def cell(value: object, style: str = "") -> Text:
    """A table cell that is always plain text (no markup, no control characters)."""
    return Text(safe_text(value, single_line=True), style=style)


def facts_table(facts: list[Fact], docs: dict[str, Document] | None = None, *, title: str = "") -> Table:
    table = Table(title=cell(title) if title else None, box=box.SIMPLE_HEAD, expand=False)
    for name, justify in (("id", "left"), ("metric", "left"), ("value", "right"), ("common", "right"),
                          ("region", "left"), ("period", "left"), ("topic", "left"), ("doc", "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for f in facts:
        qual = {"approx": "~", "over": ">", "under": "<"}.get(f.qualifier, "")
        table.add_row(cell(f.id, "dim"), cell(f.metric_zh or f.metric_en), cell(qual + as_written(f), "bold"),
                      cell(common_value(f)), cell(f.region), cell(f.period), cell(f.topic), cell(f.doc, "dim"))
    return table


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of block characters, eighths for the last cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")


def comparison_table(comp: Comparison) -> Table:
    label = "region" if comp.by == "region" else "period"
    table = Table(title=cell(f"{comp.title} · {comp.period_label}"), box=box.SIMPLE_HEAD)
    table.add_column(label)
    table.add_column(f"value ({comp.unit_label})" if comp.unit_label else "value", justify="right")
    table.add_column("qualifier")
    if comp.by == "region":
        table.add_column("period")
    table.add_column("change", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("", min_width=BAR_WIDTH)
    table.add_column("note")
    table.add_column("source", overflow="fold", max_width=40)
    for row in comp.rows:
        change = ""
        if row.change_abs is not None:
            change = f"{row.change_abs:+,.2f}".rstrip("0").rstrip(".")
            if row.change_rel is not None:
                change += f" ({row.change_rel:+.1%})"
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
        period = [cell(row.period)] if comp.by == "region" else []
        table.add_row(cell(row.label), cell(row.display, "bold"), cell(row.qualifier), *period,
                      cell(change), cell(ratio), cell(bar(row.bar), "cyan"), cell(row.note, "yellow"),
                      cell(row.excerpt, "dim"))
    return table


def set_apart_lines(comp: Comparison) -> list[Text]:
    return [cell(f"set apart (other unit): {f.region} {as_written(f)} {f.period}") for f in comp.set_apart]


def value_text(value: float) -> str:
    return format_number(value)
