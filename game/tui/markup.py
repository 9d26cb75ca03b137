"""Screen text: the one way game/tui builds what a widget shows.

Text from outside the program (a scenario's titles and labels, a save's name, a file name,
what a person types) must reach the screen as text. Textual reads a plain string given to a
widget as markup: `[@click=app.quit]` would run an action when clicked and a lone `[` or a
`[/]` would crash the screen; and textual.markup.escape misses cases (a trailing backslash
escapes the tag that follows, `[b=` swallows the rest). So no string from outside is ever
pasted into markup here:

- `plain(text)`: outside text, shown exactly (controls as visible escapes, lines kept);
- `markup(template, name=value, ...)`: our own template (tags such as `[b]`, `[dim]`,
  `[$warning]`) with outside text in `$name` places, each inserted as text, never markup;
- `lines(parts)`: parts joined one per line, a plain string taken as text, each wrapped line
  hanging under its line's text (game.tui.hanging), or where `hung(part, at)` says;
- `cell(text)`: outside text for a DataTable cell (which reads a plain string as markup).

Every widget that shows words (Static, Option, DataTable, notify) gets one of these.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rich.text import Text
from textual.content import Content

from game.safe_text import cut, printable_lines
from game.tui.hanging import Hanging, Hung, hanging_lines

# Names the templates use as theme colours ($warning...): never a value's name.
_THEME = frozenset({"text", "error", "warning", "success", "accent", "primary", "secondary"})

Shown = Content | str


def plain(text: object) -> Content:
    """Outside text as it is: never markup; control characters shown as escapes."""
    return Content(printable_lines(text))


def markup(template: str, /, **values: object) -> Content:
    """Our own markup `template` with each `$name` replaced by `values[name]` as text."""
    clash = _THEME.intersection(values)
    if clash:
        raise ValueError(f"a template value may not be named like a theme colour: {clash}")
    return _parsed(template, tuple((name, printable_lines(v)) for name, v in values.items()))


@lru_cache(maxsize=2048)
def _parsed(template: str, values: tuple[tuple[str, str], ...]) -> Content:
    """A template parsed with its values: screens redraw the same lines at every key, and
    Content does not change once made, so each is parsed once."""
    return Content.from_markup(template, **dict(values))


def content(part: Shown) -> Content:
    """A part as Content: Content as it is, a plain string as outside text."""
    return part if isinstance(part, Content) else plain(part)


def lines(parts: Iterable[Shown]) -> Hanging:
    """Parts one per line (a plain string is outside text, never markup); a line too long for
    its widget goes on under its text (after its indent and bullet)."""
    return hanging_lines(content(part) for part in parts)


def hung(part: Shown, at: int) -> Hung:
    """A part for `lines` whose wrapped rows go on `at` cells in (under a table's column)."""
    return Hung(content(part), at)


def cell(text: object, most: int | None = None) -> Text:
    """Outside text for a DataTable cell (a plain string there would be read as markup); with
    `most`, cut to that many characters with a "…" (one long name would widen its column
    past the screen and push every other column out of sight)."""
    shown = printable_lines(text)
    return Text(shown if most is None else cut(shown, most), end="")
