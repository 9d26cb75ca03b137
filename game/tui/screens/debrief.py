"""The after-action review, when game.debrief is installed: read it, benchmark it, export it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Static

from game.tui import debrief_view
from game.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from game.tui.session import Session


class DebriefScreen(Screen[None]):
    """The review at once; `b` adds where the score falls among bots; `x` exports Markdown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export (Markdown)"),
        Binding("b", "benchmark", "Compare with bots"),
        Binding("escape,enter", "close", "Back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.markdown = ""
        self.busy = False

    def compose(self) -> ComposeResult:
        title = escape(self.session.game.s.title)
        yield Static(f"[b]Debrief[/b] · {title}", classes="topbar")
        with VerticalScroll(id="debrief-body"):
            yield Static("Preparing the debrief…", id="debrief-text", markup=False)
        yield Static(
            "[dim]b compare with bots · x export Markdown · Esc back[/]",
            id="debrief-status",
            classes="statusbar",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#debrief-body").focus()
        self.prepare(False)

    @work(thread=True, exclusive=True)
    def prepare(self, with_bots: bool) -> None:
        game = self.session.game
        bench: Any = None
        try:
            if with_bots:
                bench = debrief_view.benchmark(game, self._progress)
            review = debrief_view.build(game, self.session.player, bench)
            text, markdown = debrief_view.render(review)
        except Exception as exc:
            text, markdown = f"The debrief could not be prepared: {exc}", ""
        self.app.call_from_thread(self._show, text, markdown, with_bots and bench is None)

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._status, f"Bot games: {done} of {total}…")

    def _status(self, text: str) -> None:
        self.query_one("#debrief-status", Static).update(escape(text))

    def _show(self, text: str, markdown: str, no_bots: bool) -> None:
        self.busy = False
        self.markdown = markdown
        self.query_one("#debrief-text", Static).update(text)
        note = "Bots cannot play here. " if no_bots else ""
        self._status(f"{note}b compare with bots · x export Markdown · Esc back")

    def action_benchmark(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._status("Bot games are being played…")
        self.prepare(True)

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
        self._status(f"Written to {path}")

    def action_close(self) -> None:
        self.dismiss(None)
