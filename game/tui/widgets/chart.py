"""A column chart of a meter's history, drawn with block characters (readable without colour)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widget import Widget

from game.debrief.chart import block_rows
from game.tui.text import number


def chart_lines(
    values: Sequence[float], low: float, high: float, rows: int, labels: Sequence[str]
) -> list[str]:
    """The chart as text lines: a y axis with bounds, one column per value, labels below.

    It draws its columns with the debrief's block_rows but is not its column_chart, on
    purpose: this one widens its columns to the screen and writes each value under its column,
    on the range its screen chose; the debrief's samples long games down to 40 narrow columns
    on a padded range of its own, for print."""
    span = (high - low) or 1.0
    width = 4 if len(values) <= 14 else 3 if len(values) <= 20 else 2
    axis = max(len(number(high)), len(number(low)))
    levels = [round(min(1.0, max(0.0, (value - low) / span)) * rows * 8) for value in values]
    lines = []
    for i, blocks in enumerate(block_rows(levels, rows)):
        tick = number(high) if i == 0 else number(low) if i == rows - 1 else ""
        cells = "".join((block * (width - 1)).ljust(width) for block in blocks)
        lines.append(f"{tick:>{axis}} ┤" + cells.rstrip())
    lines.append(" " * axis + " └" + "─" * (width * len(values)))
    if width >= 3:
        lines.append(" " * (axis + 2) + "".join(f"{round(v):<{width}}" for v in values).rstrip())
    lines.append(" " * (axis + 2) + "".join(f"{label:<{width}}"[:width] for label in labels))
    return lines


class HistoryChart(Widget):
    """A meter over the turns: the start value, then its value at the end of each turn."""

    DEFAULT_CSS = """
    HistoryChart { height: auto; width: auto; color: $accent; }
    """

    def __init__(
        self,
        values: Sequence[float],
        low: float,
        high: float,
        rows: int = 8,
        labels: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.values = list(values)
        self.low, self.high, self.rows = low, high, rows
        self.labels = list(labels) or [str(i) for i in range(len(values))]

    def render(self) -> Text:
        lines = chart_lines(self.values, self.low, self.high, self.rows, self.labels)
        return Text("\n".join(lines))
