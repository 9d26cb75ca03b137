"""Small dialogs: confirm a step with a cost, name a save."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from game.tui.markup import lines as joined
from game.tui.markup import markup, plain

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A modal that closes once: two keys in one burst (a double Enter, a paste) would each
    dismiss it, and the second, before the first is done, pops the screen under it too (an
    event answered, then the game gone back to the menu)."""

    _answered = False  # (not _closed: that is the message pump's own)

    def close(self, result: ResultT) -> None:
        if self._answered:
            return
        self._answered = True
        self.dismiss(result)


class ConfirmModal(Dialog[bool]):
    """A question with what it costs; Enter or y confirms, Escape or n cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, lines: list[str], yes: str = "Confirm", also: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.yes = yes
        self.also = also  # one more key that confirms (e for a second press of 'End turn')

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(markup("[b]$title[/b]", title=self.title_text), classes="dialog-title")
            yield Static(joined(self.lines), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(plain(self.yes), id="yes", variant="primary")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_key(self, event: events.Key) -> None:
        if self.also and event.key == self.also:
            event.stop()
            self.close(True)

    def action_answer(self, yes: bool) -> None:
        self.close(yes)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.close(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.close(False)


class SaveModal(Dialog[str | None]):
    """Ask for a save name; Enter saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: str) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("[b]Save the game[/b]", classes="dialog-title")
            yield Static("A name for this save (the file name is chosen for you):")
            yield Input(value=self.suggestion, id="save-name", max_length=60)
            yield Static("", id="save-error", classes="error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#save-name", Input).focus()

    @on(Input.Submitted, "#save-name")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        name = self.query_one("#save-name", Input).value.strip()
        if not name:
            self.query_one("#save-error", Static).update("Give the save a name.")
            return
        self.close(name)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.close(None)
