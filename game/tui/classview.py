"""`accord class DIR`: the instructor's live view of a class folder; Enter opens a debrief."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from game.classroom.roster import Line, Roster
from game.safe_text import cut
from game.tui.app import ACCORD_THEME
from game.tui.markup import cell, markup, plain
from game.tui.widgets.keybar import KeyBar

REFRESH = 2.0  # seconds between looks at the class folder
COLUMNS = ("Trainee", "Scenario", "Turns played", "Score", "Grade", "Agreements",
           "Last activity", "Note")  # fmt: skip
# The most characters shown of a trainee's name and of a scenario's title: one long name would
# widen its column and push the others off the screen.
CUT = {0: 32, 1: 32, 7: 60}  # and a note: the line under the table shows it whole
DETAIL_NAME = 60  # the most characters of a name in the line under the table


class ClassApp(App[int]):
    """A line per trainee (their latest game), refreshed as their saves change."""

    CSS_PATH = Path(__file__).parent / "accord.tcss"
    CSS = """
    #class-detail { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    """
    TITLE = "Accord · class"
    BINDINGS: ClassVar[list[BindingType]] = [
        # q in the key bar (the key the status line names); ctrl+q quits too, as in the game.
        Binding("q", "quit", "Quit", priority=True),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("r", "refresh", "Refresh now"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, folder: Path, scenario_dirs: list[Path] | None = None) -> None:
        super().__init__()
        self.animation_level = "none"
        self.register_theme(ACCORD_THEME)
        self.theme = "accord"
        self.roster = Roster(folder, scenario_dirs)
        self.lines: list[Line] = []
        self._last: tuple[list[Line], str] | None = None  # the reading shown (None: none yet)

    def compose(self) -> ComposeResult:
        yield Static(markup("[b]Class[/b] · $folder", folder=self.roster.folder), classes="topbar")
        yield DataTable(id="class-table", cursor_type="row", zebra_stripes=True)
        # The chosen line in full, wrapped: a damaged file's note may be longer than the
        # screen is wide, and the Note column is the last one.
        yield Static("", id="class-detail")
        yield Static("Reading the class folder…", id="class-note", classes="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#class-table", DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.action_refresh()
        self.set_interval(REFRESH, self.action_refresh)

    def action_refresh(self) -> None:
        self.read()

    def action_help(self) -> None:
        self.notify(
            "↑/↓ choose a trainee · Enter opens their latest game's debrief (Esc back) · "
            f"r reads the folder now (it is read every {REFRESH:g} s) · q quits",
            title="Keys of the class view",
            timeout=10,
        )

    @work(thread=True, exclusive=True, group="roster")
    def read(self) -> None:
        try:
            lines, note = self.roster.read(), ""
        except Exception as exc:  # a vanished or unreadable folder: say so, keep going
            lines, note = [], str(exc)
        self.call_from_thread(self._show, lines, note)

    def _show(self, lines: list[Line], note: str) -> None:
        # Shown when it changed: the first reading too (an empty folder says so), and a
        # folder that could not be read and now can (its note goes).
        if (lines, note) == self._last:
            return
        self._last = (lines, note)
        self.lines = lines
        table = self.query_one("#class-table", DataTable)
        row = table.cursor_row
        table.clear()
        for line in lines:
            cells = (line.trainee, line.scenario, line.turn, line.score, line.grade,
                     line.agreements, line.activity, line.problem)  # fmt: skip
            table.add_row(*(cell(c, most=CUT.get(i)) for i, c in enumerate(cells)))
        if lines:
            table.move_cursor(row=min(row, len(lines) - 1))
        self._detail(table.cursor_row)
        trainees = sum(1 for line in lines if line.save is not None)
        problems = sum(1 for line in lines if line.save is None and line.problem)
        summary = note or (
            f"{trainees} trainee{'s' * (trainees != 1)} with a game"
            + (f" · {problems} damaged or foreign file{'s' * (problems != 1)}" if problems else "")
            + (" · only the first 1000 entries are read" if self.roster.capped else "")
            + " · Enter: debrief · r: refresh · q: quit"
        )
        self.query_one("#class-note", Static).update(plain(summary))

    @on(DataTable.RowHighlighted, "#class-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        """The line under the table: the chosen line's name and note, whole."""
        parts: list[str] = []
        if 0 <= row < len(self.lines):
            line = self.lines[row]
            parts.append(cut(line.trainee, DETAIL_NAME))
            parts += [line.scenario] if line.scenario else []
            if line.score:  # a replayed game: its figures, the grade once it is over
                grade = f", grade {line.grade}" if line.grade else ""
                parts += [f"turns played {line.turn}", f"score {line.score}{grade}"]
            parts += [line.problem] if line.problem else []
        self.query_one("#class-detail", Static).update(plain(" · ".join(parts)))

    @on(DataTable.RowSelected, "#class-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if not 0 <= event.cursor_row < len(self.lines):
            return
        line = self.lines[event.cursor_row]
        if line.save is None:
            self.notify(line.problem or "No game to review yet.", severity="warning")
            return
        self.debrief(line)

    def debrief(self, line: Line) -> None:
        from game.tui import saving
        from game.tui.screens.debrief import DebriefScreen
        from game.tui.session import Session

        assert line.save is not None
        try:
            loaded: Any = saving.load(line.save, self.roster.scenario_dirs)
        except saving.error_types() as exc:
            self.notify(str(exc), title="This game cannot be reviewed", severity="error")
            return
        session = Session(loaded.game, loaded.scenario_path, player=loaded.player or line.trainee)
        self.push_screen(DebriefScreen(session))
