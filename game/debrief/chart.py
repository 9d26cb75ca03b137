"""Charts as plain text: a column chart for the headline, sparklines for the other series."""

from __future__ import annotations

import math
from collections.abc import Sequence

BLOCKS = " ▁▂▃▄▅▆▇█"
SPARKS = "▁▂▃▄▅▆▇█"


def block_rows(levels: Sequence[int], rows: int) -> list[list[str]]:
    """Columns of eighth blocks, top row first: a column `n` eighths high fills `n // 8` rows
    and `n % 8` eighths of the next one up."""
    return [[BLOCKS[min(8, max(0, n - 8 * r))] for n in levels] for r in range(rows - 1, -1, -1)]


def sparkline(values: Sequence[float], low: float, high: float, width: int = 60) -> str:
    """One character per value (every k-th value when there are more than `width`)."""
    if not values:
        return ""
    step = max(1, math.ceil(len(values) / width))
    picked = list(values[::step])
    span = high - low
    out = []
    for v in picked:
        frac = 0.0 if span <= 0 else (min(max(v, low), high) - low) / span
        out.append(SPARKS[min(len(SPARKS) - 1, int(frac * len(SPARKS)))])
    return "".join(out)


def _nice_range(values: Sequence[float], low: float, high: float) -> tuple[float, float]:
    """An axis around the data, padded a little and kept inside the metric's bounds."""
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.15, 2.0)
    bottom = max(low, math.floor(lo - pad))
    top = min(high, math.ceil(hi + pad))
    if top <= bottom:
        top = bottom + 1
    return float(bottom), float(top)


def column_chart(
    values: Sequence[float],
    low: float,
    high: float,
    height: int = 8,
    first: int = 0,
    numbers: bool = False,
) -> list[str]:
    """Columns of eighth blocks, one per value, x labelled from `first` (0 for the start); with
    `numbers`, each value (rounded) is written under its column when every value fits there.
    The one chart of a history: the debrief's and the end screen's draw the same game alike.

    The y axis spans the data (not the metric's whole range) so that small moves show;
    its bottom and top are printed on the left. Every value has a column, the lowest too."""
    if not values:
        return []
    bottom, top = _nice_range(values, low, high)
    label_width = max(len(f"{bottom:g}"), len(f"{top:g}"))
    step = max(1, math.ceil(len(values) / 40))
    picked = list(range(0, len(values), step))
    cell = 3
    levels = []
    for i in picked:
        frac = (min(max(values[i], bottom), top) - bottom) / (top - bottom)
        levels.append(max(1, round(frac * height * 8)))
    rows = []
    for r, blocks in enumerate(block_rows(levels, height)):
        cells = "".join(block * 2 + " " for block in blocks)
        axis = f"{top:g}" if r == 0 else f"{bottom:g}" if r == height - 1 else ""
        rows.append(f"{axis:>{label_width}} │{cells.rstrip()}")
    rows.append(" " * label_width + " └" + "─" * (cell * len(levels)))
    shown = [str(round(values[i])) for i in picked]
    if numbers and all(len(text) < cell for text in shown):
        rows.append(" " * label_width + "  " + "".join(f"{t:<{cell}}" for t in shown).rstrip())
    ticks = ""
    for n, i in enumerate(picked):
        turn = first + i
        label = str(turn) if len(str(turn)) < cell or n % 2 == 0 else ""
        ticks += f"{label:<{cell}}"
    rows.append(" " * label_width + "  " + ticks.rstrip())
    return rows
