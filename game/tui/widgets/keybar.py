"""The key bar: the keys that work now, one line, each clickable.

Textual's Footer rebuilds a widget per key at every focus change (about 150 ms of a tab
switch here); this bar redraws one line of text instead.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from game.tui.markup import markup
from game.tui.widgets import put


def fitted(parts: list[Content], width: int) -> Content:
    """The entries in one line of `width` cells: two spaces apart, else one; else the last
    entries left out whole (a key is never shown without its words, nor words cut)."""
    for gap in ("  ", " "):
        bar = Content(gap).join(parts)
        if width <= 0 or bar.cell_length <= width:
            return bar
    while len(parts) > 1 and Content(" ").join(parts).cell_length > width:
        parts = parts[:-1]
    return Content(" ").join(parts)


class KeyBar(Static):
    """Shows the active bindings marked `show`; clicking one presses its key."""

    DEFAULT_CSS: ClassVar[str] = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._drawn: dict[tuple[tuple[tuple[str, str, str], ...], int], Content] = {}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen or not self.is_attached:
            return
        seen: set[str] = set()
        keys: list[tuple[str, str, str]] = []
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            shown = self.app.get_key_display(binding)
            # Two keys that do the same thing in the same words (the menu's q and the app's
            # ctrl+q: Quit) are one entry, each key once: "q/^q Quit".
            same = next((i for i, k in enumerate(keys) if k[2] == binding.description), None)
            if same is None:
                keys.append((key, shown, binding.description))
            elif shown not in keys[same][1].split("/"):
                first, was, what = keys[same]
                keys[same] = (first, f"{was}/{shown}", what)
        # The focus moves between a few widgets: each set of keys is drawn once per width.
        width = self.content_region.width
        signature = (tuple(keys), width)
        bar = self._drawn.get(signature)
        if bar is None:
            template = "[@click=press({key!r})][b $accent]$shown[/] $what[/]"
            parts = [
                markup(template.format(key=key), shown=shown, what=what)
                for key, shown, what in keys
            ]
            if self.app.ENABLE_COMMAND_PALETTE:
                parts.append(markup("[@click=press('ctrl+p')][b $accent]^p[/] palette[/]"))
            bar = self._drawn[signature] = fitted(parts, width)
        put(self, bar, key=signature)

    def on_resize(self) -> None:
        if self.is_attached:
            self._changed(self.screen)

    def action_press(self, key: str) -> None:
        self.app.simulate_key(key)
