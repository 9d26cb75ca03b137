"""The Partnerships tab: every strategy as available, active or locked (with the reason)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from game.engine import Activate, EndStrategy
from game.tui.markup import Shown, markup
from game.tui.markup import lines as joined
from game.tui.messages import Act
from game.tui.text import (
    amounts,
    condition,
    effect_text,
    forecast,
    kind_label,
    reveal_text,
    turn_name,
)
from game.tui.widgets import put
from game.tui.widgets.rowtable import Column, RowTable

if TYPE_CHECKING:
    from game.tui.session import Session


class StrategyTable(RowTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "activate", "Activate"),
        Binding("x", "end", "End strategy"),
    ]

    def action_activate(self) -> None:
        panel = self.screen.query_one(PartnershipsPanel)
        panel.activate()

    def action_end(self) -> None:
        panel = self.screen.query_one(PartnershipsPanel)
        panel.end()


def status(session: Session, sid: str) -> tuple[str, str]:
    """('active' | 'available' | 'locked', the words shown)."""
    game = session.game
    st = game.s.strategies[sid]
    active = game.state.active
    if sid in active:
        turns = active[sid]
        label = game.s.model.turn_label
        running = f"{turns} {label}{'s' if turns != 1 else ''}"
        if st.min_turns and turns < st.min_turns:
            return "active", f"active · {turns}/{st.min_turns} {label}s"
        if st.min_turns:
            return "active", f"active · {running}, commitment met"
        return "active", f"active · {running}"
    reason = game.check(Activate(sid))
    return ("locked", "locked") if reason else ("available", "available")


class PartnershipsPanel(VerticalScroll):
    """The strategies table, then the highlighted one's details and forecast."""

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self._ids: list[str] = list(session.game.s.strategies)

    def compose(self) -> ComposeResult:
        yield StrategyTable([Column("Strategy"), Column("Status")], id="strategy-table")
        with Horizontal(id="strategy-controls"):
            yield Button("Activate", id="strategy-activate", compact=True, tooltip="Enter")
            yield Button("End", id="strategy-end", compact=True, tooltip="x")
        yield Static(id="strategy-detail")

    def on_mount(self) -> None:
        strategies = self.session.game.s.strategies.items()
        rows = [(sid, (st.label, "")) for sid, st in strategies]
        table = self.query_one(StrategyTable)
        table.set_rows(rows)
        table.on_move = self._detail

    def current(self) -> str | None:
        table = self.query_one(StrategyTable)
        if not self._ids or not 0 <= table.cursor_row < len(self._ids):
            return None
        return self._ids[table.cursor_row]

    def show(self, session: Session) -> None:
        self.session = session
        table = self.query_one(StrategyTable)
        for sid in self._ids:
            kind, words = status(session, sid)
            mark = {"active": "● ", "available": "○ ", "locked": "✗ "}[kind]
            table.set_cell(sid, 1, mark + words)
        self._detail()

    def _detail(self) -> None:
        sid = self.current()
        out = self.query_one("#strategy-detail", Static)
        if sid is None:
            put(out, markup("[dim]This scenario has no collaboration strategies.[/]"))
            return
        game = self.session.game
        s = game.s
        st = s.strategies[sid]
        model = s.model.strategies[sid]
        partners = ", ".join(s.model.stakeholders[p].name for p in st.partners) or "none"
        kind, words = status(self.session, sid)
        lines: list[Shown] = [
            markup(
                "[b]$label[/b] · $kind · $words",
                label=st.label,
                kind=kind_label(st.kind),
                words=words,
            )
        ]
        if model.description:
            lines.append(markup("[dim]$about[/]", about=model.description))
        lines.append(f"Partners: {partners}")
        lines.append(f"Cost once: {amounts(s, dict(st.cost))}")
        lines.append(f"Upkeep each {s.model.turn_label}: {amounts(s, dict(st.upkeep))}")
        if st.min_turns:
            cost = "; ".join(effect_text(s, e) for e in model.on_early_end) or "nothing"
            lines.append(
                f"Commitment: {st.min_turns} {s.model.turn_label}s; ending earlier: {cost}"
            )
        if st.exclusive_with:
            others = ", ".join(s.strategies[o].label for o in st.exclusive_with)
            lines.append(f"Cannot run with: {others}")
        if model.requires is not None:
            lines.append(f"Requires: {condition(s, model.requires)}")
        # What activating it discloses changes no value, so no forecast can show it.
        reveals = [reveal_text(s, e) for e in (*model.on_activate, *model.each_turn) if e.reveal]
        if reveals:
            lines.append(f"Activating it {'; '.join(dict.fromkeys(reveals))}")
        if kind == "locked":
            lines.append(markup("[$warning]✗ Locked: $why[/]", why=game.check(Activate(sid))))
        elif kind == "available":
            head = f"If activated, this {s.model.turn_label}"
            lines.append(forecast(s, game.preview(Activate(sid)), self.session.difficulty, head))
        else:
            since = game.state.turn - game.state.active[sid] + 1
            lines.append(f"Active since {turn_name(s, since)}.")
        put(out, joined(lines))

    def activate(self) -> None:
        sid = self.current()
        if sid is not None:
            self.post_message(Act(Activate(sid)))

    def end(self) -> None:
        sid = self.current()
        if sid is not None:
            self.post_message(Act(EndStrategy(sid), confirm=True))

    @on(Button.Pressed, "#strategy-activate")
    def _activate_button(self) -> None:
        self.activate()

    @on(Button.Pressed, "#strategy-end")
    def _end_button(self) -> None:
        self.end()

    def focus_main(self) -> None:
        self.query_one(StrategyTable).focus()
