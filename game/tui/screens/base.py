"""What every full screen of the game shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from game.tui.app import AccordApp


class AccordScreen(Screen[None]):
    """A full screen of Accord: `self.accord` is its app, typed as the AccordApp it is."""

    @property
    def accord(self) -> AccordApp:
        return self.app  # type: ignore[return-value]
