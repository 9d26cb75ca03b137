"""The Load screen: every save in the save folder, newest first; Enter resumes one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from game.tui import saving
from game.tui.markup import cell, plain
from game.tui.text import number
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.listtable import ListTable

if TYPE_CHECKING:
    from game.tui.app import AccordApp
    from game.tui.saving import SaveRow


class LoadScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SaveRow] = []

    @property
    def accord(self) -> AccordApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("[b]Load a saved game[/b]", classes="topbar")
        with Vertical(id="load-body"):
            yield ListTable(id="save-table", cursor_type="row", zebra_stripes=True)
            yield Static("Reading the save folder…", id="load-note")
        yield Static("[dim]↑/↓ choose · Enter load · Esc back[/]", classes="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#save-table", DataTable)
        table.add_columns("Name", "Scenario", "Turn", "Score", "Kind", "Saved")
        table.focus()
        self.read()

    @work(thread=True, exclusive=True)
    def read(self) -> None:
        folder = self.accord.saves_folder()
        rows: list[SaveRow] = []
        if folder is None:
            note = "Saving is not available in this version of Accord."
        else:
            try:
                rows = saving.listing(folder)
                note = f"{len(rows)} save{'s' if len(rows) != 1 else ''} in {folder}"
            except saving.error_types() as exc:
                note = f"The save folder cannot be read: {exc}"
        self.app.call_from_thread(self._show, rows, note)

    def _show(self, rows: list[SaveRow], note: str) -> None:
        self.rows = rows
        table = self.query_one("#save-table", DataTable)
        table.clear()
        for i, row in enumerate(rows):
            turn = f"{row.turn}/{row.turns}" + (" ✓" if row.finished else "")
            table.add_row(
                cell(row.name or row.slot), cell(row.scenario), cell(turn), number(row.score),
                cell(row.kind), cell(row.updated),
                key=str(i),
            )  # fmt: skip
        if not rows and "cannot" not in note:
            note = "No saved games yet. " + note
        self.query_one("#load-note", Static).update(plain(note))

    @on(DataTable.RowSelected, "#save-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        index = event.cursor_row
        if 0 <= index < len(self.rows):
            self.accord.resume_save(self.rows[index].path)

    def action_back(self) -> None:
        self.dismiss(None)
