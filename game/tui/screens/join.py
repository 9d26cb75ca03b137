"""The first screen of a served game (`accord serve`): the trainee types their name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Input, Static

from game.classroom.names import MAX_LENGTH
from game.tui.markup import plain
from game.tui.screens.base import AccordScreen


class JoinScreen(AccordScreen):
    """Your name, then the menu; your games are kept under that name in the class folder."""

    def compose(self) -> ComposeResult:
        with Center(id="menu-box"), Vertical(classes="dialog", id="join"):
            yield Static("[b]Join the class[/b]", classes="dialog-title")
            yield Static(
                "Your name, as your instructor knows you. Your games are kept under it: "
                "type the same name next time to continue them."
            )
            yield Input(placeholder="Your name", id="join-name", max_length=MAX_LENGTH)
            yield Static("", id="join-error", classes="error")
            yield Button("Join", id="join-button", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#join-name", Input).focus()

    @on(Input.Submitted, "#join-name")
    @on(Button.Pressed, "#join-button")
    def _join(self) -> None:
        problem = self.accord.join(self.query_one("#join-name", Input).value)
        self.query_one("#join-error", Static).update(plain(problem))
