"""'Did you mean ...?' for a misspelt name, with bounded work.

difflib compares a word with every known name; a file with 3,000 misspelt names and 3,000
real ones would cost nine million comparisons (minutes). Within a `budget()` (one scenario
check, one script run) the comparisons are counted, and once the budget is spent a problem
says there is no suggestion instead of searching for one.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Names compared in one check: a scenario with a hundred names and a few typos uses a few
# thousand; 30,000 comparisons take about half a second at worst.
COMPARISONS = 30_000
CAPPED = " (no suggestion: too many unknown names to compare)"

_left: ContextVar[list[int] | None] = ContextVar("did_you_mean_budget", default=None)


@contextmanager
def budget(comparisons: int = COMPARISONS) -> Iterator[None]:
    """Count the comparisons made inside the block against `comparisons`."""
    token = _left.set([comparisons])
    try:
        yield
    finally:
        _left.reset(token)


def did_you_mean(word: str, known: Collection[str]) -> str:
    """' (did you mean 'x'?)', '' when no name is close, or CAPPED once the budget is spent
    (outside a budget, one lookup compares at most COMPARISONS names). The suggestion does
    not depend on the order of `known` (difflib breaks ties by the names themselves)."""
    left = _left.get()
    if left is None:
        if len(known) > COMPARISONS:
            return CAPPED
    elif left[0] < len(known):
        left[0] = 0
        return CAPPED
    else:
        left[0] -= len(known)
    close = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
