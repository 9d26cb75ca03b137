"""What the bots and the balance report work out once per scenario, kept while it lives."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

from game.scenario import Scenario

T = TypeVar("T")


def per_scenario(build: Callable[[Scenario], T]) -> Callable[[Scenario], T]:
    """`build(scenario)`, worked out on first use for each scenario and kept with it (not on
    the frozen Scenario: a weak mapping forgets it with the scenario)."""
    kept: weakref.WeakKeyDictionary[Scenario, T] = weakref.WeakKeyDictionary()

    def get(scenario: Scenario) -> T:
        found = kept.get(scenario)
        if found is None:
            found = kept[scenario] = build(scenario)
        return found

    get.__doc__ = build.__doc__
    return get
