"""The browse screen: filter as you type, read the source, mark, compare, export, cite, correct.

Its own Screen with its own keys (the App only loads the store and ends the program), so its
keys are inert under a dialog and a dialog's Tab/Shift+Tab are the dialog's. The filter, the
highlighted fact and the marks are reactives: changing one redraws what depends on it.

A store of more than FILTER_SYNC_ROWS facts is filtered in thread workers, so a newer keystroke
cancels an older filter. Every piece of document text reaches the screen as a sanitized Text, never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.cells import chop_cells
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker, get_current_worker

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.excerpt import excerpt_text, fact_fields
from tibet_facts.store.format import as_written, citation, common_value
from tibet_facts.store.model import Fact
from tibet_facts.store.query import Query, QueryError, parse
from tibet_facts.store.repository import FactStore
from tibet_facts.tui.rows import RowList
from tibet_facts.tui.safe import to_text
from tibet_facts.tui.view import Row, View, build_view, count_facets

if TYPE_CHECKING:
    from tibet_facts.tui.app import FactsApp

COLUMNS = (("metric", "metric"), ("value", "value"), ("kind", "kind"), ("region", "region"),
           ("period", "period"), ("common", "common unit"), ("topic", "topic"), ("doc", "document"),
           ("n", "×"))
# Cells wider than their column end in "…" (Rich measures CJK characters as two cells).
COLUMN_GAP = "  "
COLUMN_WIDTHS = {"metric": 36, "value": 14, "kind": 6, "region": 12, "period": 10, "common": 14, "topic": 16,
                 "doc": 18, "n": 3}
SORTS = ("doc", "value", "metric", "region", "period", "topic")
NARROW = 100
# The table shows this many rows at most (the whole bundled corpus): a longer list is for refining
# the filter or exporting, and filling a table with 100,000 rows would take seconds a keystroke.
TABLE_LIMIT = 250
# The table gets this many rows at first and this many more as the cursor nears its end.
PAGE = 60
# The facets are counted once typing has paused this long (seconds).
FACET_PAUSE = 0.25
# Up to this many facts the facets are counted at once on the UI thread (a few ms); above, in
# a worker.
SYNC_ROWS = 5000
# Up to this many facts a filter runs at once on the UI thread: at 100,000 it takes 5-25 ms, less
# than a thread worker adds to it (the GIL passing between the worker and the event loop put
# 17 ms on the median keystroke: bench_tui at 100,000 facts, p95 61 ms in a worker, 40 ms
# inline). Above (a million facts: ~190 ms a filter), a worker that a newer keystroke cancels
# keeps typing from queueing up behind the filters.
FILTER_SYNC_ROWS = 200_000
# The marker of a rejected fact (shown with R), beside the dimmed, struck-through row.
REJECTED = "✗ "


def fit_cell(text: Text, width: int) -> Text:
    """Exactly `width` cells: cut with "…" when longer, never halving a wide character."""
    if text.cell_len > width:
        # Rich's grapheme-aware cut, of the first `width` characters only (a character is at
        # least a cell; a zero-width one only makes the cut shorter): a conflict of thousands
        # of figures was shortened a character at a time, which took seconds.
        cut = len(chop_cells(text.plain[:width], width - 1)[0]) if width > 1 else 0
        text = text[:cut] + Text("…")
    text.pad_right(width - text.cell_len)
    return text


class BrowseScreen(Screen[None]):
    """Browse, check and compare the facts of one store."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="filter",
                tooltip="Type a filter: words, region:, topic:, year:, kind:, unit:, value>N"),
        Binding("escape", "leave_filter", "Back to the table", show=False, id="leave_filter",
                tooltip="Leave the filter line for the table (the filter stays)"),
        Binding("enter", "open_document", "Document", id="document",
                tooltip="Read the highlighted fact in its whole document"),
        Binding("space", "mark", "Mark", id="mark", tooltip="Mark or unmark the highlighted fact to compare"),
        Binding("c", "compare_marked", "Compare", id="compare", tooltip="Compare the marked facts"),
        Binding("m", "compare_metric", "Metric", id="metric",
                tooltip="Compare every fact of the highlighted fact's metric"),
        Binding("e", "export", "Export", id="export", tooltip="Export every fact of the filter to a file"),
        Binding("y", "copy", "Cite", id="copy", tooltip="Copy the highlighted fact's citation"),
        Binding("s", "sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding("S", "sort_reverse", "Reverse", show=False, id="sort_reverse", tooltip="Reverse the order"),
        Binding("x", "reject", "Reject", show=False, id="reject",
                tooltip="Reject the highlighted fact as wrong, or restore it"),
        Binding("E", "edit", "Edit", show=False, id="edit",
                tooltip="Correct the fact's metric, region, period, topic or kind"),
        Binding("R", "toggle_rejected", "Show rejected", show=False, id="show_rejected",
                tooltip="Show or hide rejected facts (struck through)"),
        Binding("f", "toggle_facets", "Facets", show=False, id="facets", tooltip="Show or hide the facets"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload", tooltip="Read the store again"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key of every screen"),
        Binding("q", "app.quit", "Quit", id="quit", tooltip="Quit"),
    ]

    # The filter as typed, the highlighted fact (its id) and the marked facts' ids.
    query_text: reactive[str] = reactive("", init=False)
    selected: reactive[str] = reactive("", init=False)
    marked: reactive[frozenset[str]] = reactive(frozenset(), init=False)

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.set_reactive(BrowseScreen.query_text, query)
        self.view: View | None = None
        self.rows: list[Row] = []  # the rows in the table (the view's first TABLE_LIMIT)
        self.sort_by = "doc"
        self.sort_reverse = False
        self.show_rejected = False
        self._facet_key: tuple[object, ...] = ()
        self._facet_timer: Timer | None = None
        self._column_widths: dict[str, int] = {}
        self._cell_cache: dict[tuple[object, ...], tuple[Text]] = {}
        self._detail_state: tuple[object, ...] = ()

    @property
    def facts_app(self) -> FactsApp:
        # a cast, not an isinstance check: this runs for every row shown, and the import an
        # isinstance check needs here (app.py imports this module) cost 5 % of a keystroke
        return cast("FactsApp", self.app)

    @property
    def store(self) -> FactStore | None:
        return self.facts_app.store

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Input(value=self.query_text, placeholder="filter: words region: topic: year: kind: unit: value>N",
                    id="filter")
        yield Static(Text("loading the store…"), id="status")
        with Horizontal(id="body"):
            yield Tree(Text("facets"), id="facets")
            with Vertical(id="main"):
                yield RowList(id="facts")
                yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.table = self.query_one("#facts", RowList)
        self.filter_box = self.query_one("#filter", Input)
        self.status_bar = self.query_one("#status", Static)
        self.detail = self.query_one("#detail", Static)
        self.facets = self.query_one("#facets", Tree)
        self.facets.show_root = False
        self._fit(self.app.size.width)
        self.table.focus()
        self.facts_app.load_store()

    def on_resize(self, event: object) -> None:
        self._fit(self.app.size.width)

    @property
    def _metric_width(self) -> int:
        """The metric column gives way first, so value, kind, region and period fit at 80 columns."""
        return 16 if self.app.size.width < NARROW else 36

    def _fit(self, width: int) -> None:
        self.app.set_class(width < NARROW, "narrow")
        if not hasattr(self, "facets"):
            return
        widths = {**COLUMN_WIDTHS, "metric": self._metric_width}
        if widths != self._column_widths:
            # Fixed widths: a filter that brings longer values never re-lays out the screen.
            self._column_widths = widths
            self.table.clear(columns=True)
            header = self._line([to_text(label) for _, label in COLUMNS])
            self.table.add_column(header, key="row", width=header.cell_len)
            self._fill_table()
        self.call_after_refresh(self._refresh_facets)

    # --- filtering (thread workers for large stores) -------------------------------------

    def loaded(self) -> None:
        """The App has (re)loaded the store: filter it again."""
        self._cell_cache.clear()
        self._detail_state = ()
        self.refilter()

    def refilter(self) -> None:
        self.filter(self.filter_box.value)

    def watch_query_text(self, text: str) -> None:
        if self._facet_timer is not None:
            self._facet_timer.stop()  # still typing: the facets wait for a pause
            self._facet_timer = None
        self.filter(text)

    def filter(self, text: str) -> None:
        """Small stores filter at once on the UI thread; large ones in a cancellable worker."""
        if self.store is None:
            return
        if self.store.table.n > FILTER_SYNC_ROWS:
            self.run_filter(text)
            return
        try:
            query = parse(text)
        except QueryError as exc:
            self._status(str(exc), error=True)
            return
        self._show(self._build(text, query))

    def _build(self, text: str, query: Query, limit: int | None = TABLE_LIMIT) -> View:
        store = self.store
        assert store is not None
        return build_view(text, query, store.table, self.facts_app.gids, sort=self.sort_by,
                          reverse=self.sort_reverse, limit=limit, include_rejected=self.show_rejected)

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def run_filter(self, text: str) -> None:
        worker = get_current_worker()
        try:
            query = parse(text)
        except QueryError as exc:
            self.app.call_from_thread(self._status, str(exc), error=True)
            return
        view = self._build(text, query)
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._show, view)  # the facets are counted after, in a worker

    def _status(self, message: str, *, error: bool = False) -> None:
        self.status_bar.update(to_text(message, "bold red" if error else ""), layout=False)  # one fixed line

    def _show(self, view: View) -> None:
        if view.query != self.filter_box.value:
            return  # a newer keystroke is being filtered
        self.view = view
        self.rows = view.rows
        marks = f" · {len(self.marked)} marked" if self.marked else ""
        shown = f" · showing first {TABLE_LIMIT:,}" if view.groups > TABLE_LIMIT else ""
        order = f"sorted by {self.sort_by}{' ↓' if self.sort_reverse else ''}"
        self._status(f"{view.status}{shown} · {order}{marks}")
        self._fill_table()
        if self.facets.display:
            # Counting facets and rebuilding their tree costs as much as the filter and its
            # table: done once typing pauses, so each keystroke only waits for the table.
            if self._facet_timer is not None:
                self._facet_timer.stop()
            self._facet_timer = self.set_timer(FACET_PAUSE, self._refresh_facets)

    def _refresh_facets(self) -> None:
        """The facet tree is rebuilt only while it is shown and only when its counts changed."""
        view = self.view
        if view is None or not self.facets.display or self.store is None:
            return
        if not view.counted:
            if self.store.table.n > SYNC_ROWS:
                self._count_facets(view)  # a large store: counted in a worker, which calls back
                return
            count_facets(view, self.store.table)
        if view.facet_key == self._facet_key:
            return
        self._facet_key = view.facet_key
        self._fill_facets(view)

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False)
    def _count_facets(self, view: View) -> None:
        if self.store is not None and not view.counted:
            count_facets(view, self.store.table)
        if view is self.view and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._refresh_facets)

    # --- the table ----------------------------------------------------------------------

    def _fill_table(self) -> None:
        table = self.table
        keep = table.cursor_row
        table.clear()
        self._add_rows(max(PAGE, keep + 1 + PAGE // 2))
        if self.rows:
            table.move_cursor(row=min(keep, table.row_count - 1))
            self._show_detail(self.rows[table.cursor_row].fact)
        else:
            self._detail_state = ()
            self.detail.update(Text("no facts match this filter", style="italic"))

    def _add_rows(self, upto: int) -> None:
        """Add the view's rows up to `upto` to the table: a page at a time, as the cursor nears
        its end (most filters are read from their first screen of rows)."""
        table = self.table
        rows = self.rows[table.row_count:upto]
        table.add_rows([self._cells(row)[0] for row in rows], [row.fact.id for row in rows])

    def _line(self, cells: list[Text]) -> Text:
        """Cells laid out in their columns' fixed widths, as one line of text.

        Each line is rendered once (tui/rows.py); a frame only crops and styles the visible
        ones. Wide (CJK) characters count as two cells."""
        fitted = [fit_cell(cell, self._column_widths.get(name, 40))
                  for (name, _), cell in zip(COLUMNS, cells, strict=True)]
        return Text(" ") + Text(COLUMN_GAP).join(fitted)  # a cell of margin, as a table has

    def _cells(self, row: Row) -> tuple[Text]:
        """A row's line, built once per fact (and again only when marks, widths or the
        rejection change)."""
        f = row.fact
        rejected = self.store.is_rejected(f.id) if self.store else False
        key = (f.id, f.id in self.marked, self._metric_width, row.mentions, f.metric_zh, f.region, f.period,
               f.topic, f.kind, rejected)
        cached = self._cell_cache.get(key)
        if cached is None:
            cached = (self._row_line(row, rejected),)
            self._cell_cache[key] = cached
        return cached

    def _row_line(self, row: Row, rejected: bool) -> Text:
        f = row.fact
        qual = {"approx": "~", "over": ">", "under": "<"}.get(f.qualifier, "")
        lead = (REJECTED if rejected else "") + ("● " if f.id in self.marked else "")
        cells = [to_text(lead + (f.metric_zh or f.metric_en)), to_text(qual + as_written(f), "bold"),
                 to_text(f.kind), to_text(f.region), to_text(f.period), to_text(common_value(f)),
                 to_text(f.topic), to_text(f.doc, "dim"), to_text(row.mentions if row.mentions > 1 else "")]
        line = self._line(cells)
        if rejected:
            line.stylize("dim strike")
        return line

    def _fill_facets(self, view: View) -> None:
        tree = self.facets
        tree.clear()
        topics = tree.root.add(Text("topics"), expand=True)
        for topic, n in view.topics.most_common():
            topics.add_leaf(to_text(f"{topic}  {n}"), data=f"topic:{topic}")
        regions = tree.root.add(Text("regions"), expand=True)
        nodes: dict[tuple[str, ...], TreeNode[str]] = {(): regions}
        for path in sorted(view.regions, key=lambda p: (len(p), p)):
            parent = nodes.get(path[:-1], regions)
            nodes[path] = parent.add(to_text(f"{path[-1]}  {view.regions[path]}"), data=f"region:{path[-1]}",
                                     expand=len(path) < 2)
        years = tree.root.add(Text("years"), expand=True)
        for year in sorted(view.years, reverse=True):
            years.add_leaf(to_text(f"{year}  {view.years[year]}"), data=f"year:{year}")
        undated = sum(view.topics.values()) - sum(view.years.values())
        if undated:  # facts whose period names no year are counted too, not left out
            years.add_leaf(to_text(f"unknown  {undated}"), data="period:unknown")

    # --- events -------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.facts_app.worker_changed(event)

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.table.focus()

    @on(RowList.RowHighlighted, "#facts")
    def row_highlighted(self, event: RowList.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            self.selected = self.rows[event.cursor_row].fact.id
        if event.cursor_row >= self.table.row_count - PAGE // 4 and self.table.row_count < len(self.rows):
            self._add_rows(self.table.row_count + PAGE)

    def watch_selected(self, fact_id: str) -> None:
        fact = self.current()
        if fact is not None and fact.id == fact_id:
            self._show_detail(fact)

    def watch_marked(self) -> None:
        if self.view:
            self._show(self.view)

    @on(RowList.RowSelected, "#facts")
    def row_selected(self) -> None:
        self.action_open_document()

    @on(Tree.NodeSelected, "#facets")
    def facet_chosen(self, event: Tree.NodeSelected) -> None:
        clause = event.node.data
        if not clause:
            return
        box = self.filter_box
        if " " in clause:
            clause = f'"{clause}"'
        box.value = f"{box.value} {clause}".strip()

    def _show_detail(self, fact: Fact) -> None:
        """The kind first (a narrow pane cuts what is below), then the excerpt and the fields."""
        rejected = self.store.is_rejected(fact.id) if self.store else False
        state = (fact.id, fact.metric_zh, fact.region, fact.period, fact.topic, fact.kind, rejected)
        if state == self._detail_state:
            return  # the same fact: re-rendering the long excerpt would only cost time
        self._detail_state = state
        doc = self.store.document(fact.doc_id) if self.store else None
        lines = [Text.assemble((f"{name:>11} ", "bold"), value) for name, value in fact_fields(fact, doc)]
        head = Text.assemble(("REJECTED  " if rejected else "", "bold red"), (f"{fact.kind}", "bold"),
                             f" · {as_written(fact)} · {fact.region} · {fact.period}")
        body = Text("\n").join([head, excerpt_text(fact, doc, context=80), Text(""), *lines])
        self.detail.update(body)

    # --- actions ------------------------------------------------------------------------

    def current(self) -> Fact | None:
        table = self.table
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= min(len(self.rows), table.row_count):
            return None
        return self.rows[table.cursor_row].fact

    def action_focus_filter(self) -> None:
        self.filter_box.focus()

    def action_leave_filter(self) -> None:
        """Escape from the filter line goes back to the table (the filter stays as typed)."""
        if self.filter_box.has_focus:
            self.table.focus()

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self.refilter()

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.refilter()

    def action_mark(self) -> None:
        fact = self.current()
        if fact is None:
            return
        row = self.table.cursor_row
        self.marked = self.marked ^ {fact.id}
        self.table.move_cursor(row=min(row + 1, len(self.rows) - 1))

    def action_open_document(self) -> None:
        from tibet_facts.tui.screens import DocumentScreen

        fact = self.current()
        store = self.store
        doc = store.document(fact.doc_id) if fact is not None and store is not None else None
        if fact is None or store is None or doc is None:
            return
        table = store.table
        rows = [i for i in table.doc_rows(fact.doc_id) if self.show_rejected or i not in table.rejected]
        in_doc = sorted(table.facts(rows), key=lambda f: f.start)
        self.app.push_screen(DocumentScreen(doc, in_doc, fact))

    def action_compare_marked(self) -> None:
        store = self.store
        found = [store.fact(fact_id) for fact_id in sorted(self.marked)] if store else []
        facts = [f for f in found if f is not None]
        if len(facts) < 1:
            self.facts_app.tell("mark facts with space first, or press m to compare a metric", severity="warning")
            return
        self._compare(facts, "marked facts")

    def action_compare_metric(self) -> None:
        """Every fact of the metric, every kind: the comparison screen keeps kinds apart."""
        from tibet_facts.store.query import metric_clause

        fact = self.current()
        if fact is not None and self.store is not None:
            key = fact.metric_id or fact.metric_zh or fact.metric_en
            peers = [f for f in self.store.find(Query(clauses=[metric_clause(key)]),
                                                include_rejected=self.show_rejected)
                     if (f.metric_id or f.metric_zh or f.metric_en) == key]
            self._compare(peers, fact.metric_en or fact.metric_zh, kind=fact.kind)

    def _compare(self, facts: list[Fact], label: str, kind: str | None = None) -> None:
        from tibet_facts.tui.compare_screen import CompareScreen

        docs = self.store.documents if self.store else {}
        self.app.push_screen(CompareScreen(facts, docs, label, kind=kind))

    def action_export(self) -> None:
        from tibet_facts.tui.dialogs import ExportDialog

        view = self.view
        if view is None:
            return
        self.app.push_screen(ExportDialog("Export the facts of this filter"),
                             lambda choice: self._start_export(choice, view))

    def _start_export(self, choice: tuple[Path, str] | None, view: View) -> None:
        from tibet_facts.tui.exporting import export_in_worker

        if choice is None or self.store is None:
            return
        store = self.store

        def write(path: Path, fmt: str) -> str:
            from tibet_facts.store.export import export_facts

            full = self._build(view.query, parse(view.query), limit=None)
            facts = [r.fact for r in full.rows]
            export_facts(facts, store.documents, path, fmt, force=True, title=view.status)
            return f"exported {len(facts)} facts to {path}"

        export_in_worker(self, choice, write)

    def action_copy(self) -> None:
        fact = self.current()
        if fact is None:
            return
        doc = self.store.documents.get(fact.doc_id) if self.store else None
        text = citation(fact, doc)
        self.app.copy_to_clipboard(text)
        self.facts_app.tell(f"copied: {text}", title="citation")

    def action_reject(self) -> None:
        fact = self.current()
        if fact is None or self.store is None:
            return
        rejected = self.store.is_rejected(fact.id)
        message = "restored" if rejected else "rejected (R shows rejected facts)"
        self._save_correction(fact.id, {"rejected": not rejected}, message)

    def action_edit(self) -> None:
        from tibet_facts.tui.dialogs import EditDialog

        fact = self.current()
        if fact is None:
            return
        self.app.push_screen(EditDialog(fact), self._edited)

    def _edited(self, edit: tuple[str, dict[str, str]] | None) -> None:
        if edit is not None and edit[1]:
            self._save_correction(*edit, "correction saved")

    @work(thread=True, exit_on_error=False, group="write")
    def _save_correction(self, fact_id: str, changes: dict[str, Any], message: str) -> None:
        """Merge some corrected fields into the fact's correction (the others are kept)."""
        from tibet_facts.store.curation import checked

        store = self.store
        assert store is not None
        try:
            store.correct(fact_id, checked(changes))
        except TibetFactsError as exc:
            self.app.call_from_thread(self.facts_app.tell, str(exc), severity="error")
            return
        self.app.call_from_thread(self.facts_app.tell, message)
        self.facts_app.regroup(store)

    def action_toggle_rejected(self) -> None:
        self.show_rejected = not self.show_rejected
        self.refilter()
        self.facts_app.tell("showing rejected facts" if self.show_rejected else "hiding rejected facts")

    def action_toggle_facets(self) -> None:
        self.app.toggle_class("facets-shown")
        self.call_after_refresh(self._refresh_facets)

    def action_reload(self) -> None:
        self.facts_app.load_store()

    def action_help(self) -> None:
        from tibet_facts.tui.screens import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))
