"""Modal dialogs of the browser: the export format and path, and the correction of a fact."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from tibet_facts.store.model import TOPICS, Fact

EXPORT_FORMATS = ("csv", "json", "md", "html", "svg", "tsv", "jsonl", "xlsx")


class ExportDialog(ModalScreen[tuple[Path, str] | None]):
    """Choose a format and a path; dismisses (path, format) or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export_cancel")]
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 60; height: auto; border: thick $primary; padding: 1 2; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Export the current view"))
            yield Select([(f, f) for f in EXPORT_FORMATS], value="csv", allow_blank=False, id="export-format")
            yield Input(value=str(Path.cwd() / "tibet-facts.csv"), id="export-path")
            yield Button("Export", id="export-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        box = self.query_one("#export-path", Input)
        box.value = str(Path(box.value).with_suffix(f".{event.value}"))

    @on(Button.Pressed, "#export-ok")
    @on(Input.Submitted, "#export-path")
    def confirm(self) -> None:
        fmt = str(self.query_one("#export-format", Select).value)
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        self.dismiss((path, fmt))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditDialog(ModalScreen[tuple[str, dict[str, str]] | None]):
    """Correct a fact's metric, region, period or topic; dismisses (fact id, the fields the
    user changed) or None. Fields left as they were are not sent: their corrections stay."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="edit_cancel")]
    DEFAULT_CSS = """
    EditDialog { align: center middle; }
    EditDialog > Vertical { width: 70; height: auto; border: thick $primary; padding: 1 2; background: $surface; }
    """

    def __init__(self, fact: Fact) -> None:
        super().__init__()
        self.fact = fact

    def compose(self) -> ComposeResult:
        f = self.fact
        with Vertical():
            yield Label(Text("Correct this fact (enter saves, escape cancels)"))
            yield Input(value=f.metric_zh, placeholder="metric (Chinese)", id="edit-metric_zh")
            yield Input(value=f.metric_en, placeholder="metric (English)", id="edit-metric_en")
            yield Input(value=f.region, placeholder="region (official name)", id="edit-region")
            yield Input(value=f.period, placeholder="period: 2025, 2025-01..2025-08, as of 2025-08", id="edit-period")
            yield Select([(t, t) for t in TOPICS], value=f.topic if f.topic in TOPICS else TOPICS[0],
                         allow_blank=False, id="edit-topic")
            yield Button("Save", id="edit-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#edit-metric_zh", Input).focus()

    @on(Button.Pressed, "#edit-ok")
    @on(Input.Submitted)
    def save(self) -> None:
        def value(name: str) -> str | None:
            text = self.query_one(f"#edit-{name}", Input).value.strip()
            return text if text and text != getattr(self.fact, name) else None

        topic = str(self.query_one("#edit-topic", Select).value)
        changes = {name: v for name in ("metric_zh", "metric_en", "region", "period") if (v := value(name))}
        if topic != self.fact.topic:
            changes["topic"] = topic
        self.dismiss((self.fact.id, changes))

    def action_cancel(self) -> None:
        self.dismiss(None)
