"""The Events and Log tabs: what happened this turn, what waits for an answer, past reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine import Choose, EndTurn
from game.tui.markup import Shown, markup, plain
from game.tui.markup import lines as joined
from game.tui.messages import OpenEvent, OpenReport
from game.tui.text import event_effects, moved, turn_name
from game.tui.widgets import FocusUnstyled, put

if TYPE_CHECKING:
    from game.engine import TurnReport
    from game.tui.session import Session


def fired_this_turn(session: Session) -> list[str]:
    """Events that fired at the start of this turn, pending ones first."""
    game = session.game
    return list(dict.fromkeys([*game.pending, *game.fired_now]))


class EventsPanel(FocusUnstyled, VerticalScroll):
    """Pending events (Enter answers them), events of this turn, and the choices made before."""

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(markup("[b]Waiting for your answer[/b]"), id="pending-title")
        yield OptionList(id="pending-list")
        yield Static(id="events-now")
        yield Static(id="events-past")

    def show(self, session: Session) -> None:
        self.session = session
        game = session.game
        s = game.s
        pending = game.state.pending
        options = self.query_one("#pending-list", OptionList)
        options.clear_options()
        for eid in pending:
            options.add_option(Option(plain(f"⚑ {s.events[eid].title}  (Enter to answer)"), id=eid))
        options.display = bool(pending)
        self.query_one("#pending-title").display = bool(pending)
        now = [e for e in fired_this_turn(session) if e not in pending]
        answered = dict(self._answered())
        lines: list[Shown] = [markup("[b]This $label[/b]", label=s.model.turn_label)]
        for eid in now:
            ev = s.events[eid]
            lines.append(markup("• [b]$title[/b]: $words", title=ev.title, words=ev.text))
            effects = event_effects(game, eid)
            if effects:
                lines.append(f"  {effects}")
            if eid in answered:
                lines.append(f"  You chose: {ev.choices[answered[eid]].label}")
                effects = event_effects(game, eid, answered[eid])
                if effects:
                    lines.append(f"  {effects}")
        if not now and not pending:
            lines.append(markup("[dim]Nothing has happened yet.[/]"))
        put(self.query_one("#events-now", Static), joined(lines))
        past: list[Shown] = ["", markup("[b]Earlier[/b]")]
        for report in reversed(game.reports):
            chosen = dict(report.choices)
            for eid in report.events:
                ev = s.events[eid]
                what = f" → {ev.choices[chosen[eid]].label}" if eid in chosen else ""
                past.append(f"{turn_name(s, report.turn)}: {ev.title}{what}")
        put(self.query_one("#events-past", Static), joined(past) if len(past) > 2 else Content())

    def _answered(self) -> list[tuple[str, str]]:
        """The events answered this turn, from the action log since the last EndTurn."""
        actions = list(self.session.game.actions)
        ends = [i for i, a in enumerate(actions) if isinstance(a, EndTurn)]
        now = actions[ends[-1] + 1 :] if ends else actions
        return [(a.event, a.choice) for a in now if isinstance(a, Choose)]

    @on(OptionList.OptionSelected, "#pending-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.post_message(OpenEvent(event.option.id))

    def focus_main(self) -> None:
        focus_list(self, "#pending-list")


def focus_list(panel: VerticalScroll, selector: str) -> None:
    """Focus the panel's list on its first row, or the panel itself when the list is empty."""
    options = panel.query_one(selector, OptionList)
    if options.display:
        options.focus()
        if options.highlighted is None and options.option_count:
            options.highlighted = 0
    else:
        panel.focus()


def report_summary(session: Session, report: TurnReport) -> str:
    s = session.game.s
    head = s.headline
    before, after = report.metrics_before[head], report.metrics_after[head]
    label = s.model.metrics[head].label
    bits = [f"{label} {moved(before, after)}"]
    if report.events:
        bits.append(", ".join(s.events[e].title for e in report.events))
    if report.agreed:
        bits.append("agreed: " + ", ".join(s.disagreements[d].label for d in report.agreed))
    if report.failed:
        bits.append("failed: " + ", ".join(s.disagreements[d].label for d in report.failed))
    return f"{turn_name(s, report.turn)}: " + " · ".join(bits)


class LogPanel(FocusUnstyled, VerticalScroll):
    """Every past turn report; Enter opens it."""

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self._count = -1

    def compose(self) -> ComposeResult:
        yield Static(id="log-hint", classes="dim")
        yield OptionList(id="log-list")

    def show(self, session: Session) -> None:
        self.session = session
        reports = session.game.reports
        if len(reports) == self._count:
            return
        self._count = len(reports)
        options = self.query_one("#log-list", OptionList)
        options.clear_options()
        for i, report in enumerate(reversed(reports)):
            options.add_option(
                Option(plain(report_summary(session, report)), id=str(len(reports) - 1 - i))
            )
        hint = "Enter opens a turn's full report." if reports else "No turn has ended yet."
        put(self.query_one("#log-hint", Static), plain(hint))
        options.display = bool(reports)

    @on(OptionList.OptionSelected, "#log-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.post_message(OpenReport(self.session.game.reports[int(event.option.id)]))

    def focus_main(self) -> None:
        focus_list(self, "#log-list")
