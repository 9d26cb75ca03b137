"""How a value reads to a trainee, the same on every screen and in every review: whole when it
is (nearly) whole, else one decimal; a change with its sign (no Textual, no files)."""

from __future__ import annotations


def number(x: float) -> str:
    """A value as a trainee reads it: whole when it is (nearly) whole, else one decimal."""
    value = float(x)
    if abs(value - round(value)) < 0.05:
        return str(round(value))
    return f"{value:.1f}"


def signed(x: float) -> str:
    """A change with its sign: +2.4, -1, 0."""
    text = number(x)
    if text == "0":
        return "0"
    return text if text.startswith("-") else f"+{text}"


def change_shown(before: float, after: float) -> str:
    """A movement's change worked out from the values as shown (to one decimal), so what a
    trainee reads adds up on every screen: 64.4 → 67.4 is +3, not +2.9."""
    return signed(round(float(after), 1) - round(float(before), 1))


def moved(before: float, after: float) -> str:
    """A movement as `before → after (change)`, the change as `change_shown` gives it."""
    return f"{number(before)} → {number(after)} ({change_shown(before, after)})"
