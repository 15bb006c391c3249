"""The one export helper of the browser's screens: the chosen file is written in a thread worker
and the outcome (or the one-line error) is a plain-text notification."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.dom import DOMNode

from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.sanitize import safe_text

# Writes the file and says what it wrote ("exported 8 facts to …").
Writer = Callable[[Path, str], str]


def export_in_worker(node: DOMNode, choice: tuple[Path, str], write: Writer) -> None:
    """Run `write(path, format)` off the UI thread; tell the user how it went."""
    app = node.app

    def tell(message: str, severity: str) -> None:
        app.notify(safe_text(message, single_line=True), severity=severity, markup=False)  # type: ignore[arg-type]

    def job() -> None:
        path, fmt = choice
        try:
            said = write(path, fmt)
        except TibetFactsError as exc:
            app.call_from_thread(tell, str(exc), "error")
            return
        app.call_from_thread(tell, said, "information")

    node.run_worker(job, thread=True, exit_on_error=False, group="export", name="export")
