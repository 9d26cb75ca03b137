"""The scenario picker: shipped scenarios and any folder given with --scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Static

from game.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from game.library import Entry
    from game.tui.app import AccordApp


class ScenarioPickerScreen(Screen[None]):
    """Title, difficulty, turns and summary of every scenario found; Enter opens its briefing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, folders: list[Path]) -> None:
        super().__init__()
        self.folders = folders
        self.entries: list[Entry] = []

    @property
    def accord(self) -> AccordApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("[b]New game[/b] · choose a scenario", classes="topbar")
        with Vertical(id="picker-body"):
            yield DataTable(id="scenario-table", cursor_type="row", zebra_stripes=True)
            yield Static("Looking for scenarios…", id="scenario-summary")
        yield Static("[dim]↑/↓ choose · Enter read the briefing · Esc back[/]", classes="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#scenario-table", DataTable)
        table.add_columns("Scenario", "Difficulty", "Length")
        table.focus()
        self.discover()

    @work(thread=True, exclusive=True)
    def discover(self) -> None:
        from game.library import discover

        entries = discover(self.folders)
        self.app.call_from_thread(self._show, entries)

    def _show(self, entries: list[Entry]) -> None:
        self.entries = entries
        table = self.query_one("#scenario-table", DataTable)
        table.clear()
        for i, entry in enumerate(entries):
            s = entry.scenario
            if s is None:
                table.add_row(f"⚠ {entry.path.name}", "—", "cannot be loaded", key=str(i))
                continue
            m = s.model
            table.add_row(m.title, m.difficulty, f"{m.turns} {m.turn_label}s", key=str(i))
        if not entries:
            self.query_one("#scenario-summary", Static).update("No scenario files were found.")
        else:
            table.move_cursor(row=self._default_row(), animate=False)
            self._summary()

    def _default_row(self) -> int:
        from game.library import DEFAULT_SCENARIO

        for i, entry in enumerate(self.entries):
            if entry.scenario is not None and entry.scenario.id == DEFAULT_SCENARIO:
                return i
        return 0

    def current(self) -> Entry | None:
        row = self.query_one("#scenario-table", DataTable).cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    @on(DataTable.RowHighlighted, "#scenario-table")
    def _summary(self) -> None:
        entry = self.current()
        out = self.query_one("#scenario-summary", Static)
        if entry is None:
            return
        if entry.scenario is None:
            problems = "\n".join(escape(p.format()) for p in entry.problems[:6])
            out.update(f"[$error]This scenario cannot be played:[/]\n{problems}")
            return
        m = entry.scenario.model
        partners = ", ".join(st.name for st in m.stakeholders.values())
        out.update(
            f"[b]{escape(m.title)}[/b] · {m.difficulty} · {m.turns} {m.turn_label}s\n"
            f"{escape(m.summary)}\n[dim]Partners: {escape(partners)}\n{escape(str(entry.path))}[/]"
        )

    @on(DataTable.RowSelected, "#scenario-table")
    def _chosen(self) -> None:
        entry = self.current()
        if entry is None:
            return
        if entry.scenario is None:
            first = entry.problems[0].format() if entry.problems else "unknown problem"
            self.notify(first, title="This scenario cannot be played", severity="error")
            return
        self.accord.open_briefing(entry.scenario, entry.path)

    def action_back(self) -> None:
        self.dismiss(None)
