"""The Load screen: every save in the save folder, newest first; Enter resumes one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import DataTable, Static

from game.tui import saving
from game.tui.markup import cell, plain
from game.tui.screens.lists import ListScreen
from game.tui.text import number

NAME = 48  # the most characters of a save's name or scenario shown in the list

if TYPE_CHECKING:
    from game.tui.saving import SaveRow


class LoadScreen(ListScreen):
    TOPBAR = "[b]Load a saved game[/b]"
    KEYS = "↑/↓ choose · Enter load · Esc back"
    BODY_ID, TABLE_ID = "load-body", "save-table"
    COLUMNS = ("Name", "Scenario", "Turn", "Score", "Kind", "Saved")
    NOTE_ID, NOTE = "load-note", "Reading the save folder…"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SaveRow] = []

    @work(thread=True, exclusive=True)
    def fill(self) -> None:
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
                cell(row.name or row.slot, NAME), cell(row.scenario, NAME), cell(turn),
                number(row.score),
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
