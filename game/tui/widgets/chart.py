"""A column chart of a meter's history, drawn with block characters (readable without colour)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widget import Widget

from game.debrief.chart import column_chart


class HistoryChart(Widget):
    """A meter over the turns: the start value, then its value at the end of each turn, on
    the debrief's axis (game.debrief.chart.column_chart), each value under its column."""

    DEFAULT_CSS = """
    HistoryChart { height: auto; width: auto; color: $accent; }
    """

    def __init__(self, values: Sequence[float], low: float, high: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.values = list(values)
        self.low, self.high = low, high

    def render(self) -> Text:
        lines = column_chart(self.values, self.low, self.high, numbers=True)
        return Text("\n".join(lines))
