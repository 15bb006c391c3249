"""The fact browser: filter as you type, read the source, compare side by side, export, cite.

The store is opened and filtered in thread workers so the first screen paints at once and a
newer keystroke cancels an older filter. Every piece of document text reaches the screen as a
sanitized Text object, never as markup.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker, WorkerState, get_current_worker

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.excerpt import excerpt_text, fact_fields
from tibet_facts.store.format import as_written, citation, common_value
from tibet_facts.store.model import Fact
from tibet_facts.store.query import Query, QueryError, parse
from tibet_facts.store.repository import FactStore
from tibet_facts.store.sanitize import safe_text
from tibet_facts.tui.rows import RowList
from tibet_facts.tui.safe import to_text
from tibet_facts.tui.view import Groups, Row, View, build_view, count_facets, group_ids

COLUMNS = (("metric", "metric"), ("value", "value"), ("region", "region"), ("period", "period"),
           ("common", "common unit"), ("topic", "topic"), ("doc", "document"), ("n", "×"))
# Cells wider than their column end in "…" (Rich measures CJK characters as two cells).
COLUMN_GAP = "  "
COLUMN_WIDTHS = {"metric": 36, "value": 14, "region": 12, "period": 10, "common": 14, "topic": 16, "doc": 18, "n": 3}
SORTS = ("doc", "value", "metric", "region", "period", "topic")
NARROW = 100
# Seconds a signalled app has to end the normal way before the process ends at once.
EXIT_GRACE = 3.0
# The table shows this many rows at most (the whole bundled corpus): a longer list is for refining
# the filter or exporting, and filling a table with 100,000 rows would take seconds a keystroke.
TABLE_LIMIT = 250
# The table gets this many rows at first and this many more as the cursor nears its end.
PAGE = 60
# The facets are counted once typing has paused this long (seconds).
FACET_PAUSE = 0.25
# Up to this many facts a filter runs at once on the UI thread (a few ms); above, in a worker.
SYNC_ROWS = 5000


def fit_cell(text: Text, width: int) -> Text:
    """Exactly `width` cells: cut with "…" when longer, never halving a wide character."""
    if text.cell_len > width:
        plain, cut = text.plain, len(text.plain)
        while cut and cell_len(plain[:cut]) > width - 1:
            cut -= 1
        text = text[:cut] + Text("…")
    text.pad_right(width - text.cell_len)
    return text


class FactsApp(App[None]):
    """Browse, check and compare the facts of one store."""

    TITLE = "tibet-facts"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="filter"),
        Binding("escape", "leave_filter", "Back to the table", show=False, id="leave_filter"),
        Binding("enter", "open_document", "Document", id="document"),
        Binding("space", "mark", "Mark", id="mark"),
        Binding("c", "compare_marked", "Compare", id="compare"),
        Binding("m", "compare_metric", "Metric", id="metric"),
        Binding("e", "export", "Export", id="export"),
        Binding("y", "copy", "Cite", id="copy"),
        Binding("s", "sort", "Sort", id="sort"),
        Binding("S", "sort_reverse", "Reverse", show=False, id="sort_reverse"),
        Binding("x", "reject", "Reject", show=False, id="reject"),
        Binding("E", "edit", "Edit", show=False, id="edit"),
        Binding("R", "toggle_rejected", "Show rejected", show=False, id="show_rejected"),
        Binding("f", "toggle_facets", "Facets", show=False, id="facets"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, store_path: Path | None = None, query: str = "", *, poll: float = 2.0,
                 catch_signals: bool = False) -> None:
        super().__init__()
        self.catch_signals = catch_signals
        self._signalled = False
        self.failed_status = 0  # the exit status when the store could not be opened
        self.store_path = store_path
        self.initial_query = query
        self.poll = poll
        self.store: FactStore | None = None
        self.view: View | None = None
        self.rows: list[Row] = []  # the rows in the table (the view's first TABLE_LIMIT)
        self._gids: Groups = Groups(array("l"), b"")  # per table row of the store, its figure (mentions grouped)
        self.marked: set[str] = set()
        self.sort_by = "doc"
        self.sort_reverse = False
        self.show_rejected = False
        self._facet_key: tuple[object, ...] = ()
        self._facet_timer: Timer | None = None
        self._column_widths: dict[str, int] = {}
        self._cell_cache: dict[tuple[object, ...], tuple[Text]] = {}
        self._detail_state: tuple[object, ...] = ()
        self.worker_errors: list[str] = []  # failures of background work, also shown as notifications

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Input(value=self.initial_query, placeholder="filter: words region: topic: year: kind: unit: value>N",
                    id="filter")
        yield Static(Text("loading the store…"), id="status")
        with Horizontal(id="body"):
            yield Tree(Text("facets"), id="facets")
            with Vertical(id="main"):
                yield RowList(id="facts")
                yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        # References, not queries: App.query_one searches the active screen, which may be a
        # document or comparison screen when a worker's result arrives.
        self.table = self.query_one("#facts", RowList)
        self.filter_box = self.query_one("#filter", Input)
        self.status_bar = self.query_one("#status", Static)
        self.detail = self.query_one("#detail", Static)
        self.facets = self.query_one("#facets", Tree)
        table = self.table
        self.facets.show_root = False
        self._fit(self.size.width)
        table.focus()
        if self.catch_signals:
            self._catch_signals()
        self.load_store()
        if self.poll:
            self.set_interval(self.poll, self.check_store)

    def _catch_signals(self) -> None:
        """SIGTERM, SIGHUP and SIGINT end the app the normal way, so the terminal gets its
        screen, cursor and mouse modes back (a plain kill would leave them as Textual set them).

        A Python-level handler, not the event loop's: a loop stuck in a write to a terminal
        that has gone (its tmux server died) never runs its own handlers, and the app would
        outlive every signal but SIGKILL. The handler asks the loop to exit and arms a timer:
        if the app has not ended within EXIT_GRACE seconds, or on a second signal, the process
        ends at once with the same status."""
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return  # tests, serve: the default handling stays
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, frame: object) -> None:
        import os
        import threading

        status = 128 + signum
        if self._signalled:
            os._exit(status)
        self._signalled = True
        timer = threading.Timer(EXIT_GRACE, os._exit, (status,))
        timer.daemon = True
        timer.start()
        try:
            self.call_from_thread(self.exit, None, status)
        except RuntimeError:  # the handler ran on the loop's own thread, between its steps
            self.call_later(self.exit, None, status)

    def on_resize(self, event: object) -> None:
        self._fit(self.size.width)

    @property
    def _metric_width(self) -> int:
        """The metric column gives way first, so value, region and period fit at 80 columns."""
        return 18 if self.size.width < NARROW else 36

    def _fit(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")
        if not hasattr(self, "facets"):
            return
        widths = self._widths()
        if widths != self._column_widths:
            # Fixed widths: a filter that brings longer values never re-lays out the screen.
            self._column_widths = widths
            self.table.clear(columns=True)
            header = self._line([to_text(label) for _, label in COLUMNS])
            self.table.add_column(header, key="row", width=header.cell_len)
            self._fill_table()
        self.call_after_refresh(self._refresh_facets)

    def _widths(self) -> dict[str, int]:
        return {**COLUMN_WIDTHS, "metric": self._metric_width}

    # --- loading and filtering (thread workers) ---------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_store(self) -> None:
        from tibet_facts.store.db.paths import default_store_path
        from tibet_facts.store.ingest import open_store

        path = Path(self.store_path) if self.store_path else default_store_path()
        try:
            store = open_store(path)  # first use: built from the bundled seeds
        except TibetFactsError as exc:
            self.failed_status = exc.exit_code  # quitting then says so (65 for a damaged store)
            self.call_from_thread(self._status, f"cannot open the store: {exc}", error=True)
            return
        gids = group_ids(store.table)
        self.call_from_thread(self._loaded, store, gids)
        store.table.prepare()  # after the first screen: the first keystrokes need not pay for it
        # The store's columns are long-lived lists of 100,000 items: without this, every full
        # garbage collection walks them all (50-100 ms pauses while typing). Frozen objects are
        # still freed by reference counting when a reload drops them.
        gc.freeze()

    def _loaded(self, store: FactStore, gids: Groups) -> None:
        self.store = store
        self._gids = gids
        self.refilter()

    def check_store(self) -> None:
        """Another process committed (an ingest, a correction): reload what it wrote."""
        if self.store is not None and self.store.changed_on_disk():
            self.action_reload()

    def refilter(self) -> None:
        self.filter(self.filter_box.value)

    def filter(self, text: str) -> None:
        """Small stores filter at once on the UI thread; large ones in a cancellable worker."""
        if self.store is None:
            return
        if self.store.table.n > SYNC_ROWS:
            self.run_filter(text)
            return
        try:
            query = parse(text)
        except QueryError as exc:
            self._status(str(exc), error=True)
            return
        self._show(self._build(text, query))

    def _build(self, text: str, query: Query, limit: int | None = TABLE_LIMIT) -> View:
        assert self.store is not None
        return build_view(text, query, self.store.table, self._gids, sort=self.sort_by, reverse=self.sort_reverse,
                          limit=limit, include_rejected=self.show_rejected)

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def run_filter(self, text: str) -> None:
        worker = get_current_worker()
        try:
            query = parse(text)
        except QueryError as exc:
            self.call_from_thread(self._status, str(exc), error=True)
            return
        view = self._build(text, query)
        if worker.is_cancelled:
            return
        self.call_from_thread(self._show, view)  # the facets are counted after, in a worker

    def tell(self, message: str, *, severity: str = "information", title: str = "") -> None:
        """A notification of plain text: document text in a message is never read as markup."""
        self.notify(safe_text(message, single_line=True), title=title, severity=severity,  # type: ignore[arg-type]
                    markup=False)

    def _status(self, message: str, *, error: bool = False) -> None:
        self.status_bar.update(to_text(message, "bold red" if error else ""), layout=False)  # one fixed line

    def _show(self, view: View) -> None:
        if view.query != self.filter_box.value:
            return  # a newer keystroke is being filtered
        self.view = view
        self.rows = view.rows
        marks = f" · {len(self.marked)} marked" if self.marked else ""
        shown = f" · showing first {TABLE_LIMIT:,}" if view.groups > TABLE_LIMIT else ""
        self._status(f"{view.status}{shown} · sorted by {self.sort_by}{' ↓' if self.sort_reverse else ''}{marks}")
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
            self.call_from_thread(self._refresh_facets)

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
        for row in self.rows[table.row_count:upto]:
            table.add_row(*self._cells(row), key=row.fact.id)

    def _line(self, cells: list[Text]) -> Text:
        """Cells laid out in their columns' fixed widths, as one line of text.

        Each line is rendered once (tui/rows.py); a frame only crops and styles the visible
        ones. Wide (CJK) characters count as two cells."""
        fitted = [fit_cell(cell, self._column_widths.get(name, 40)) for (name, _), cell in zip(COLUMNS, cells, strict=True)]
        return Text(" ") + Text(COLUMN_GAP).join(fitted)  # a cell of margin, as a table has

    def _cells(self, row: Row) -> tuple[Text]:
        """A row's line, built once per fact (and again only when marks or widths change)."""
        f = row.fact
        key = (f.id, f.id in self.marked, self._metric_width, row.mentions, f.metric_zh, f.region, f.period, f.topic)
        cached = self._cell_cache.get(key)
        if cached is None:
            qual = {"approx": "~", "over": ">", "under": "<"}.get(f.qualifier, "")
            cells = [to_text(("● " if f.id in self.marked else "") + (f.metric_zh or f.metric_en)),
                     to_text(qual + as_written(f), "bold"), to_text(f.region), to_text(f.period),
                     to_text(common_value(f)), to_text(f.topic), to_text(f.doc, "dim"),
                     to_text(row.mentions if row.mentions > 1 else "")]
            cached = (self._line(cells),)
            self._cell_cache[key] = cached
        return cached

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

    # --- events -------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (an I/O error, a bug) is reported; the app keeps running."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.worker_errors.append(f"{type(error).__name__}: {error}")
            self.tell(f"{event.worker.name or 'a task'} failed: {type(error).__name__}: {error}", severity="error")

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        if self._facet_timer is not None:
            self._facet_timer.stop()  # still typing: the facets wait for a pause
            self._facet_timer = None
        if self.store is not None:
            self.filter(event.value)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.table.focus()

    @on(RowList.RowHighlighted, "#facts")
    def row_highlighted(self, event: RowList.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            self._show_detail(self.rows[event.cursor_row].fact)
        if event.cursor_row >= self.table.row_count - PAGE // 4 and self.table.row_count < len(self.rows):
            self._add_rows(self.table.row_count + PAGE)

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
        state = (fact.id, fact.metric_zh, fact.region, fact.period, fact.topic,
                 self.store.is_rejected(fact.id) if self.store else False)
        if state == self._detail_state:
            return  # the same fact: re-rendering the long excerpt would only cost time
        self._detail_state = state
        doc = self.store.document(fact.doc_id) if self.store else None
        lines = [Text.assemble((f"{name:>11} ", "bold"), value) for name, value in fact_fields(fact, doc)]
        body = Text("\n").join([excerpt_text(fact, doc, context=80), Text(""), *lines])
        if self.store and self.store.is_rejected(fact.id):
            body = Text.assemble(("REJECTED\n", "bold red"), body)
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
        self.marked.symmetric_difference_update({fact.id})
        table = self.table
        row = table.cursor_row
        if self.view:
            self._show(self.view)
        table.move_cursor(row=min(row + 1, len(self.rows) - 1))

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
        self.push_screen(DocumentScreen(doc, in_doc, fact))

    def action_compare_marked(self) -> None:
        store = self.store
        found = [store.fact(fact_id) for fact_id in sorted(self.marked)] if store else []
        facts = [f for f in found if f is not None]
        if len(facts) < 1:
            self.tell("mark facts with space first, or press m to compare a metric", severity="warning")
            return
        self._compare(facts, "marked facts")

    def action_compare_metric(self) -> None:
        from tibet_facts.store.query import peers_query

        fact = self.current()
        if fact is not None and self.store is not None:
            peers = self.store.find(peers_query(fact), include_rejected=self.show_rejected)
            self._compare(peers, fact.metric_en or fact.metric_zh)

    def _compare(self, facts: list[Fact], label: str) -> None:
        from tibet_facts.tui.screens import CompareScreen

        docs = self.store.documents if self.store else {}
        self.push_screen(CompareScreen(facts, docs, label))

    def action_export(self) -> None:
        from tibet_facts.tui.dialogs import ExportDialog

        view = self.view
        if view is None:
            return
        self.push_screen(ExportDialog(), lambda choice: self._start_export(choice, view))

    def _start_export(self, choice: tuple[Path, str] | None, view: View) -> None:
        self._export(choice, view)

    @work(thread=True, exit_on_error=False)
    def _export(self, choice: tuple[Path, str] | None, view: View) -> None:
        """Exactly the rows of the view, every one of them (the table shows the first few)."""
        from tibet_facts.store.export import export_facts

        if choice is None or self.store is None:
            return
        path, fmt = choice
        docs, title = self.store.documents, view.status
        full = self._build(view.query, parse(view.query), limit=None)
        facts = [r.fact for r in full.rows]
        try:
            export_facts(facts, docs, path, fmt, force=True, title=title)
        except TibetFactsError as exc:
            self.call_from_thread(self.tell, str(exc), severity="error")
            return
        self.call_from_thread(self.tell, f"exported {len(facts)} facts to {path}")

    def action_copy(self) -> None:
        fact = self.current()
        if fact is None:
            return
        doc = self.store.documents.get(fact.doc_id) if self.store else None
        text = citation(fact, doc)
        self.copy_to_clipboard(text)
        self.tell(f"copied: {text}", title="citation")

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
        self.push_screen(EditDialog(fact), self._edited)

    def _edited(self, edit: tuple[str, dict[str, str]] | None) -> None:
        if edit is not None and edit[1]:
            self._save_correction(*edit, "correction saved")

    @work(thread=True, exit_on_error=False, group="write")
    def _save_correction(self, fact_id: str, changes: dict[str, Any], message: str) -> None:
        """Merge some corrected fields into the fact's correction (the others are kept)."""
        from tibet_facts.store.curation import checked

        assert self.store is not None
        try:
            self.store.correct(fact_id, checked(changes))
        except TibetFactsError as exc:
            self.call_from_thread(self.tell, str(exc), severity="error")
            return
        gids = group_ids(self.store.table)
        self.call_from_thread(self.tell, message)
        self.call_from_thread(self._loaded, self.store, gids)

    def action_toggle_rejected(self) -> None:
        self.show_rejected = not self.show_rejected
        self.refilter()
        self.tell("showing rejected facts" if self.show_rejected else "hiding rejected facts")

    def action_toggle_facets(self) -> None:
        self.toggle_class("facets-shown")
        self.call_after_refresh(self._refresh_facets)

    def action_reload(self) -> None:
        self.load_store()

    def action_help(self) -> None:
        from tibet_facts.tui.screens import HelpScreen

        self.push_screen(HelpScreen(self.BINDINGS))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Browse actions belong to the browse screen: hidden and inert on the document,
        comparison and help screens (which have their own keys). Focus moves everywhere: Tab
        and Shift+Tab walk a dialog's fields."""
        shared = ("quit", "help", "command_palette", "focus_next", "focus_previous")
        if len(self.screen_stack) > 1 and action not in shared:
            return False
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the browser in the command palette, with its key."""
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.action not in ("quit", "help"):
                action = binding.action
                yield SystemCommand(f"{binding.description} ({binding.key})", f"run {action}",
                                    lambda a=action: self.run_action(a))


def run_app(store_path: Path | None = None, query: str = "") -> int:
    """Open the browser (the console script's default command); the exit status: 0, or
    128 + the signal that ended it (SIGTERM 143, SIGHUP 129, SIGINT 130), or the status of
    the error that kept the store from opening (65 for a damaged store)."""
    app = FactsApp(store_path, query, catch_signals=True)
    app.run()
    return app.return_code or app.failed_status or 0
