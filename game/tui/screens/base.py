"""What every full screen of the game shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from game.tui.app import AccordApp


class AccordScreen(Screen[None]):
    """A full screen of Accord: `self.accord` is its app, typed as the AccordApp it is."""

    # Textual repaints the whole screen when the focus moves, after the widgets that gained
    # and lost it have repainted themselves: a second full frame for every tab switch.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    @property
    def accord(self) -> AccordApp:
        return self.app  # type: ignore[return-value]
