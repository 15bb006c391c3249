"""The fact table: a header and one pre-rendered line per row, with a row cursor (Line API).

DataTable renders every cell through Rich on every frame; our rows are already laid out as one
line of fixed-width columns (tui/app.py), so each is rendered to a Strip once and a frame only
crops and styles the visible ones. A repaint of a 120x40 table drops from ~12 ms to ~2 ms. The
API is the slice of DataTable's that the browser uses (add_row, clear, move_cursor, cursor_row,
row_count, RowHighlighted/RowSelected), so the browser reads the same either way.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class _RowMessage(Message):
    def __init__(self, rows: RowList, cursor_row: int) -> None:
        super().__init__()
        self.rows = rows
        self.cursor_row = cursor_row

    @property
    def control(self) -> RowList:
        return self.rows


class RowList(ScrollView, can_focus=True):
    """Rows of text under a header; the cursor row is highlighted; enter selects it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First row", show=False),
        Binding("end,ctrl+end", "last", "Last row", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"rowlist--header", "rowlist--cursor", "rowlist--even-row"}
    DEFAULT_CSS = """
    RowList {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .rowlist--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        &:dark > .rowlist--even-row { background: $surface-darken-1 40%; }
        & > .rowlist--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .rowlist--header { background: ansi_bright_blue; color: ansi_default; }
        & > .rowlist--even-row { background: $surface-lighten-1 50%; }
        & > .rowlist--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class RowHighlighted(_RowMessage):
        """The cursor moved to a row."""

    class RowSelected(_RowMessage):
        """Enter (or a double click) on a row."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._header = Text()
        self._lines: list[Text] = []
        self._keys: list[str | None] = []
        self._strips: dict[int, Strip] = {}
        self._header_strip: Strip | None = None

    # --- the DataTable-like API the browser uses ---------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._lines)

    def add_column(self, label: Text, *, key: str | None = None, width: int | None = None) -> None:
        """The header line (the browser lays its columns out in one line)."""
        self._header = label
        self._header_strip = None
        self._resize()

    def clear(self, columns: bool = False) -> RowList:
        self._lines, self._keys, self._strips = [], [], {}
        if columns:
            self._header, self._header_strip = Text(), None
        self.set_reactive(RowList.cursor_row, 0)
        self._resize()
        self.scroll_to(y=0, animate=False)
        self.refresh()
        return self

    def add_row(self, line: Text, *, key: str | None = None) -> None:
        self.add_rows([line], [key])

    def add_rows(self, lines: list[Text], keys: list[str | None]) -> None:
        """Lines at the end, with one resize and one refresh for them all (a page of rows one
        at a time set the virtual size and asked for a refresh sixty times per keystroke)."""
        if not lines:
            return
        first = len(self._lines) + 1  # screen line 0 is the header
        self._lines += lines
        self._keys += keys
        self._resize()
        self.refresh_lines(first, len(lines))

    def get_cell_at(self, coordinate: tuple[int, int]) -> Text:
        return self._lines[coordinate[0]]

    def move_cursor(self, *, row: int) -> None:
        self.cursor_row = row

    # --- cursor ---------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._lines) - 1)) if self._lines else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._strips.pop(old, None)
        self._strips.pop(new, None)
        self.refresh_lines(old + 1, 1)
        self.refresh_lines(new + 1, 1)
        self._scroll_to_cursor()
        if self._lines:
            self.post_message(self.RowHighlighted(self, new))

    def _scroll_to_cursor(self) -> None:
        body = max(1, self.size.height - 1)  # lines under the header
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + body:
            self.scroll_to(y=self.cursor_row - body + 1, animate=False)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= max(1, self.size.height - 2)

    def action_page_down(self) -> None:
        self.cursor_row += max(1, self.size.height - 2)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._lines) - 1

    def action_select_cursor(self) -> None:
        if self._lines:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1 + self.scroll_offset.y
        if 0 <= row < len(self._lines) and event.y >= 1:
            self.cursor_row = row
            if event.chain > 1:
                self.action_select_cursor()

    # --- rendering --------------------------------------------------------------------------

    def _resize(self) -> None:
        width = max([self._header.cell_len, *(line.cell_len for line in self._lines[-1:])])
        self.virtual_size = Size(width, len(self._lines) + 1)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips, self._header_strip = {}, None

    def _strip(self, text: Text, style: Style) -> Strip:
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, post_style=None, style=style), text.cell_len)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:
            if self._header_strip is None:
                header = base + self.get_component_rich_style("rowlist--header")
                self._header_strip = self._strip(self._header, header)
            style = base + self.get_component_rich_style("rowlist--header")
            return self._header_strip.crop_extend(scroll_x, scroll_x + width, style)
        row = y - 1 + scroll_y
        if row >= len(self._lines):
            return Strip.blank(width, base)
        style = base
        if row % 2:
            style += self.get_component_rich_style("rowlist--even-row")
        if row == self.cursor_row:
            style += self.get_component_rich_style("rowlist--cursor")
        strip = self._strips.get(row)
        if strip is None:
            strip = self._strips[row] = self._strip(self._lines[row], style)
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_offsets(scroll_x, y)
