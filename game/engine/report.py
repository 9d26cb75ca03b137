"""What the engine tells its callers: ledger changes, turn reports, outcomes, state snapshots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from game.scenario.models import Target

TargetKind = Target  # what a ledger line changed
EMPTY: Mapping[str, Any] = MappingProxyType({})
# The notes of ledger lines the engine writes itself.
LIMIT = "limit reached"  # a value held within its bounds (a metric's range, a stock's storage)
QUEUED = "arrives next turn"  # a resource change made in resolution: it waits for next turn
ARRIVED = "queued last turn"  # ... and arrives with the next turn's income


class Change(NamedTuple):
    """One line of the ledger: a target moved by `amount` because of `cause` (file line `line`)."""

    # A NamedTuple rather than a frozen dataclass: the engine makes tens of thousands a second.
    kind: TargetKind
    target: str
    amount: float
    cause: str
    line: int = 0
    note: str = ""  # "limit reached", "arrives next turn", ...

    @property
    def later(self) -> bool:
        """A resource change queued in resolution: it moves its stock at the next turn's
        income (where it is written again, as it arrives), not in this one."""
        return self.note.endswith(QUEUED)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "target": self.target,
            "amount": self.amount,
            "cause": self.cause,
            "line": self.line,
            "note": self.note,
        }


class PartyAnswer(NamedTuple):
    """A party's answer to a proposal."""

    party: str
    accepts: bool
    utility: float
    objection: str | None  # the issue that costs it the most, when it refuses
    # When it refuses: the options of that issue it prefers to the one proposed, best first
    # (which way it wants the package to move), and the lowest value it accepted then.
    prefers: tuple[str, ...] = ()
    floor: float = 0.0


class Known(NamedTuple):
    """What the trainee knows of one party's position in one disagreement: its issue weights
    (priorities), and the issues on which its preferred option is known."""

    weights: bool = False
    # Issue ids in name order: the same whichever came to be known first (a turn's offers
    # are worked out when first read, possibly after a refusal of that turn disclosed more).
    options: tuple[str, ...] = ()

    def learn(self, weights: bool = False, options: tuple[str, ...] = ()) -> Known:
        """This knowledge with more added (itself when nothing is new)."""
        new = [i for i in options if i not in self.options]
        if (weights and not self.weights) or new:
            return Known(self.weights or weights, tuple(sorted({*self.options, *new})))
        return self


class ProposalRecord(NamedTuple):
    """A proposal and its answers (NamedTuples like the ledger's: bots make thousands)."""

    turn: int
    disagreement: str
    package: tuple[tuple[str, str], ...]
    answers: tuple[PartyAnswer, ...]
    agreed: bool
    # Side payments offered with it, (party, ((resource, units), ...)); paid only if agreed.
    transfers: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()


class Breach(NamedTuple):
    """An agreement that broke at a resolution: whose condition failed (the party, or None for
    the disagreement's own), the condition as written, and the reopened talks' deadline (None
    when they stay closed)."""

    disagreement: str
    party: str | None
    condition: str
    reopened_deadline: int | None


class Watched(NamedTuple):
    """The ids of the values a turn report reads before and after: metrics, then partners.
    One per scenario, shared by its reports."""

    metrics: tuple[str, ...]
    stakeholders: tuple[str, ...]
    resources: tuple[str, ...] = ()


class TurnReport(NamedTuple):
    """Everything that happened in one turn, with the ledger that explains each movement."""

    # A NamedTuple: one is made every turn of every bot game, and a frozen dataclass with
    # sixteen fields costs ten times as much to build. The readings before and after are kept
    # as two tuples (metrics, then trust, in `watched`'s order): their mappings are made when
    # they are read, which few reports ever are.
    turn: int
    changes: tuple[Change, ...]
    watched: Watched
    before: tuple[float, ...]
    after: tuple[float, ...]
    events: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    proposals: tuple[ProposalRecord, ...] = ()
    opened: tuple[str, ...] = ()
    agreed: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    ending: str | None = None
    # Every expression name's value at the end of resolution (before the next income).
    values: Mapping[str, Any] = EMPTY
    breaches: tuple[Breach, ...] = ()  # agreements that broke at this resolution

    # Each resource's stock before the turn's income and at the end of its resolution, in
    # `watched.resources`' order: the turn's resource changes (but those that arrive `later`)
    # add up to the difference.
    stocks_before: tuple[int, ...] = ()
    stocks_after: tuple[int, ...] = ()

    @property
    def resources_before(self) -> Mapping[str, int]:
        return MappingProxyType(dict(zip(self.watched.resources, self.stocks_before, strict=False)))

    @property
    def resources_after(self) -> Mapping[str, int]:
        return MappingProxyType(dict(zip(self.watched.resources, self.stocks_after, strict=False)))

    def moved_now(self, kind: TargetKind, target: str) -> list[Change]:
        """The changes that moved a value in this turn (not those that arrive later)."""
        return [c for c in self.changes if c.kind == kind and c.target == target and not c.later]

    @property
    def metrics_before(self) -> Mapping[str, float]:
        return MappingProxyType(dict(zip(self.watched.metrics, self.before, strict=False)))

    @property
    def metrics_after(self) -> Mapping[str, float]:
        return MappingProxyType(dict(zip(self.watched.metrics, self.after, strict=False)))

    @property
    def trust_before(self) -> Mapping[str, float]:
        return MappingProxyType(
            dict(zip(self.watched.stakeholders, self._trust(self.before), strict=True))
        )

    @property
    def trust_after(self) -> Mapping[str, float]:
        return MappingProxyType(
            dict(zip(self.watched.stakeholders, self._trust(self.after), strict=True))
        )

    def _trust(self, readings: tuple[float, ...]) -> tuple[float, ...]:
        return readings[len(self.watched.metrics) :]

    def changes_for(self, kind: TargetKind, target: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and c.target == target]

    def to_json(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "changes": [c.to_json() for c in self.changes],
            "metrics_before": dict(self.metrics_before),
            "metrics_after": dict(self.metrics_after),
            "trust_before": dict(self.trust_before),
            "trust_after": dict(self.trust_after),
            "resources_before": dict(self.resources_before),
            "resources_after": dict(self.resources_after),
            "events": list(self.events),
            "agreed": list(self.agreed),
            "failed": list(self.failed),
            "withdrawn": list(self.withdrawn),
            "warnings": list(self.warnings),
            "ending": self.ending,
        } | ({"broken": [b.disagreement for b in self.breaches]} if self.breaches else {})


class Outcome(NamedTuple):
    """The answer to `Game.apply`: accepted or refused (with a reason a trainee understands)."""

    # A NamedTuple: one is made for every action, and a frozen dataclass costs far more.
    ok: bool
    reason: str = ""
    changes: tuple[Change, ...] = ()
    report: TurnReport | None = None
    proposal: ProposalRecord | None = None

    def __bool__(self) -> bool:  # a tuple of five is always true: truth is `ok`
        return self.ok


@dataclass(frozen=True, slots=True)
class DisagreementStatus:
    status: Literal["not_open", "open", "agreed", "failed", "broken"]
    opened_turn: int
    open_turns: int
    agreed_turn: int
    package: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Preview:
    """What a decision would move this turn, in the current state, without changing anything."""

    ok: bool
    reason: str = ""
    deltas: Mapping[str, float] = field(default_factory=lambda: EMPTY)  # "metric:x", "trust:y", ...
    # Delayed effects, by "resource:x": the resource changes the decision queues in resolution
    # (they arrive with next turn's income), and the change in next turn's upkeep (negative:
    # paid from next turn's income, and every turn after while the strategy runs).
    next_turn: Mapping[str, float] = field(default_factory=lambda: EMPTY)
    upkeep: Mapping[str, float] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class GameState:
    """An immutable snapshot of a game, for display, saves and tests."""

    scenario: str
    seed: int
    turn: int
    turns: int
    finished: bool
    ending: str | None
    metrics: Mapping[str, float]
    trust: Mapping[str, float]
    withdrawn: frozenset[str]
    resources: Mapping[str, int]
    allocations: Mapping[str, Mapping[str, int]]
    active: Mapping[str, int]
    disagreements: Mapping[str, DisagreementStatus]
    pending: tuple[str, ...]
    fired: frozenset[str]
    flags: Mapping[str, float]
    history: Mapping[str, tuple[float, ...]]
    contributions: Mapping[str, Mapping[str, int]]
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "turn": self.turn,
            "turns": self.turns,
            "finished": self.finished,
            "ending": self.ending,
            "metrics": dict(self.metrics),
            "trust": dict(self.trust),
            "withdrawn": sorted(self.withdrawn),
            "resources": dict(self.resources),
            "allocations": {k: dict(v) for k, v in self.allocations.items()},
            "active": dict(self.active),
            "disagreements": {
                k: {
                    "status": d.status,
                    "opened_turn": d.opened_turn,
                    "open_turns": d.open_turns,
                    "agreed_turn": d.agreed_turn,
                    "package": dict(d.package),
                }
                for k, d in self.disagreements.items()
            },
            "pending": list(self.pending),
            "fired": sorted(self.fired),
            "flags": dict(self.flags),
            "history": {k: list(v) for k, v in self.history.items()},
            "score": self.score,
        }
