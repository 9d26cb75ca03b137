"""The modal for a pending event: its text, its choices, and why a choice is closed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine import Choose
from game.tui.markup import Shown, lines, markup, plain
from game.tui.screens.modals import Dialog
from game.tui.text import forecast, turn_title
from game.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from game.tui.session import Session


# The dashboard's own keys (its tabs, End turn, Save): pressed while an event is open, each
# puts the event off, as Esc does, and then does what it does on the dashboard.
DASHBOARD_KEYS = ("e", "o", "a", "p", "n", "v", "l", "ctrl+s")


class ChoiceList(OptionList):
    """The event's choices: Enter chooses the highlighted one (and the key bar says so), if it
    was pressed once the dialog was there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Choose", key_display="Enter"),
    ]

    def __init__(self, *options: Option, opened_at: float, **kwargs: Any) -> None:
        super().__init__(*options, **kwargs)
        self.opened_at = opened_at

    def on_key(self, event: events.Key) -> None:
        # The dialog opens by itself at the start of a turn and after each answer: an Enter
        # typed before it opened ("2 Enter" for the allocation, a second Enter for the last
        # event) was meant for what was there, and must not answer an event unread. Each key
        # carries the time it was typed, on the clock of the dialog's own stamp.
        if event.key == "enter" and event.time <= self.opened_at:
            event.stop()
            event.prevent_default()


class EventModal(Dialog[str | None]):
    """Answer an event (Enter) or decide later (Escape); closed choices show their requirement.
    Its own key bar covers the dashboard's: only the dialog's keys work while it is open."""

    OWN_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Decide later", key_display="Esc"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        *OWN_BINDINGS,
        # The app's keys, which a modal screen does not pass on: shown in the key bar.
        Binding("question_mark", "app.help", "Help", key_display="?"),
        # The app's ctrl+q (a priority binding) quits from here too; this one shows it.
        Binding("ctrl+q", "app.quit", "Quit"),
        *(Binding(key, f"dashboard({key!r})", show=False) for key in DASHBOARD_KEYS),
    ]

    def __init__(self, session: Session, event: str) -> None:
        super().__init__()
        self.session = session
        self.event = event
        self.passed_key: str | None = None  # a dashboard key that put the event off
        self.opened_at = get_time()  # Textual's clock, which stamps each key as it is typed

    def compose(self) -> ComposeResult:
        game = self.session.game
        ev = game.s.events[self.event]
        options = []
        written = game.s.model.events[self.event].choices
        for cid, choice in ev.choices.items():
            reason = game.check(Choose(self.event, cid))
            prompt: list[Shown] = [plain(choice.label)]
            if written[cid].text:
                prompt.append(markup("  [dim]$words[/]", words=written[cid].text))
            if reason:
                prompt.append(markup("  [i]✗ $why[/i]", why=reason))
            options.append(Option(lines(prompt), id=cid, disabled=bool(reason)))
        with Vertical(classes="dialog event-dialog"):
            yield Static(
                markup(
                    "[b]$title[/b]  [dim]$turn[/]",
                    title=ev.title,
                    turn=turn_title(game.s, game.state.turn),
                ),
                classes="dialog-title",
            )
            with VerticalScroll(classes="event-body"):
                yield Static(plain(ev.text), id="event-text")
                yield ChoiceList(*options, id="event-choices", opened_at=self.opened_at)
                yield Static(id="event-preview", classes="preview")
            yield Static("[dim]Enter choose · Esc decide later[/]", classes="dialog-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        choices = self.query_one("#event-choices", OptionList)
        choices.focus()
        for index in range(choices.option_count):
            if not choices.get_option_at_index(index).disabled:
                choices.highlighted = index
                break

    @on(OptionList.OptionHighlighted, "#event-choices")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        out = self.query_one("#event-preview", Static)
        cid = event.option.id
        if cid is None or event.option.disabled:
            out.update(Content())
            return
        game = self.session.game
        # Counted to the end of the turn (knock-on effects included), so it may differ from
        # what the answer changes at once; then what it queues for next turn.
        label = game.s.model.turn_label
        preview = game.preview(Choose(self.event, cid))
        head = f"Forecast, by the end of this {label}"
        out.update(plain(forecast(game.s, preview, self.session.difficulty, head)))

    @on(OptionList.OptionSelected, "#event-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.close(event.option.id)

    def action_later(self) -> None:
        self.close(None)

    def action_dashboard(self, key: str) -> None:
        """Put the event off and hand the key to the dashboard (see DASHBOARD_KEYS)."""
        self.passed_key = key
        self.close(None)
