"""The after-action review, when game.debrief is installed: read it, benchmark it, export it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from game.tui import debrief_view
from game.tui.markup import markup, plain
from game.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from game.tui.session import Session

KEYS = "b compare with bots · x export Markdown · Esc back"
IN_PROGRESS = (
    "The game is still in progress: its score is compared with bots' whole games once it is over."
)


class DebriefScreen(Screen[None]):
    """The review at once; `b` adds where the score falls among bots and scrolls to it;
    `x` exports Markdown."""

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
        self.compared = ""  # the notice of the comparison with bots, once it is done
        self.review: object | None = None  # the review shown, written again for a new width
        self.width = 0  # the width it was written for

    def compose(self) -> ComposeResult:
        title = self.session.game.s.title
        yield Static(markup("[b]Debrief[/b] · $title", title=title), classes="topbar")
        with VerticalScroll(id="debrief-body"):
            yield Static(plain("Preparing the debrief…"), id="debrief-text")
            # From the BENCHMARK heading on, once bots have played: the screen scrolls here.
            yield Static(plain(""), id="debrief-benchmark")
        keys = KEYS if self.session.game.finished else KEYS.removeprefix("b compare with bots · ")
        yield Static(markup("[dim]$keys[/]", keys=keys), id="debrief-status", classes="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#debrief-body").focus()
        self.prepare()

    def text_width(self) -> int:
        """The columns the review's text is written in: the screen's, less the margins and the
        scrollbar (text wider than its place would be wrapped again, mid-phrase)."""
        return self.app.size.width - 6

    def on_resize(self) -> None:
        width = self.text_width()
        if self.review is not None and width != self.width and not self.busy:
            text, markdown = debrief_view.render(self.review, width)
            self._show(text, markdown, self.review, width)

    @work(thread=True, exclusive=True, group="debrief")
    def prepare(self) -> None:
        width, review = self.text_width(), None
        try:
            review = debrief_view.build(self.session.game, self.session.player)
            text, markdown = debrief_view.render(review, width)
        except Exception as exc:
            text, markdown = f"The debrief could not be prepared: {exc}", ""
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, text, markdown, review, width)

    @work(thread=True, exclusive=True, group="debrief")
    def compare(self) -> None:
        """Bot games, then the review again with the comparison (a second or so: off the UI
        thread, with progress in the status bar)."""
        game = self.session.game
        try:
            bench = debrief_view.benchmark(game, self._progress)
            if bench is None:
                self.app.call_from_thread(self._no_bots)
                return
            review = debrief_view.build(game, self.session.player, bench)
            width = self.text_width()
            text, markdown = debrief_view.render(review, width)
            notice = debrief_view.benchmark_notice(bench)
        except Exception as exc:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._compare_failed, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._compared, text, markdown, notice, review, width)

    def _progress(self, done: int, total: int) -> None:
        if not get_current_worker().is_cancelled:
            text = f"Comparing with bots: {done} of {total} games…"
            self.app.call_from_thread(self._status, text)

    def _status(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#debrief-status", Static).update(plain(text))

    def _show(self, text: str, markdown: str, review: object = None, width: int = 0) -> None:
        if not self.is_attached:
            return
        self.review, self.width = review, width
        self.markdown = markdown
        before, benchmark = debrief_view.split_at_benchmark(text)
        self.query_one("#debrief-text", Static).update(plain(before))
        self.query_one("#debrief-benchmark", Static).update(plain(benchmark))

    def _compared(self, text: str, markdown: str, notice: str, review: object, width: int) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self._show(text, markdown, review, width)
        self.compared = notice
        self._status("Compared with bots · b back to the comparison · x export Markdown · Esc back")
        self.call_after_refresh(self._reveal_comparison)

    def _reveal_comparison(self) -> None:
        section = self.query_one("#debrief-benchmark", Static)
        self.query_one("#debrief-body", VerticalScroll).scroll_to_widget(
            section, animate=False, top=True
        )
        self.notify(self.compared, title="Compared with bots", timeout=8)

    def _no_bots(self) -> None:
        self.busy = False
        self.notify("Bots cannot play this scenario here.", severity="warning")
        self._status(f"Bots cannot play here. {KEYS}")

    def _compare_failed(self, why: str) -> None:
        self.busy = False
        self.notify(why, title="The bots could not play", severity="error", timeout=8)
        self._status(KEYS)

    def action_benchmark(self) -> None:
        if not self.session.game.finished:
            self.notify(IN_PROGRESS, title="Game in progress")
            return
        if self.busy:
            self.notify("The bots are still playing…")
            return
        if self.compared:  # the same bots on the same seeds: show the result again
            self._reveal_comparison()
            return
        self.busy = True
        self._status("Comparing with bots: starting the bot games…")
        self.compare()

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
