"""A DataTable of rows to pick from, where Home and End go to the first and the last row."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class ListTable(DataTable[str | Text]):
    """Textual's DataTable scrolls sideways on Home and End; in a list of rows (scenarios,
    saves) they move the cursor, as in every other list of the game."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first_row", "First", show=False),
        Binding("end", "last_row", "Last", show=False),
    ]

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)
