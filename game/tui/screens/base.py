"""What every full screen of the game shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.listtable import ListTable

if TYPE_CHECKING:
    from game.tui.app import AccordApp


class AccordScreen(Screen[None]):
    """A full screen of Accord: `self.accord` is its app, typed as the AccordApp it is."""

    # Textual repaints the whole screen when the focus moves, after the widgets that gained
    # and lost it have repainted themselves: a second full frame for every tab switch.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    @property
    def accord(self) -> AccordApp:
        return self.app  # type: ignore[return-value]


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
