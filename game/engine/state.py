"""Everything that changes during a game, in one structure that copies itself."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from itertools import repeat
from operator import attrgetter
from types import MappingProxyType, UnionType
from typing import Any, NamedTuple, Union, get_args, get_origin, get_type_hints

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
    # A look-ahead copy (Game.look_ahead): its turn is resolved, the next not begun.
    looked_ahead: bool = False
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
    # The inputs of `each_turn` offers not yet worked out (Rules.state_offers), oldest first.
    offers_due: list[tuple[Any, ...]] = field(default_factory=list)
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
        # Each group of fields copied alike (shared, lists, dicts, the generator: the plan
        # their declared types give) is read, copied and set in one pass of C calls, without
        # the constructor: about a tenth of a greedy game's bytecodes went to a field-by-field
        # copy through it.
        other = object.__new__(Board)
        for names, read, how in _GROUPS:
            values = read(self)
            deque(map(setattr, repeat(other), names, map(how, values) if how else values), 0)
        other.values[WARNINGS] = other.warnings  # as __post_init__ does
        return other


def _new_generator(rng: random.Random) -> random.Random:
    """A generator made without seeding (seeding reads the system's entropy), then given the
    state of `rng`."""
    other = random.Random.__new__(random.Random)
    other.setstate(rng.getstate())
    return other


_SHARED = (int, float, str, bool, tuple, type(None), MappingProxyType)


def copy_plan(cls: type) -> tuple[Callable[[Any], Any] | None, ...]:
    """How to copy each field of the dataclass `cls`, in order, from its declared type:
    lists and dicts are copied (their items are immutable: tuples, text, numbers, read-only
    mappings; but for the warnings list in `values`, which the constructor mends), the
    generator is given a new one in the same state, and immutable values are shared (None).
    A field of any other type is refused, at import, with its name."""
    hints = get_type_hints(cls)
    plan: list[Callable[[Any], Any] | None] = []
    for f in fields(cls):
        hint = hints[f.name]
        kind = get_origin(hint) or hint
        if kind is list or kind is dict:
            plan.append(kind)
        elif kind is random.Random:
            plan.append(_new_generator)
        elif all(
            (get_origin(a) or a) in _SHARED
            for a in (get_args(hint) if kind in (UnionType, Union) else (kind,))
        ):
            plan.append(None)
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: no rule to copy a {hint}")
    return tuple(plan)


def copy_groups(
    cls: type,
) -> tuple[tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]], Any], ...]:
    """The fields of `cls` grouped by how `copy_plan` copies them: for each group, its names,
    a reader of their values (always a tuple) and the copy (None: shared as it is)."""
    by_how: dict[Any, list[str]] = {}
    for f, how in zip(fields(cls), copy_plan(cls), strict=True):
        by_how.setdefault(how, []).append(f.name)
    return tuple((tuple(names), _reader(names), how) for how, names in by_how.items())


def _reader(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:  # attrgetter gives a bare value for one name
        (only,) = names
        return lambda obj: (getattr(obj, only),)
    return attrgetter(*names)


_GROUPS = copy_groups(Board)
