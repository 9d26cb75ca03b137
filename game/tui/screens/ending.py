"""The end of the mission: the ending's text, grade, score, the headline's history, the lessons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from game.tui import debrief_view
from game.tui.markup import lines as joined
from game.tui.markup import markup
from game.tui.screens.base import AccordScreen
from game.tui.screens.report import TurnReportScreen
from game.tui.text import humanize, number, turn_title
from game.tui.widgets.chart import HistoryChart
from game.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from game.tui.session import Session


class EndingScreen(AccordScreen):
    """Play again, return to the menu, read the last report or the debrief."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "again", "Play again"),
        Binding("m", "menu", "Menu"),
        Binding("r", "report", "Last report"),
        Binding("d", "debrief", "Debrief"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        game = self.session.game
        s = game.s
        state = game.state
        ending = s.endings.get(game.ending) if game.ending else None
        title = (ending.title or humanize(ending.id)) if ending else "The mission is over"
        yield Static(
            markup(
                "[b]Mission ended[/b] · $title · $turn",
                title=s.title,
                turn=turn_title(s, state.turn),
            ),
            classes="topbar",
        )
        with VerticalScroll(id="ending-body"):
            yield Static(markup("[b]$title[/b]", title=title), id="ending-title")
            yield Static(markup("$words", words=ending.text if ending else ""), id="ending-text")
            yield Static(
                markup(
                    "Grade [b]$grade[/b]   Score [b]$score[/b] / 100",
                    grade=game.grade,
                    score=number(game.score),
                ),
                id="ending-grade",
            )
            head = s.model.metrics[s.headline]
            values = [float(head.start), *(float(v) for v in state.history[s.headline])]
            label = s.model.turn_label
            yield Static(
                markup("[b]$head[/b] [dim]by $label (0 = start)[/]", head=head.label, label=label)
            )
            yield HistoryChart(values, float(head.min), float(head.max), id="ending-chart")
            lessons = game.lessons()
            lines = [markup("[b]Lessons[/b]")] + [
                markup("• $lesson", lesson=text) for text in lessons
            ]
            if not lessons:
                lines.append(markup("[dim]No lesson of this scenario applies to your game.[/]"))
            yield Static(joined(lines), id="ending-lessons")
        keys = "n play again · m menu · r last report"
        if debrief_view.available():
            keys += " · d debrief"
        yield Static(markup("[dim]$keys · ctrl+q quit[/]", keys=keys), classes="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#ending-body").focus()

    def action_again(self) -> None:
        self.accord.play_again(self.session)

    def action_menu(self) -> None:
        self.accord.action_menu()

    def action_report(self) -> None:
        reports = self.session.game.reports
        if reports:
            self.app.push_screen(TurnReportScreen(self.session.game.s, reports[-1]))

    def action_debrief(self) -> None:
        if not debrief_view.available():
            self.notify("The debrief is not available in this version.", severity="warning")
            return
        from game.tui.screens.debrief import DebriefScreen

        self.app.push_screen(DebriefScreen(self.session))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "debrief":
            return debrief_view.available()
        return True

    def palette_commands(self) -> list[tuple[str, Any, str]]:
        out: list[tuple[str, Any, str]] = [
            ("Play again", self.action_again, "A new game of the same scenario"),
            ("Last report", self.action_report, "The final turn's report"),
        ]
        if debrief_view.available():
            out.append(("Debrief", self.action_debrief, "The after-action review"))
        return out
