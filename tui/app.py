"""The fact browser's App: it opens the store (in a thread, so the first screen paints at once),
reloads it when another process commits, reports failed workers and ends the program (on q or
a signal). What is browsed is the BrowseScreen's (tui/browse.py): its keys are its own.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.model import Fact
from tibet_facts.store.repository import FactStore
from tibet_facts.store.sanitize import safe_text
from tibet_facts.tui.browse import (  # noqa: F401 - the names tests and benches know
    COLUMN_WIDTHS,
    COLUMNS,
    NARROW,
    PAGE,
    SORTS,
    SYNC_ROWS,
    TABLE_LIMIT,
    BrowseScreen,
    fit_cell,
)
from tibet_facts.tui.view import Groups, Row, View, group_ids

# Seconds a signalled app has to end the normal way before the process ends at once.
EXIT_GRACE = 3.0


class FactsApp(App[None]):
    """Browse, check and compare the facts of one store."""

    TITLE = "tibet-facts"
    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, id="app_quit")]

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
        self.gids: Groups = Groups(array("l"), b"")  # per table row of the store, its figure (mentions grouped)
        self.worker_errors: list[str] = []  # failures of background work, also shown as notifications
        self.browse = BrowseScreen(query)

    def get_default_screen(self) -> Screen[Any]:
        return self.browse

    def on_mount(self) -> None:
        if self.catch_signals:
            self._catch_signals()
        # The store is loaded once the browse screen is mounted (it shows what is loaded).
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

    # --- the store (thread workers) --------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_store(self) -> None:
        from tibet_facts.store.db.paths import default_store_path
        from tibet_facts.store.ingest import open_store

        path = Path(self.store_path) if self.store_path else default_store_path()
        try:
            store = open_store(path)  # first use: built from the bundled seeds
        except TibetFactsError as exc:
            self.failed_status = exc.exit_code  # quitting then says so (65 for a damaged store)
            self.call_from_thread(self.browse._status, f"cannot open the store: {exc}", error=True)
            return
        gids = group_ids(store.table)
        self.call_from_thread(self._loaded, store, gids)
        store.table.prepare()  # after the first screen: the first keystrokes need not pay for it
        # The store's columns are long-lived lists of 100,000 items: without this, every full
        # garbage collection walks them all (50-100 ms pauses while typing). Frozen objects are
        # still freed by reference counting when a reload drops them.
        gc.freeze()

    def regroup(self, store: FactStore) -> None:
        """After a correction (from a worker thread): the figures again, then the browse screen."""
        gids = group_ids(store.table)
        self.call_from_thread(self._loaded, store, gids)

    def _loaded(self, store: FactStore, gids: Groups) -> None:
        self.store = store
        self.gids = gids
        self.browse.loaded()

    def check_store(self) -> None:
        """Another process committed (an ingest, a correction): reload what it wrote."""
        if self.store is not None and self.store.changed_on_disk():
            self.load_store()

    # --- what the browse screen holds, by its old names -----------------------------------

    @property
    def rows(self) -> list[Row]:
        return self.browse.rows

    @property
    def view(self) -> View | None:
        return self.browse.view

    @property
    def marked(self) -> frozenset[str]:
        return self.browse.marked

    @property
    def sort_by(self) -> str:
        return self.browse.sort_by

    @property
    def filter_box(self) -> Any:
        return self.browse.filter_box

    def current(self) -> Fact | None:
        return self.browse.current()

    # --- messages -----------------------------------------------------------------------

    def tell(self, message: str, *, severity: str = "information", title: str = "") -> None:
        """A notification of plain text: document text in a message is never read as markup."""
        self.notify(safe_text(message, single_line=True), title=title, severity=severity,  # type: ignore[arg-type]
                    markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_changed(event)

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (an I/O error, a bug) is reported; the app keeps running."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.worker_errors.append(f"{type(error).__name__}: {error}")
            self.tell(f"{event.worker.name or 'a task'} failed: {type(error).__name__}: {error}", severity="error")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands and the active screen's, each described in words with its key."""
        yield from super().get_system_commands(screen)
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.action not in ("quit", "app.quit", "help"):
                action = binding.action
                words = binding.tooltip or binding.description
                yield SystemCommand(f"{binding.description} ({_key_name(binding.key)})", words,
                                    lambda a=action, s=screen: s.run_action(a))


def _key_name(key: str) -> str:
    return key.replace("question_mark", "?").replace("slash", "/")


def run_app(store_path: Path | None = None, query: str = "") -> int:
    """Open the browser (the console script's default command); the exit status: 0, or
    128 + the signal that ended it (SIGTERM 143, SIGHUP 129, SIGINT 130), or the status of
    the error that kept the store from opening (65 for a damaged store)."""
    app = FactsApp(store_path, query, catch_signals=True)
    app.run()
    return app.return_code or app.failed_status or 0
