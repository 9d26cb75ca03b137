"""The runtime form of a scenario: ids resolved, expressions compiled, every part located."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from game.scenario.errors import Problem
from game.scenario.expr import Compiled, ExprType
from game.scenario.models import Op, ScenarioModel, Target


@dataclass(frozen=True, slots=True)
class CEffect:
    """One compiled effect. `scope` is 'all' or 'parties' for trust effects named so."""

    kind: Target
    ids: tuple[str, ...]
    scope: str
    op: Op
    value: Compiled
    when: Compiled | None
    cause: str
    line: int
    each_turn: bool = False
    # A `reveal` effect's disagreement and what it discloses ("weights", "options" or "all").
    disagreement: str = ""
    what: str = ""


@dataclass(frozen=True, slots=True)
class CLine:
    id: str
    label: str
    accepts: tuple[str, ...]
    effects: tuple[CEffect, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CStrategy:
    id: str
    label: str
    kind: str
    partners: tuple[str, ...]
    requires: Compiled | None
    cost: tuple[tuple[str, int], ...]
    upkeep: tuple[tuple[str, int], ...]
    min_turns: int
    exclusive_with: tuple[str, ...]
    each_turn: tuple[CEffect, ...]
    on_activate: tuple[CEffect, ...]
    on_early_end: tuple[CEffect, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CPreference:
    weights: MappingProxyType[str, float]  # normalised to sum 1
    values: MappingProxyType[str, MappingProxyType[str, float]]
    reservation: float
    aspiration: float
    exponent: float  # the concession exponent e
    public: tuple[str, ...] = ()  # what the briefing says openly: "weights", "options"
    # resource -> (utility per unit transferred, most units per proposal); empty: none valued
    side_payments: MappingProxyType[str, tuple[float, int]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    holds_while: Compiled | None = None  # the party's condition of an agreement


@dataclass(frozen=True, slots=True)
class CDisagreement:
    id: str
    label: str
    parties: tuple[str, ...]
    needs: int | None  # None: every party still present
    vetoes: tuple[str, ...]
    opens_turn: int | None
    opens_when: Compiled | None
    deadline: int
    proposal_cost: tuple[tuple[str, int], ...]
    pressure: tuple[CEffect, ...]
    issues: MappingProxyType[str, tuple[str, ...]]  # issue -> option ids, in file order
    preferences: MappingProxyType[str, CPreference]
    outcomes: MappingProxyType[tuple[str, str], tuple[CEffect, ...]]
    on_agree: tuple[CEffect, ...]
    on_fail: tuple[CEffect, ...]
    line: int
    offers: str = "each_turn"  # each_turn, after_refusal or none
    holds_while: Compiled | None = None  # the agreement's own condition (absent: none)
    on_breach: tuple[CEffect, ...] = ()
    reopens: int | None = None  # turns from a breach to the reopened talks' deadline

    @property
    def breakable(self) -> bool:
        """Whether an agreement can break: a condition of its own or of a party."""
        return self.holds_while is not None or any(
            p.holds_while is not None for p in self.preferences.values()
        )


@dataclass(frozen=True, slots=True)
class CChoice:
    id: str
    label: str
    requires: Compiled | None
    effects: tuple[CEffect, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CEvent:
    id: str
    title: str
    text: str
    turn: int | None
    when: Compiled | None
    chance: float
    once: bool
    choices: MappingProxyType[str, CChoice]
    effects: tuple[CEffect, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CRule:
    label: str
    when: Compiled | None
    effects: tuple[CEffect, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CEnding:
    id: str
    check: Literal["each_turn", "at_end"]
    when: Compiled
    grade: str | None
    title: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class CLesson:
    index: int
    when: Compiled
    text: str
    line: int


@dataclass(frozen=True, eq=False)
class Scenario:
    """A loaded, checked scenario, ready to play. `model` keeps what the file says. Two loads
    of one file are two scenarios (equal by identity): the engine keeps a plan per scenario."""

    model: ScenarioModel
    file: str
    names: MappingProxyType[str, ExprType]
    flags: tuple[str, ...]
    headline: str
    contribution: Compiled
    lines: MappingProxyType[str, CLine]
    strategies: MappingProxyType[str, CStrategy]
    disagreements: MappingProxyType[str, CDisagreement]
    events: MappingProxyType[str, CEvent]
    rules: tuple[CRule, ...]
    endings: MappingProxyType[str, CEnding]
    score: Compiled
    grades: tuple[tuple[str, float], ...]  # descending thresholds
    lessons: tuple[CLesson, ...]
    warnings: tuple[Problem, ...] = field(default=())
    sha256: str = ""
    # The file line of every entry by "section.id" (e.g. "resources.funding"), for the ledger.
    where: MappingProxyType[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Every name's one key object ({name: name}, the same strings as `names`' keys): code that
    # builds a key as text looks it up here, so dict lookups by it find the very same object
    # and skip comparing text.
    canonical: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def title(self) -> str:
        return self.model.title

    @property
    def turns(self) -> int:
        return self.model.turns
