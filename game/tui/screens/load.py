"""The Load screen: every save in the save folder, newest first; Enter resumes one.

Turn and score are those each save's action log replays to: a save's own figures are what
its file says, and a file edited by hand could say anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import DataTable, Static

from game.safe_text import printable
from game.tui import saving
from game.tui.markup import cell, plain
from game.tui.screens.lists import ListScreen
from game.tui.text import number

NAME = 48  # the most characters of a save's name or scenario shown in the list
SHORTEST = 8  # however narrow the screen, this many characters of each
WHY = 140  # the most characters of a save's note (why it has no replayed score)

if TYPE_CHECKING:
    from game.tui.saving import SaveRow


class LoadScreen(ListScreen):
    TOPBAR = "[b]Load a saved game[/b]"
    KEYS = "↑/↓ choose · Enter load · Esc back"
    BODY_ID, TABLE_ID = "load-body", "save-table"
    COLUMNS = ("Name", "Scenario", "Turn", "Score", "Kind", "Saved", "Note")
    NOTE_ID, NOTE = "load-note", "Reading the save folder…"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SaveRow] = []
        self._note = ""  # the folder's summary, as the line under the table says it

    @work(thread=True, exclusive=True)
    def fill(self) -> None:
        folder = self.accord.saves_folder()
        rows: list[SaveRow] = []
        if folder is None:
            note = "Saving is not available in this version of Accord."
        else:
            try:
                rows = saving.replayed_listing(folder, self.accord.scenario_dirs)
                note = f"{len(rows)} save{'s' if len(rows) != 1 else ''} in {folder}"
                stuck = sum(1 for row in rows if row.problem)
                if stuck:
                    note += f" · {stuck} without a replayed score (see Note)"
                if len(rows) > saving.replayed_most():
                    note += f" · only the newest {saving.replayed_most()} are replayed"
            except saving.error_types() as exc:
                note = f"The save folder cannot be read: {exc}"
        self.app.call_from_thread(self._show, rows, note)

    def _show(self, rows: list[SaveRow], note: str) -> None:
        self.rows = rows
        table = self.query_one("#save-table", DataTable)
        at = table.cursor_row
        table.clear(columns=True)
        notes = any(row.problem for row in rows)  # a Note column only when one is needed
        table.add_columns(*(self.COLUMNS if notes else self.COLUMNS[:-1]))
        turns = [
            "" if row.problem else f"{row.turn}/{row.turns}" + (" ✓" if row.finished else "")
            for row in rows
        ]
        scores = ["" if row.score is None else number(row.score) for row in rows]
        name_most, scenario_most = self._cuts(rows, turns, scores)
        for i, row in enumerate(rows):
            table.add_row(
                cell(row.name or row.slot, name_most), cell(row.scenario, scenario_most),
                cell(turns[i]), scores[i],
                cell(row.kind), cell(row.updated),
                *[cell(row.problem, WHY)] * notes,
                key=str(i),
            )  # fmt: skip
        if rows:
            table.move_cursor(row=min(at, len(rows) - 1))
        if not rows and "cannot" not in note:
            note = "No saved games yet. " + note
        self._note = note
        self.query_one("#load-note", Static).update(plain(note))

    def _cuts(self, rows: list[SaveRow], turns: list[str], scores: list[str]) -> tuple[int, int]:
        """The most characters of the Name and Scenario cells: 48, or fewer when the screen is
        narrow, so that the Turn and Score columns after them stay in sight (at 80 columns)."""
        names = max([len("Name"), *(len(printable(r.name or r.slot)) for r in rows)])
        titles = max([len("Scenario"), *(len(printable(r.scenario)) for r in rows)])
        name, title = min(names, NAME), min(titles, NAME)
        turn = max([len("Turn"), *map(len, turns)])
        score = max([len("Score"), *map(len, scores)])
        # The body's padding (4), a scrollbar (2), a cell's padding (2 a column) and the two
        # columns that must stay in sight.
        room = self.app.size.width - 4 - 2 - 4 * 2 - turn - score
        if name + title <= room:
            return name, title
        half = room // 2
        if name <= half:
            return name, max(SHORTEST, room - name)
        if title <= half:
            return max(SHORTEST, room - title), title
        return max(SHORTEST, room - half), max(SHORTEST, half)

    def on_resize(self) -> None:
        if self.rows:
            self._show(self.rows, self._note)

    @on(DataTable.RowHighlighted, "#save-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A save without a replayed score: the line under the table says why, whole (the
        Note column is cut at 100 columns); any other: the folder's summary."""
        index = event.cursor_row
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        said = f"{row.name or row.slot}: {row.problem}" if row is not None and row.problem else ""
        self.query_one("#load-note", Static).update(plain(said or self._note))

    @on(DataTable.RowSelected, "#save-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        index = event.cursor_row
        if 0 <= index < len(self.rows):
            self.accord.resume_save(self.rows[index].path)
