"""The Allocation tab: resources into lines of effort with +/- and typed amounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Static

from game.engine import Allocate, Unallocate
from game.tui.messages import Act, Say
from game.tui.text import preview_lines

if TYPE_CHECKING:
    from game.tui.session import Session


class AllocationTable(DataTable[str]):
    """One row per line of effort and resource it accepts."""

    BINDINGS = [
        Binding("plus,right,equals_sign", "more", "One more", key_display="+"),
        Binding("minus,left", "less", "One less", key_display="-"),
        Binding("m", "most", "All left"),
        Binding("delete,backspace", "clear", "Clear row"),
    ]

    class Typed(Message):
        """A digit typed on the table: start entering an amount."""

        def __init__(self, digit: str) -> None:
            super().__init__()
            self.digit = digit

    class Step(Message):
        def __init__(self, kind: str) -> None:
            super().__init__()
            self.kind = kind

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            event.stop()
            event.prevent_default()
            self.post_message(self.Typed(event.character))

    def action_more(self) -> None:
        self.post_message(self.Step("more"))

    def action_less(self) -> None:
        self.post_message(self.Step("less"))

    def action_most(self) -> None:
        self.post_message(self.Step("most"))

    def action_clear(self) -> None:
        self.post_message(self.Step("clear"))


class AllocationPanel(VerticalScroll):
    """The table, the amount field, the totals and a forecast for one more unit."""

    def __init__(self, session: Session, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.session = session
        self._rows: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        table = AllocationTable(id="alloc-table", cursor_type="row", zebra_stripes=True)
        yield table
        with Horizontal(id="alloc-controls"):
            yield Button("−", id="alloc-less", compact=True, tooltip="Take one back (-)")
            yield Button("+", id="alloc-more", compact=True, tooltip="Allocate one more (+)")
            yield Button("All left", id="alloc-most", compact=True, tooltip="Allocate all left (m)")
            yield Button("Clear", id="alloc-clear", compact=True, tooltip="Take all back (del)")
            yield Input(
                placeholder="amount",
                restrict=r"[0-9]*",
                max_length=5,
                id="alloc-amount",
                compact=True,
                tooltip="Type an amount and press Enter",
            )
        yield Static(id="alloc-totals")
        yield Static(id="alloc-preview", classes="preview")
        yield Static(
            "[dim]+/- or ←/→ adjust · type a number and Enter to set · m all left · del clear[/]",
            id="alloc-hint",
        )

    def on_mount(self) -> None:
        table = self.query_one(AllocationTable)
        table.add_columns("Line of effort", "Resource", "Allocated")
        model = self.session.game.s.model
        for lid, line in self.session.game.s.lines.items():
            for i, rid in enumerate(line.accepts):
                self._rows.append((lid, rid))
                res = model.resources[rid]
                table.add_row(line.label if i == 0 else "", res.label, "0", key=f"{lid}:{rid}")

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
            amount = state.allocations[lid][rid]
            table.update_cell(f"{lid}:{rid}", table.ordered_columns[2].key, str(amount))
        self._show_totals()
        self._show_preview()

    def _show_totals(self) -> None:
        game = self.session.game
        state = game.state
        parts = []
        lost = []
        for rid, res in game.s.model.resources.items():
            allocated = sum(line.get(rid, 0) for line in state.allocations.values())
            stock = allocated + state.resources[rid]
            parts.append(f"{escape(res.label)} [b]{allocated}[/b]/{stock}")
            if not res.carry and state.resources[rid] > 0:
                lost.append(res.label)
        text = "Allocated of stock: " + " · ".join(parts)
        if lost:
            text += f"\n[dim]Unallocated {escape(', '.join(lost))} is lost at the end of the turn.[/]"
        self.query_one("#alloc-totals", Static).update(text)

    def _show_preview(self) -> None:
        row = self.current()
        out = self.query_one("#alloc-preview", Static)
        if row is None:
            out.update("")
            return
        game = self.session.game
        lid, rid = row
        action = Allocate(lid, rid, 1)
        reason = game.check(action)
        label = game.s.model.resources[rid].label
        if reason:
            out.update(f"[dim]One more unit of {escape(label)}: {escape(reason)}[/]")
            return
        lines = preview_lines(game.s, game.preview(action), self.session.difficulty)
        out.update(f"One more unit of {escape(label)} here: " + escape(", ".join(lines)))

    @on(DataTable.RowHighlighted, "#alloc-table")
    def _highlighted(self) -> None:
        self._show_preview()

    @on(AllocationTable.Typed)
    def _typed(self, message: AllocationTable.Typed) -> None:
        field = self.query_one("#alloc-amount", Input)
        field.value = message.digit
        field.focus()
        field.cursor_position = len(field.value)

    @on(AllocationTable.Step)
    def _step(self, message: AllocationTable.Step) -> None:
        self.step(message.kind)

    @on(Button.Pressed, "#alloc-controls Button")
    def _button(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.step(event.button.id.removeprefix("alloc-"))

    def step(self, kind: str) -> None:
        """Apply +1, -1, all left or clear to the highlighted row."""
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

    @on(Input.Submitted, "#alloc-amount")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        event.input.value = ""
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
