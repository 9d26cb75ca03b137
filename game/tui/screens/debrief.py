"""The after-action review, when game.debrief is installed: read it, export it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.tui import debrief_view

if TYPE_CHECKING:
    from game.tui.session import Session


class DebriefScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export (Markdown)"),
        Binding("escape,enter", "close", "Back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.markdown = ""

    def compose(self) -> ComposeResult:
        yield Static(f"[b]Debrief[/b] · {self.session.game.s.title}", classes="topbar")
        with VerticalScroll(id="debrief-body"):
            yield Static("Preparing the debrief…", id="debrief-text", markup=False)
        yield Static("x export · Esc back", classes="statusbar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#debrief-body").focus()
        self.build()

    @work(thread=True, exclusive=True)
    def build(self) -> None:
        try:
            text, markdown = debrief_view.render(self.session.game)
        except Exception as exc:  # noqa: BLE001 - an optional module must not crash the game
            text, markdown = f"The debrief could not be prepared: {exc}", ""
        self.app.call_from_thread(self._show, text, markdown)

    def _show(self, text: str, markdown: str) -> None:
        self.markdown = markdown
        self.query_one("#debrief-text", Static).update(text)

    def action_export(self) -> None:
        if not self.markdown:
            self.notify("The debrief is not ready yet.", severity="warning")
            return
        folder = self.session.saves or Path.cwd()
        try:
            path = debrief_view.export(
                self.markdown, folder, self.session.game.s.id, self.session.slot
            )
        except OSError as exc:
            self.notify(f"Could not write the debrief: {exc.strerror}", severity="error")
            return
        self.notify(f"Debrief written to {path}", title="Exported")

    def action_close(self) -> None:
        self.dismiss(None)
