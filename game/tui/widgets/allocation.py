"""The Allocation tab: resources into lines of effort with +/- and typed amounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Static

from game.engine import Allocate, Game, Unallocate
from game.scenario import names
from game.tui.markup import markup, plain
from game.tui.messages import Act, ActAll, Say
from game.tui.text import forecast
from game.tui.widgets import put
from game.tui.widgets.rowtable import Column, RowTable

if TYPE_CHECKING:
    from game.tui.session import Session


class AllocationTable(RowTable):
    """One row per line of effort and resource it accepts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,right,equals_sign", "more", "One more", key_display="+"),
        Binding("minus,left", "less", "One less", key_display="-"),
        Binding("m", "most", "All left"),
        Binding("delete,backspace", "clear", "Clear row"),
        Binding("r", "repeat", "Repeat last turn's allocation", show=False),
    ]

    class Step(Message):
        def __init__(self, kind: str) -> None:
            super().__init__()
            self.kind = kind

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            event.stop()
            event.prevent_default()
            # Handled at once, not by message: the next digit may come before focus moves.
            for panel in self.ancestors:
                if isinstance(panel, AllocationPanel):
                    panel.type_digit(event.character)

    def action_select(self) -> None:
        # Enter right after typed digits (before the amount field has focus) sets the amount.
        for panel in self.ancestors:
            if isinstance(panel, AllocationPanel) and panel.typing:
                panel.submit_amount()

    def action_more(self) -> None:
        self.post_message(self.Step("more"))

    def action_less(self) -> None:
        self.post_message(self.Step("less"))

    def action_most(self) -> None:
        self.post_message(self.Step("most"))

    def action_clear(self) -> None:
        self.post_message(self.Step("clear"))

    def action_repeat(self) -> None:
        self.post_message(self.Step("repeat"))


def repeat_allocations(game: Game) -> tuple[list[Allocate], str]:
    """Last turn's allocation again: each line of effort and resource topped up to what it
    had when last turn ended (never taken back), in the order of the lines, as far as the
    stock goes; and a sentence saying what was done or why nothing was."""
    if not game.reports or not game.reports[-1].values:
        return [], f"Nothing to repeat: no {game.s.model.turn_label} has ended yet."
    last, state = game.reports[-1].values, game.state
    left = dict(state.resources)
    actions: list[Allocate] = []
    short: dict[str, int] = {}
    for lid, line in game.s.lines.items():
        for rid in line.accepts:
            need = int(last.get(names.ALLOC(lid, rid), 0)) - state.allocations[lid][rid]
            give = min(max(0, need), left.get(rid, 0))
            if give > 0:
                actions.append(Allocate(lid, rid, give))
                left[rid] -= give
            if need > give:
                short[rid] = short.get(rid, 0) + need - give
    labels = game.s.model.resources
    if short:
        missing = ", ".join(f"{n} {labels[rid].label}" for rid, n in short.items())
        said = (
            f"Last {game.s.model.turn_label}'s allocation, as far as stock goes: {missing} short."
        )
    elif actions:
        said = f"Last {game.s.model.turn_label}'s allocation again."
    elif not any(
        last.get(names.ALLOC(lid, rid), 0)
        for lid, line in game.s.lines.items()
        for rid in line.accepts
    ):
        said = f"Nothing was allocated last {game.s.model.turn_label}: nothing to repeat."
    else:
        said = f"Already allocated as last {game.s.model.turn_label}, or more."
    return actions, said


class AllocationPanel(VerticalScroll):
    """The table, the amount field, the totals and a forecast for one more unit."""

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self._rows: list[tuple[str, str]] = []
        self._typing = False

    def compose(self) -> ComposeResult:
        columns = [Column("Line of effort"), Column("Resource"), Column("Allocated", right=True)]
        yield AllocationTable(columns, id="alloc-table")
        with Horizontal(id="alloc-controls"):
            yield Button("−", id="alloc-less", compact=True, tooltip="Take one back (-)")
            yield Button("+", id="alloc-more", compact=True, tooltip="Allocate one more (+)")
            yield Button("All left", id="alloc-most", compact=True, tooltip="Allocate all left (m)")
            yield Button("Clear", id="alloc-clear", compact=True, tooltip="Take all back (del)")
            yield Input(
                placeholder="amount",
                restrict=r"[0-9]*",
                max_length=5,
                select_on_focus=False,
                id="alloc-amount",
                compact=True,
                tooltip="Type an amount and press Enter",
            )
        yield Static(id="alloc-totals")
        yield Static(id="alloc-note", classes="dim")
        yield Static(id="alloc-preview", classes="preview")
        yield Static(
            "[dim]+/- or ←/→ adjust · type a number and Enter to set · m all left · del clear"
            " · r repeat last turn[/]",
            id="alloc-hint",
        )

    def on_mount(self) -> None:
        model = self.session.game.s.model
        rows = []
        for lid, line in self.session.game.s.lines.items():
            for i, rid in enumerate(line.accepts):
                self._rows.append((lid, rid))
                rows.append(
                    (
                        f"{lid}:{rid}",
                        (line.label if i == 0 else "", model.resources[rid].label, "0"),
                    )
                )
        table = self.query_one(AllocationTable)
        table.set_rows(rows)
        table.on_move = self._show_preview

    def current(self) -> tuple[str, str] | None:
        table = self.query_one(AllocationTable)
        if not self._rows or table.cursor_row < 0 or table.cursor_row >= len(self._rows):
            return None
        return self._rows[table.cursor_row]

    def show(self, session: Session) -> None:
        self.session = session
        state = session.game.state
        table = self.query_one(AllocationTable)
        for lid, rid in self._rows:
            table.set_cell(f"{lid}:{rid}", 2, str(state.allocations[lid][rid]))
        self._show_totals()
        self._show_preview()

    def _show_totals(self) -> None:
        game = self.session.game
        state = game.state
        parts: list[Content] = []
        lost = []
        for rid, res in game.s.model.resources.items():
            allocated = sum(line.get(rid, 0) for line in state.allocations.values())
            stock = allocated + state.resources[rid]
            parts.append(
                markup("$label [b]$n[/b]/$stock", label=res.label, n=allocated, stock=stock)
            )
            if not res.carry and state.resources[rid] > 0:
                lost.append(res.label)
        # The totals show here when the sidebar is hidden (narrow terminals; see the CSS).
        put(
            self.query_one("#alloc-totals", Static),
            Content("Allocated of stock: ") + Content(" · ").join(parts),
        )
        # Worded to suit any label, one or many, singular or plural.
        note = f"Unallocated {', '.join(lost)}: not carried over to the next turn." if lost else ""
        put(self.query_one("#alloc-note", Static), plain(note))

    def _show_preview(self) -> None:
        row = self.current()
        out = self.query_one("#alloc-preview", Static)
        if row is None:
            put(out, Content())
            return
        game = self.session.game
        lid, rid = row
        action = Allocate(lid, rid, 1)
        reason = game.check(action)
        label = game.s.model.resources[rid].label
        # The line's description, when the scenario gives one, above the forecast.
        about = game.s.model.lines_of_effort[lid].description
        head = markup("[dim]$about[/]\n", about=about) if about else Content()
        if reason:
            put(out, head + markup("[dim]One more unit of $what: $why[/]", what=label, why=reason))
            return
        said = forecast(
            game.s, game.preview(action), self.session.difficulty, f"One more unit of {label} here"
        )
        put(out, head + plain(said))

    def type_digit(self, digit: str) -> None:
        """A digit typed on the table starts (or goes on with) the amount for its row."""
        field = self.query_one("#alloc-amount", Input)
        field.value = field.value + digit if self._typing else digit
        self._typing = True
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Blurred, "#alloc-amount")
    def _left_amount(self) -> None:
        self._typing = False

    @on(AllocationTable.Step)
    def _step(self, message: AllocationTable.Step) -> None:
        self.step(message.kind)

    @on(Button.Pressed, "#alloc-controls Button")
    def _button(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.step(event.button.id.removeprefix("alloc-"))

    def step(self, kind: str) -> None:
        """Apply +1, -1, all left or clear to the highlighted row; or repeat last turn's
        allocation on every row."""
        if kind == "repeat":
            actions, said = repeat_allocations(self.session.game)
            self.post_message(ActAll(tuple(actions), said) if actions else Say(said))
            return
        row = self.current()
        if row is None:
            return
        lid, rid = row
        state = self.session.game.state
        have = state.allocations[lid][rid]
        if kind == "more":
            self.post_message(Act(Allocate(lid, rid, 1)))
        elif kind == "less":
            self.post_message(Act(Unallocate(lid, rid, 1)))
        elif kind == "most":
            self.post_message(Act(Allocate(lid, rid, max(1, state.resources[rid]))))
        elif kind == "clear" and have:
            self.post_message(Act(Unallocate(lid, rid, have)))

    @property
    def typing(self) -> bool:
        return self._typing

    @on(Input.Submitted, "#alloc-amount")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit_amount()

    def submit_amount(self) -> None:
        """Set the highlighted row to the typed amount (the engine refuses what is not there)."""
        field = self.query_one("#alloc-amount", Input)
        self._typing = False
        text = field.value.strip()
        field.value = ""
        self.query_one(AllocationTable).focus()
        row = self.current()
        if row is None or not text:
            return
        lid, rid = row
        wanted = int(text)
        have = self.session.game.state.allocations[lid][rid]
        if wanted > have:
            action: Allocate | Unallocate = Allocate(lid, rid, wanted - have)
        elif wanted < have:
            action = Unallocate(lid, rid, have - wanted)
        else:
            self.post_message(Say(f"Already {have} there."))
            return
        self.post_message(Act(action))

    def on_key(self, event: events.Key) -> None:
        field = self.query_one("#alloc-amount", Input)
        if event.key == "escape" and field.has_focus:
            event.stop()
            field.value = ""
            self.query_one(AllocationTable).focus()

    def focus_main(self) -> None:
        self.query_one(AllocationTable).focus()
