"""A light table for the dashboard: a header, rows of text cells and a row cursor.

Textual's DataTable re-renders every row when one cell changes (about 24 ms for ten rows
here); this widget caches each row's line and redraws only the rows that changed, so a key
press is answered within a frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from game.safe_text import printable
from game.tui.widgets import FocusUnstyled


@dataclass(frozen=True)
class Column:
    label: str
    right: bool = False  # right-aligned (numbers)


class RowTable(FocusUnstyled, Widget, can_focus=True):
    """Rows keyed by id; ↑/↓ move the cursor, Enter selects, a click highlights and clicks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rowtable--header",
        "rowtable--cursor",
        "rowtable--cursor-blurred",
    }
    DEFAULT_CSS = """
    RowTable { height: auto; width: 1fr; }
    RowTable > .rowtable--header { text-style: bold; color: $text-primary; }
    RowTable > .rowtable--cursor { background: $primary 30%; text-style: bold; }
    RowTable > .rowtable--cursor-blurred { background: $panel; }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False)

    @dataclass
    class RowMessage(Message):
        table: RowTable
        row: int
        key: str

        @property
        def control(self) -> RowTable:
            return self.table

    class Highlighted(RowMessage):
        """The cursor moved to a row."""

    class Selected(RowMessage):
        """Enter on a row."""

    @dataclass
    class Clicked(RowMessage):
        """A mouse click on a row (the cursor is already on it), `x` cells from the left."""

        x: int = 0

    def __init__(self, columns: Sequence[Column], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.keys: list[str] = []
        self.cells: list[tuple[str, ...]] = []
        self._widths = [len(c.label) for c in self.columns]
        self._cache: dict[int, tuple[object, Strip]] = {}
        # Called at once when the cursor moves, before the Highlighted message: what it
        # redraws (a forecast, a detail) comes in the same frame as the cursor.
        self.on_move: Callable[[], None] | None = None

    # ---- content --------------------------------------------------------------------

    def set_rows(self, rows: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Replace every row: (key, cells)."""
        self.keys = [key for key, _ in rows]
        # Cells are drawn as segments (never markup); controls are shown as escapes.
        self.cells = [tuple(printable(cell) for cell in cells) for _, cells in rows]
        self._measure()
        self._cache.clear()
        self.cursor_row = min(self.cursor_row, max(0, len(self.keys) - 1))
        self.refresh(layout=True)

    def set_cell(self, key: str, column: int, value: str) -> None:
        """Change one cell; only its row is redrawn (unless its column must widen)."""
        if key not in self.keys:
            return
        row = self.keys.index(key)
        value = printable(value)
        cells = list(self.cells[row])
        if cells[column] == value:
            return
        cells[column] = value
        self.cells[row] = tuple(cells)
        if len(value) > self._widths[column]:
            self._measure()
            self._cache.clear()
            self.refresh(layout=True)
        else:
            self._refresh_line(row + 1)

    def cell(self, key: str, column: int) -> str:
        return self.cells[self.keys.index(key)][column]

    @property
    def current_key(self) -> str | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None

    def _measure(self) -> None:
        self._widths = [
            max([len(col.label), *(len(row[i]) for row in self.cells)])
            for i, col in enumerate(self.columns)
        ]

    # ---- drawing --------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.keys) + 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return sum(self._widths) + 2 * len(self._widths)

    def _fitted_widths(self, width: int) -> list[int]:
        """Column widths for `width` cells: the first column gives way when space is short."""
        widths = list(self._widths)
        excess = sum(widths) + 2 * len(widths) - width
        if excess > 0:
            widths[0] = max(6, widths[0] - excess)
        return widths

    def column_span(self, column: int, width: int | None = None) -> range:
        """The x of a column's first `width` cells (all of them without `width`), as drawn."""
        widths = self._fitted_widths(self.size.width)
        start = 1 + sum(w + 2 for w in widths[:column])
        return range(start, start + (widths[column] if width is None else width))

    def _line_text(self, cells: Sequence[str], width: int) -> str:
        parts = []
        for cell, col, w in zip(cells, self.columns, self._fitted_widths(width), strict=True):
            if len(cell) > w:
                cell = cell[: w - 1] + "…"
            parts.append(cell.rjust(w) if col.right else cell.ljust(w))
        text = " " + "  ".join(parts) + " "
        return text[:width].ljust(width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("rowtable--header")
            text = self._line_text([c.label for c in self.columns], width)
            return Strip([Segment(text, style)], width)
        row = y - 1
        if row >= len(self.cells):
            return Strip.blank(width, self.rich_style)
        on_cursor = row == self.cursor_row
        marker = (width, on_cursor, on_cursor and self.has_focus, self.cells[row])
        cached = self._cache.get(row)
        if cached is not None and cached[0] == marker:
            return cached[1]
        row_style: Style = self.rich_style
        if on_cursor:
            name = "rowtable--cursor" if self.has_focus else "rowtable--cursor-blurred"
            row_style += self.get_component_rich_style(name)
        strip = Strip([Segment(self._line_text(self.cells[row], width), row_style)], width)
        self._cache[row] = (marker, strip)
        return strip

    def _refresh_line(self, y: int) -> None:
        self.refresh(Region(0, y, self.size.width, 1))

    # ---- moving ---------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_line(old + 1)
        self._refresh_line(new + 1)
        key = self.current_key
        if key is not None:
            self._scroll_to_row(new)
            if self.on_move is not None:
                self.on_move()
            self.post_message(self.Highlighted(self, new, key))

    def _scroll_to_row(self, row: int) -> None:
        parent = self.parent
        if isinstance(parent, Widget) and parent.is_scrollable:
            region = Region(0, self.virtual_region.y + row + 1, 1, 1)
            parent.scroll_to_region(region, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        if self.keys:
            self.cursor_row = max(0, min(len(self.keys) - 1, self.cursor_row + step))

    def action_jump(self, row: int) -> None:
        if self.keys:
            self.cursor_row = row % len(self.keys)

    def action_select(self) -> None:
        key = self.current_key
        if key is not None:
            self.post_message(self.Selected(self, self.cursor_row, key))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1
        if 0 <= row < len(self.keys):
            self.cursor_row = row
            self.post_message(self.Clicked(self, row, self.keys[row], event.x))

    def on_focus(self) -> None:
        self._refresh_line(self.cursor_row + 1)

    def on_blur(self) -> None:
        self._refresh_line(self.cursor_row + 1)
