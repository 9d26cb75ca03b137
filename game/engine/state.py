"""Everything that changes during a game, in one structure that copies itself."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, NamedTuple

from game.engine.actions import Action
from game.engine.report import Breach, Change, Known, ProposalRecord, TurnReport
from game.scenario.expr import WARNINGS

Package = tuple[tuple[str, str], ...]


class Queued(NamedTuple):
    """A resource change made during resolution: it arrives with the next turn's income."""

    resource: str
    amount: int
    cause: str
    line: int
    is_set: bool  # the stock becomes `amount` (a `set` effect) rather than growing by it


@dataclass(slots=True, eq=False)
class Board:
    """A game's whole changing state. Nothing else in a game changes: `copy()` gives a game
    of its own to a preview or a bot, and a new field is copied without a word (lists and
    dicts copied, immutable values shared; any other type is refused, see `copy`)."""

    values: dict[str, Any]  # every expression name's current value
    rng: random.Random  # the game's one generator: `chance` rolls only
    turn: int = 0
    finished: bool = False
    ending: str | None = None
    final_score: float | None = None
    actions: list[Action] = field(default_factory=list)
    reports: list[TurnReport] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # events waiting for an answer
    opened: dict[str, int] = field(default_factory=dict)  # the turn each disagreement opened
    packages: dict[str, Package] = field(default_factory=dict)  # agreed, in order of agreement
    # The turn in which each strategy last ended: it cannot be activated again in that turn
    # (activating and ending it over and over would repeat its `on_activate` effects).
    ended_turn: dict[str, int] = field(default_factory=dict)
    queued: list[Queued] = field(default_factory=list)
    # The deadline of talks reopened after a breach, by disagreement (others keep their own).
    deadlines: dict[str, int] = field(default_factory=dict)
    # The watched values (metrics, then trust) at the end of each finished turn.
    readings: list[tuple[float, ...]] = field(default_factory=list)
    # What each partner gave this turn, by resource (read-only mappings).
    contributions: dict[str, Mapping[str, int]] = field(default_factory=dict)
    proposals: list[ProposalRecord] = field(default_factory=list)
    # The current turn's record, begun at its income.
    proposals_start: int = 0
    ledger: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    before: tuple[float, ...] = ()
    stocks_before: tuple[int, ...] = ()  # each stock before the turn's income
    choices: list[tuple[str, str]] = field(default_factory=list)
    fired_now: list[str] = field(default_factory=list)
    opened_now: list[str] = field(default_factory=list)
    agreed_now: list[str] = field(default_factory=list)
    failed_now: list[str] = field(default_factory=list)
    withdrawn_now: list[str] = field(default_factory=list)
    # Negotiation as the trainee sees it (information only: no value reads it). Each party's
    # offer by disagreement, as (party, package) pairs in party order ((): it accepts no
    # package now); the parties that refused a proposal, by disagreement; what offers,
    # refusals and `reveal` effects have disclosed, by (disagreement, party).
    offers: dict[str, tuple[tuple[str, Package], ...]] = field(default_factory=dict)
    refused: dict[str, tuple[str, ...]] = field(default_factory=dict)
    revealed: dict[tuple[str, str], Known] = field(default_factory=dict)
    broken_now: list[Breach] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.values[WARNINGS] = self.warnings  # expressions report problems here

    def begin_turn(self) -> None:
        """A fresh record for the next turn."""
        self.turn += 1
        self.proposals_start = len(self.proposals)
        self.ledger, self.warnings, self.choices = [], [], []
        self.values[WARNINGS] = self.warnings
        self.fired_now, self.opened_now, self.agreed_now = [], [], []
        self.failed_now, self.withdrawn_now, self.broken_now = [], [], []

    def copy(self) -> Board:
        """An independent copy: it shares no list, dict or generator with this one."""
        other = Board.__new__(Board)
        for f in fields(self):
            setattr(other, f.name, _copied(getattr(self, f.name), f.name))
        other.values[WARNINGS] = other.warnings
        return other


_SHARED = (int, float, str, bool, tuple, type(None), MappingProxyType)


def _copied(value: Any, name: str) -> Any:
    """A copy of one field's value. The items of lists and dicts are immutable (tuples, text,
    numbers, read-only mappings), but for the warnings list in `values`, which `copy` mends."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, random.Random):
        # A generator made without seeding (seeding reads the system's entropy), then given
        # this one's state.
        rng = random.Random.__new__(random.Random)
        rng.setstate(value.getstate())
        return rng
    if isinstance(value, _SHARED):
        return value
    raise TypeError(f"Board.{name}: no rule to copy a {type(value).__name__}")
