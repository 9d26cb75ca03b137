"""Widgets of the turn dashboard and the end screen."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def put(widget: Static, content: Content, key: object = None) -> None:
    """Update a Static only when what it shows changed, and lay the screen out again only
    when its height changed (a layout pass costs more than the rest of a key press).

    `content` is screen text (game.tui.markup), never a string Textual would read as markup;
    `key` stands for the content when the content itself cannot be compared."""
    marker = content if key is None else key
    if getattr(widget, "_accord_shown", None) == marker:
        return
    widget._accord_shown = marker  # type: ignore[attr-defined]
    region = widget.content_region
    if not widget.is_mounted or region.width <= 0:
        # Not laid out yet, or hidden: its layout comes when it is shown.
        widget.update(content, layout=widget.is_mounted and widget.display)
        return
    widget.update(content, layout=False)
    container = widget.container_size
    height = widget.get_content_height(container, widget.app.size, region.width)
    if height != region.height:
        widget.refresh(layout=True)


class FocusUnstyled:
    """For a widget that no CSS rule styles by its focus (nor its descendants by it): on every
    focus change Textual computes again the styles of the widget, of all its descendants and
    of their component classes, to the same result. That was 1.5 ms of the ~12.7 ms of CPU
    a tab switch took (benchmarks/tui.py): it moves the focus from one panel's table or list
    to another's. tests/tui/test_frames.py checks that the stylesheet still gives these
    widgets the same styles focused or not.

    Put it before the Textual class among the bases, to override Widget.watch_has_focus."""

    def watch_has_focus(self, has_focus: bool) -> None:
        """Nothing to restyle (see the class)."""
