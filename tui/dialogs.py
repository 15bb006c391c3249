"""Modal dialogs of the browser: the export format and path, and the correction of a fact."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from tibet_facts.store.model import KINDS, TOPICS, Fact

EXPORT_FORMATS = ("csv", "json", "md", "html", "svg", "tsv", "jsonl", "xlsx")


class ExportDialog(ModalScreen[tuple[Path, str] | None]):
    """Choose a format and a path; dismisses (path, format) or None. The format list and the
    path's extension agree: choosing a format sets the extension, typing a known extension
    chooses its format (a path ending in .md is written as Markdown)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export_cancel")]
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 64; max-width: 100%; height: auto; border: thick $primary;
                              padding: 1 2; background: $surface; }
    """

    def __init__(self, title: str = "Export the current view", formats: tuple[str, ...] = EXPORT_FORMATS,
                 default: str = "csv", name: str = "tibet-facts") -> None:
        super().__init__()
        self.title_text = title
        self.formats = formats
        self.default = default if default in formats else formats[0]
        self.file_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"{self.title_text} (tab moves, enter writes, escape cancels)"))
            yield Select([(f, f) for f in self.formats], value=self.default, allow_blank=False, id="export-format")
            yield Input(value=str(Path.cwd() / f"{self.file_name}.{self.default}"), id="export-path")
            yield Button("Export", id="export-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        box = self.query_one("#export-path", Input)
        if self._suffix(box.value) != event.value:
            box.value = str(Path(box.value).with_suffix(f".{event.value}"))

    @on(Input.Changed, "#export-path")
    def path_changed(self, event: Input.Changed) -> None:
        suffix = self._suffix(event.value)
        select = self.query_one("#export-format", Select)
        if suffix and select.value != suffix:
            select.value = suffix

    def _suffix(self, path: str) -> str:
        suffix = Path(path).suffix.lstrip(".").lower()
        return suffix if suffix in self.formats else ""

    @on(Button.Pressed, "#export-ok")
    @on(Input.Submitted, "#export-path")
    def confirm(self) -> None:
        text = self.query_one("#export-path", Input).value
        fmt = self._suffix(text) or str(self.query_one("#export-format", Select).value)
        self.dismiss((Path(text).expanduser(), fmt))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditDialog(ModalScreen[tuple[str, dict[str, str]] | None]):
    """Correct a fact's metric, region, period, topic or kind (Tab walks the fields); dismisses
    (fact id, the fields the user changed) or None. Fields left as they were are not sent:
    their corrections stay. One line a field, so the dialog fits 80x24."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="edit_cancel")]
    DEFAULT_CSS = """
    EditDialog { align: center middle; }
    EditDialog > Vertical { width: 72; max-width: 100%; height: auto; border: thick $primary;
                            padding: 0 1; background: $surface; }
    EditDialog Horizontal { height: 1; margin-bottom: 1; }
    EditDialog Horizontal > Label { width: 10; }
    EditDialog Horizontal > Input, EditDialog Horizontal > Select { width: 1fr; }
    """

    def __init__(self, fact: Fact) -> None:
        super().__init__()
        self.fact = fact

    def compose(self) -> ComposeResult:
        f = self.fact
        with Vertical():
            yield Label(Text("Correct this fact (tab moves, enter saves, escape cancels)"))
            for name, label, hint in (("metric_zh", "metric", "metric (Chinese)"),
                                      ("metric_en", "metric en", "metric (English)"),
                                      ("region", "region", "a place, by any of its names"),
                                      ("period", "period", "2025, 2025-01..2025-08, as of 2025-08")):
                with Horizontal():
                    yield Label(Text(label))
                    yield Input(value=getattr(f, name), placeholder=hint, id=f"edit-{name}", compact=True)
            for name, values in (("topic", TOPICS), ("kind", KINDS)):
                current = getattr(f, name)
                with Horizontal():
                    yield Label(Text(name))
                    yield Select([(v, v) for v in values], value=current if current in values else values[0],
                                 allow_blank=False, id=f"edit-{name}", compact=True)
            yield Button("Save", id="edit-ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#edit-metric_zh", Input).focus()

    @on(Button.Pressed, "#edit-ok")
    @on(Input.Submitted)
    def save(self) -> None:
        def value(name: str) -> str | None:
            text = self.query_one(f"#edit-{name}", Input).value.strip()
            return text if text and text != getattr(self.fact, name) else None

        changes = {name: v for name in ("metric_zh", "metric_en", "region", "period") if (v := value(name))}
        for name in ("topic", "kind"):
            chosen = str(self.query_one(f"#edit-{name}", Select).value)
            if chosen != getattr(self.fact, name):
                changes[name] = chosen
        self.dismiss((self.fact.id, changes))

    def action_cancel(self) -> None:
        self.dismiss(None)
