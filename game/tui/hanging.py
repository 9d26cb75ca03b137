"""Hanging indents: a wrapped line goes on under the text of its bullet or indented label.

Textual wraps a long line flush to the left edge, so a bullet's second line ran under the
bullet and an indented line's under its parent. `Hanging` is Content that wraps each line's
continuation under where that line's text starts (after its leading spaces and bullet), at
whatever width the widget has; `game.tui.markup.lines` returns it, so every text built one
line per part hangs the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from textual.content import Content, Span
from textual.style import Style

if TYPE_CHECKING:
    from textual.content import _FormattedLine
    from textual.css.types import TextAlign, TextOverflow
    from textual.selection import Selection

# A line that starts (after spaces) with one of these and a space is a bullet: its text hangs
# after the marker.
BULLETS = frozenset("•·-–*✓✗⚑→")
# Below this many columns left for the text, a line wraps flush instead (a deep indent in a
# narrow box would leave a word a line).
NARROWEST = 12


def hang_width(line: str) -> int:
    """Where a line's text starts: its leading spaces, and a bullet with its space."""
    text = line.lstrip(" ")
    spaces = len(line) - len(text)
    if len(text) > 2 and text[0] in BULLETS and text[1] == " ":
        return spaces + 2
    return spaces


class Hung(Content):
    """One line whose wrapped rows go on `hang` cells in (a column of a table, say), whatever
    its text starts with; `Hanging` reads it from the parts `game.tui.markup.lines` joins."""

    __slots__ = ("hang",)

    def __init__(self, line: Content, hang: int) -> None:
        super().__init__(line.plain, list(line.spans), line.cell_length, False)
        self.hang = hang


class Hanging(Content):
    """Content whose wrapped lines hang under the start of their line's text (or, for a line
    given as `Hung`, at its own column)."""

    __slots__ = ("_hangs",)

    def __init__(
        self,
        text: str = "",
        spans: list[Span] | None = None,
        cell_length: int | None = None,
        strip_control_codes: bool = True,
        hangs: Mapping[int, int] | None = None,
    ) -> None:
        super().__init__(text, spans, cell_length, strip_control_codes)
        self._hangs: Mapping[int, int] = hangs or {}  # line number: its own hang

    @property
    def without_spans(self) -> Content:
        # Textual measures a visual's height on its text without styles: keep the hang there.
        return Hanging(self.plain, [], self._cell_length, False, self._hangs)

    def _wrap_and_format(
        self,
        width: int,
        align: TextAlign = "left",
        overflow: TextOverflow = "fold",
        no_wrap: bool = False,
        line_pad: int = 0,
        tab_size: int = 8,
        selection: Selection | None = None,
        selection_style: Style | None = None,
        post_style: Style | None = None,
        get_style: Callable[[str | Style], Style] = Style.parse,  # type: ignore[assignment]
    ) -> list[_FormattedLine]:
        plain_wrap = Content._wrap_and_format
        if no_wrap:
            return plain_wrap(
                self, width, align, overflow, no_wrap, line_pad, tab_size,
                selection, selection_style, post_style, get_style,
            )  # fmt: skip
        out: list[_FormattedLine] = []
        for y, line in enumerate(self.split(allow_blank=True)):
            # What Content does to each line before wrapping it.
            if post_style is not None:
                line = line.stylize(post_style)
            span = selection.get_span(y) if selection is not None else None
            if selection_style is not None and span is not None:
                start, end = span
                line = line.stylize(selection_style, start, len(line.plain) if end == -1 else end)
            line = line.expand_tabs(tab_size)

            def wrap(part: Content, room: int) -> list[_FormattedLine]:
                return plain_wrap(part, room, align, overflow, False, line_pad, tab_size, None,
                                  None, None, get_style)  # fmt: skip

            rows = wrap(line, width)
            hang = self._hangs.get(y, hang_width(line.plain))
            if len(rows) > 1 and hang and width - hang >= NARROWEST:
                # The first row as Content wraps it; the rest again, narrower, moved right.
                start = rows[1].x
                rest = wrap(line[start:], width - hang)
                for row in rest:
                    row.content = row.content.pad_left(hang)
                    row.x += start - hang  # the text keeps its offsets (for selection)
                    row.width = width
                rows = [rows[0], *rest]
            for row in rows:
                row.y = y
            out += rows
        return out


def hanging(content: Content) -> Hanging:
    """The same text and styles, its wrapped lines hanging (see `Hanging`)."""
    if isinstance(content, Hanging):
        return content
    return Hanging(content.plain, list(content.spans), content.cell_length, False)


def hanging_lines(parts: Iterable[Content]) -> Hanging:
    """Parts one per line, each wrapped line hanging (a `Hung` part at its own column)."""
    parts = list(parts)
    hangs = {}
    y = 0
    for part in parts:
        if isinstance(part, Hung):
            hangs[y] = part.hang
        y += part.plain.count("\n") + 1
    joined = Content("\n").join(parts)
    return Hanging(joined.plain, list(joined.spans), joined.cell_length, False, hangs)
