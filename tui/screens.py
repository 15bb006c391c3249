"""The browser's other screens: a whole document with its facts, a comparison, and help."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tibet_facts.store.format import as_written
from tibet_facts.store.model import Document, Fact
from tibet_facts.store.sanitize import safe_text
from tibet_facts.tui.safe import to_text


def __getattr__(name: str) -> object:
    """CompareScreen lives in tui/compare_screen.py (it imports the chart widget, loaded only
    when a comparison opens)."""
    if name == "CompareScreen":
        from tibet_facts.tui.compare_screen import CompareScreen

        return CompareScreen
    raise AttributeError(name)


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
        from tibet_facts.tui.compare_screen import CompareScreen

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
