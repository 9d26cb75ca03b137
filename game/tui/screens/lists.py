"""The screens that are a list to choose from: the scenario picker and the Load screen (apart
from game.tui.screens.base, so that the menu's first frame does not wait on the table's import).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from game.tui.screens.base import AccordScreen
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.listtable import ListTable


class ListScreen(AccordScreen):
    """A title, a table to choose a row from with a note under it, the keys, and Esc back: the
    scenario picker and the Load screen. A screen names its parts and fills its rows in `fill`
    (in a worker), once the table has its columns and the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]
    TOPBAR: ClassVar[str]
    KEYS: ClassVar[str]  # the status bar
    BODY_ID: ClassVar[str]
    TABLE_ID: ClassVar[str]
    COLUMNS: ClassVar[tuple[str, ...]]
    NOTE_ID: ClassVar[str]
    NOTE: ClassVar[str]  # until the rows come

    def make_table(self) -> ListTable:
        return ListTable(id=self.TABLE_ID, cursor_type="row", zebra_stripes=True)

    def compose(self) -> ComposeResult:
        yield Static(self.TOPBAR, classes="topbar")
        with Vertical(id=self.BODY_ID):
            yield self.make_table()
            yield Static(self.NOTE, id=self.NOTE_ID)
        yield Static(f"[dim]{self.KEYS}[/]", classes="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(f"#{self.TABLE_ID}", DataTable)
        table.add_columns(*self.COLUMNS)
        table.focus()
        self.fill()

    def fill(self) -> object:  # a worker: it returns the Worker it starts
        raise NotImplementedError

    def action_back(self) -> None:
        self.dismiss(None)
