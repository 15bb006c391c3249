"""The browser's other screens: a whole document with its facts, a comparison, and help."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tibet_facts.store.compare import Comparison, compare_facts
from tibet_facts.store.errors import TibetFactsError
from tibet_facts.store.format import as_written
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.render import bar
from tibet_facts.store.sanitize import safe_text
from tibet_facts.tui.safe import to_text


def wrapped_line(text: str, offset: int, width: int, console: Console) -> int:
    """The screen line (0-based) on which text[offset] appears when text is wrapped to width."""
    start = text.rfind("\n", 0, offset) + 1
    before = text[:start].split("\n")[:-1]
    rows = sum(len(Text(par).wrap(console, width)) or 1 for par in before)
    prefix = text[start:offset + 1]
    return rows + max(0, len(Text(prefix).wrap(console, width)) - 1)


class DocumentScreen(Screen[None]):
    """The whole document, scrolled to a fact with its number highlighted; n/p walk its facts."""

    BINDINGS = [
        Binding("n", "next", "Next fact", id="doc_next"),
        Binding("p", "previous", "Previous fact", id="doc_previous"),
        Binding("escape,q", "back", "Back", id="doc_back"),
    ]

    def __init__(self, doc: Document, facts: list[Fact], current: Fact) -> None:
        super().__init__()
        self.doc = doc
        self.facts = facts
        self.index = next((i for i, f in enumerate(facts) if f.id == current.id), 0)

    def compose(self) -> ComposeResult:
        yield Static(id="doc-title")
        with VerticalScroll(id="doc-scroll"):
            yield Static(id="doc-text")
        yield Footer()

    def on_mount(self) -> None:
        self._render_fact()

    def _render_fact(self) -> None:
        fact = self.facts[self.index] if self.facts else None
        head = f"{self.doc.title} · {self.doc.publisher} · {self.doc.date}"
        if fact is not None:
            head += f"  —  fact {self.index + 1}/{len(self.facts)}: {as_written(fact)} {fact.metric_zh or fact.metric_en}"
        self.query_one("#doc-title", Static).update(to_text(head, "bold"))
        text = safe_text(self.doc.text, single_line=False)
        body = Text(text)
        if fact is not None and 0 <= fact.start < fact.end <= len(text):
            body.stylize("bold reverse", fact.start, fact.end)
            body.stylize("underline", fact.sentence_start, fact.sentence_end)
        self.query_one("#doc-text", Static).update(body)
        if fact is not None:
            self.call_after_refresh(self._scroll_to_offset, text, fact.start)

    def _scroll_to_offset(self, text: str, offset: int) -> None:
        """Scroll so the screen line holding text[offset] is near the top: paragraphs are long
        single lines that wrap, so the screen line is counted by wrapping them as shown."""
        scroll = self.query_one("#doc-scroll", VerticalScroll)
        width = max(10, self.query_one("#doc-text", Static).content_size.width)
        scroll.scroll_to(y=max(0, wrapped_line(text, offset, width, self.app.console) - 3), animate=False)

    def action_next(self) -> None:
        if self.facts:
            self.index = (self.index + 1) % len(self.facts)
            self._render_fact()

    def action_previous(self) -> None:
        if self.facts:
            self.index = (self.index - 1) % len(self.facts)
            self._render_fact()

    def action_back(self) -> None:
        self.dismiss(None)


class CompareScreen(Screen[None]):
    """Facts side by side: one row per place (or period), one common unit, change, ratio, bars."""

    BINDINGS = [
        Binding("g", "toggle_group", "By region/period", id="cmp_group"),
        Binding("b", "baseline", "Baseline", id="cmp_baseline"),
        Binding("e", "export", "Export", id="cmp_export"),
        Binding("escape,q", "back", "Back", id="cmp_back"),
    ]

    def __init__(self, facts: list[Fact], docs: dict[str, Document], label: str) -> None:
        super().__init__()
        self.facts = facts
        self.docs = docs
        self.label = label
        self.by = "region"
        self.baseline: str | None = None
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="cmp-title")
        yield DataTable(id="cmp-table", cursor_type="row")
        yield Static(id="cmp-notes")
        yield Footer()

    def on_mount(self) -> None:
        self._render_comparison()
        self.query_one("#cmp-table", DataTable).focus()

    def _render_comparison(self) -> None:
        comp = compare_facts(self.facts, by=self.by, baseline=self.baseline)
        self.comparison = comp
        title = f"{comp.title} · by {comp.by} · {comp.period_label}"
        if comp.unit_label:
            title += f" · values in {comp.unit_label}"
        if self.baseline:
            title += f" · ratio to {self.baseline}"
        self.query_one("#cmp-title", Static).update(to_text(title, "bold"))
        table = self.query_one("#cmp-table", DataTable)
        table.clear(columns=True)
        names = [comp.by, f"value ({comp.unit_label})" if comp.unit_label else "value", "qual", "period", "change", "ratio", "", "note", "source"]
        if comp.by == "period":
            names.remove("period")  # the row label is already the period
        for name in names:
            table.add_column(to_text(name))
        for row in comp.rows:
            change = ""
            if row.change_abs is not None:
                change = f"{row.change_abs:+,.2f}" + (f" ({row.change_rel:+.1%})" if row.change_rel is not None else "")
            period = [to_text(row.period)] if comp.by == "region" else []
            table.add_row(to_text(row.label), to_text(row.display, "bold"), to_text(row.qualifier), *period,
                          to_text(change), to_text(f"{row.ratio:.2f}×" if row.ratio is not None else ""),
                          to_text(bar(row.bar, 12), "cyan"), to_text(row.note, "yellow"), to_text(row.excerpt[:50], "dim"))
        notes = list(comp.notes) + [f"set apart (other unit): {f.region} {as_written(f)} {f.period}" for f in comp.set_apart]
        self.query_one("#cmp-notes", Static).update(to_text("\n".join(notes) or " ", single_line=False))

    def action_toggle_group(self) -> None:
        self.by = "period" if self.by == "region" else "region"
        self.baseline = None
        self._render_comparison()

    def action_baseline(self) -> None:
        table = self.query_one("#cmp-table", DataTable)
        if self.comparison and 0 <= table.cursor_row < len(self.comparison.rows):
            self.baseline = self.comparison.rows[table.cursor_row].label
            self._render_comparison()

    def action_export(self) -> None:
        from tibet_facts.tui.dialogs import ExportDialog

        self.app.push_screen(ExportDialog(), self._start_export)

    def _start_export(self, choice: tuple[Path, str] | None) -> None:
        self._export(choice)

    def _tell(self, message: str, severity: str) -> None:
        self.app.notify(safe_text(message, single_line=True), severity=severity, markup=False)  # type: ignore[arg-type]

    @work(thread=True, exit_on_error=False)
    def _export(self, choice: tuple[Path, str] | None) -> None:
        from tibet_facts.store.export import export_comparison

        if choice is None or self.comparison is None:
            return
        try:
            export_comparison(self.comparison, self.docs, choice[0], choice[1], force=True)
        except TibetFactsError as exc:
            self.app.call_from_thread(self._tell, str(exc), "error")
            return
        self.app.call_from_thread(self._tell, f"exported the comparison to {choice[0]}", "information")

    def action_back(self) -> None:
        self.dismiss(None)


class HelpScreen(Screen[None]):
    """Every key of the browser and its screens, generated from their bindings."""

    BINDINGS = [Binding("escape,q,question_mark", "back", "Back", id="help_back")]

    def __init__(self, bindings: list[BindingType]) -> None:
        super().__init__()
        self.bindings_list = bindings

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._help_text(), id="help-text")
        yield Footer()

    def _help_text(self) -> Text:
        sections = [("Browse", self.bindings_list), ("Document", DocumentScreen.BINDINGS),
                    ("Compare", CompareScreen.BINDINGS)]
        out = Text("tibet-facts — keys\n\n", style="bold")
        for title, bindings in sections:
            out.append(f"{title}\n", style="bold underline")
            for b in bindings:
                if isinstance(b, Binding):
                    keys = b.key.replace("question_mark", "?").replace("slash", "/").replace("space", "space")
                    out.append(f"  {keys:<22}", style="bold cyan")
                    out.append(f"{b.description}\n")
            out.append("\n")
        out.append("Filter: words match the metric, quote and places; region:X (with the places under it), "
                   "topic:X, year:2019 or 2019..2025, kind:X, unit:X, doc:X, value>N.\n")
        out.append("ctrl+p opens the command palette with every action.\n")
        return out

    def action_back(self) -> None:
        self.dismiss(None)
