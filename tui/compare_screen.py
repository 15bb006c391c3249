"""The comparison screen: one metric and kind as a table (places as rows, periods as columns)
or as a chart (a line a place), with the two periods of the change, the baseline place, the
display unit and the kind chosen by keys; the export writes what is on screen.

The table is the grid of store/compare_out.py, laid out in fixed-width columns as one line of
text a row (header and rows by the same function, so they always line up) in a RowList, whose
Home and End move the cursor.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static
from textual.worker import Worker

from tibet_facts.store.compare import CompareError, CompareRow, Comparison, compare_facts, unit_choices
from tibet_facts.store.compare_out import Grid, grid, note_lines, title_text
from tibet_facts.store.format import as_written
from tibet_facts.store.model import KINDS, Document, Fact
from tibet_facts.tui.browse import fit_cell
from tibet_facts.tui.rows import RowList
from tibet_facts.tui.safe import to_text

# No column is wider than this (a long note or conflict ends in "…"; the pane below has it all).
MAX_COLUMN = 30
# The sources and notes pane holds this many lines (app.tcss: #cmp-notes max-height).
NOTE_LINES = 5
EXPORTS = ("csv", "json", "jsonl", "md", "html", "svg")


class CompareScreen(Screen[None]):
    """Facts side by side: one metric, one kind, one unit; change, ratio, sources; a chart."""

    BINDINGS = [
        Binding("v", "toggle_view", "Chart/table", id="cmp_view", tooltip="Show the chart or the table"),
        Binding("g", "toggle_group", "By region/period", id="cmp_group",
                tooltip="Places as rows, or each place's periods as rows"),
        Binding("b", "baseline", "Baseline", id="cmp_baseline",
                tooltip="Ratios to the highlighted row's place (again: no baseline)"),
        Binding("f", "from_period", "From", id="cmp_from", tooltip="The earlier period of the change: the next one"),
        Binding("t", "to_period", "To", id="cmp_to", tooltip="The later period of the change: the next one"),
        Binding("u", "unit", "Unit", id="cmp_unit", tooltip="Show the values in the next unit (元, 万元, 亿元…)"),
        Binding("k", "kind", "Kind", id="cmp_kind", tooltip="Compare the metric's next kind (level, change…)"),
        Binding("e", "export", "Export", id="cmp_export", tooltip="Export the table or the chart on screen"),
        Binding("escape,q", "back", "Back", id="cmp_back", tooltip="Back to the facts"),
    ]

    def __init__(self, facts: list[Fact], docs: dict[str, Document], label: str, *,
                 kind: str | None = None) -> None:
        super().__init__()
        self.facts = facts
        self.docs = docs
        self.label = label
        self.by = "region"
        self.kind = kind
        self.baseline: str | None = None
        self.start: str | None = None
        self.end: str | None = None
        self.unit: str | None = None
        self.chart_view = False
        self.comparison: Comparison | None = None
        self.grid: Grid | None = None

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield Static(id="cmp-title")
        with ContentSwitcher(initial="cmp-table", id="cmp-views"):
            yield RowList(id="cmp-table")
            yield PlotextPlot(id="cmp-chart")
        yield Static(id="cmp-notes")
        yield Footer()

    def on_mount(self) -> None:
        self._render_comparison()
        self.query_one("#cmp-table", RowList).focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from tibet_facts.tui.app import FactsApp

        if isinstance(self.app, FactsApp):
            self.app.worker_changed(event)

    # --- drawing ------------------------------------------------------------------------

    def _compare(self) -> Comparison:
        kind = self.kind if self.kind in {f.kind for f in self.facts} else None
        return compare_facts(self.facts, by=self.by, baseline=self.baseline, kind=kind, start=self.start,
                             end=self.end, unit=self.unit)

    def _render_comparison(self) -> None:
        try:
            comp = self._compare()
        except CompareError as exc:  # a choice the facts do not have: back to the defaults
            self.app.notify(str(exc), severity="warning", markup=False)
            self.baseline = self.start = self.end = self.unit = None
            comp = self._compare()
        self.comparison, self.kind = comp, comp.kind
        self.grid = grid(comp, self.docs, self.app.size.width)
        self.query_one("#cmp-title", Static).update(to_text(self._title(comp), "bold"))
        self._fill_table(self.grid)
        self._draw_chart(comp)
        self._show_sources()

    def _title(self, comp: Comparison) -> str:
        view = "chart" if self.chart_view else f"by {comp.by}"
        return f"{title_text(comp)} · {view}"

    def _fill_table(self, g: Grid) -> None:
        table = self.query_one("#cmp-table", RowList)
        keep = table.cursor_row
        widths = [min(MAX_COLUMN, max([cell_len(h), *(cell_len(r.cells[i]) for r in g.rows)]))
                  for i, h in enumerate(g.header)]
        table.clear(columns=True)
        table.add_column(self._line(g.header, widths, g.numeric))
        for r in g.rows:
            line = self._line(r.cells, widths, g.numeric)
            if r.row.kind != self.kind:
                line.stylize("italic")  # the metric's other kinds: rows of their own
            table.add_row(line)
        table.move_cursor(row=min(keep, max(0, table.row_count - 1)))

    @staticmethod
    def _line(cells: list[str], widths: list[int], numeric: set[int]) -> Text:
        """One row of the table: every cell in its column's width (numbers to the right)."""
        fitted = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            text = to_text(cell)
            if i in numeric and text.cell_len < width:
                text = Text(" " * (width - text.cell_len)) + text
            fitted.append(fit_cell(text, width))
        return Text(" ") + Text("  ").join(fitted)

    def _draw_chart(self, comp: Comparison) -> None:
        from textual_plotext import PlotextPlot

        from tibet_facts.store.chart import chart_data, draw

        plot = self.query_one("#cmp-chart", PlotextPlot)
        draw(plot.plt, chart_data(comp))
        plot.refresh()
        self.query_one("#cmp-views", ContentSwitcher).current = "cmp-chart" if self.chart_view else "cmp-table"

    def current_row(self) -> CompareRow | None:
        table = self.query_one("#cmp-table", RowList)
        g = self.grid
        if g is None or not 0 <= table.cursor_row < len(g.rows):
            return None
        return g.rows[table.cursor_row].row

    def _show_sources(self) -> None:
        """The highlighted row's figures, each with its quote and document; then the notes."""
        row = self.current_row()
        lines: list[str] = []
        if row is not None and not self.chart_view:
            for cell in row.cells.values():
                for f in [cell.fact, *cell.conflict]:
                    doc = self.docs.get(f.doc_id)
                    source = ", ".join(x for x in (doc.title, doc.publisher, doc.date) if x) if doc else f.doc
                    lines.append(f"{row.place} {cell.period} ({row.kind}): {as_written(f)} “{f.quote}” — {source}")
        lines += note_lines(self.comparison) if self.comparison else []
        if len(lines) > NOTE_LINES:  # the pane shows this many: laying out thousands took seconds
            rest = len(lines) - NOTE_LINES + 1
            lines = [*lines[:NOTE_LINES - 1], f"… and {rest} more line(s): e exports them all"]
        self.query_one("#cmp-notes", Static).update(to_text("\n".join(lines) or " ", single_line=False))

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        self._show_sources()

    # --- actions ------------------------------------------------------------------------

    def action_toggle_view(self) -> None:
        self.chart_view = not self.chart_view
        self._render_comparison()

    def action_toggle_group(self) -> None:
        self.by = "period" if self.by == "region" else "region"
        self.baseline = None
        self._render_comparison()

    def action_baseline(self) -> None:
        row = self.current_row()
        if row is not None:
            self.baseline = None if self.baseline == row.place else row.place
            self._render_comparison()

    def _dated(self) -> list[str]:
        comp = self.comparison
        return [p for p in comp.periods if p != "unknown"] if comp else []

    def action_from_period(self) -> None:
        self.start = self._next(self._dated(), self.comparison.from_period if self.comparison else None)
        self._render_comparison()

    def action_to_period(self) -> None:
        self.end = self._next(self._dated(), self.comparison.to_period if self.comparison else None)
        self._render_comparison()

    @staticmethod
    def _next(choices: list[str], current: str | None) -> str | None:
        if not choices:
            return None
        i = choices.index(current) if current in choices else -1
        return choices[(i + 1) % len(choices)]

    def action_unit(self) -> None:
        comp = self.comparison
        choices = unit_choices(comp.base_unit) if comp else []
        if choices:
            self.unit = self._next(choices, comp.unit_label if comp else None)
            self._render_comparison()

    def action_kind(self) -> None:
        kinds = [k for k in KINDS if k in {f.kind for f in self.facts}]
        self.kind = self._next(kinds, self.kind)
        self.start = self.end = self.unit = self.baseline = None
        self._render_comparison()

    def action_export(self) -> None:
        from tibet_facts.tui.dialogs import ExportDialog

        what = "chart" if self.chart_view else "table"
        self.app.push_screen(ExportDialog(f"Export the comparison's {what}", EXPORTS,
                                          "svg" if self.chart_view else "csv", f"tibet-facts-{what}"),
                             self._start_export)

    def _start_export(self, choice: tuple[Path, str] | None) -> None:
        from tibet_facts.tui.exporting import export_in_worker

        comp, chart = self.comparison, self.chart_view
        if choice is None or comp is None:
            return

        def write(path: Path, fmt: str) -> str:
            from tibet_facts.store.compare_out import render
            from tibet_facts.store.export import write_atomic

            write_atomic(path, render(comp, self.docs, fmt, chart=chart), force=True)
            return f"exported the comparison's {'chart' if chart and fmt == 'svg' else 'table'} to {path}"

        export_in_worker(self, choice, write)

    def action_back(self) -> None:
        self.dismiss(None)
