"""Messages the panels send to the screens: small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from game.engine import Action, TurnReport


@dataclass
class Act(Message):
    """A panel asks the dashboard to apply an action (the engine decides; refusals are shown)."""

    action: Action
    confirm: bool = False  # ask first when the action has an immediate cost in trust


@dataclass
class ActAll(Message):
    """A panel asks the dashboard to apply several actions in order, shown once at the end
    (the first refusal stops them and is shown); `said` is the status line when all pass."""

    actions: tuple[Action, ...]
    said: str


@dataclass
class OpenEvent(Message):
    """Open the modal of a pending event."""

    event: str


@dataclass
class OpenReport(Message):
    """Show a past turn's report."""

    report: TurnReport


@dataclass
class Say(Message):
    """Show a line in the dashboard's status bar (a refusal, a hint, a result)."""

    text: str
    warning: bool = False
