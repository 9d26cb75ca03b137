"""Where the mission is heading: thresholds within reach, and where the current plan leads.

Both are read from the engine, not from a model of their own (no Textual, no files):

- **Within reach.** A threshold is within reach when the distance to it is no more than the
  largest one-turn move of the same quantity seen so far in this game: a partner's trust and
  its `withdraws_below`; each `and` part of an ending's condition that compares numbers (its
  left side less its right, read at the end of every finished turn). An ending checked every
  turn is within reach when each part of its condition holds or is within reach; one checked
  at the end, on the last turn only. Before the first turn is over no move has been seen, so
  nothing is within reach yet.
- **On current course.** A copy of the game plays on to the end: each turn the same
  allocation as now (this turn's, or the last turn's while nothing is allocated yet; as much
  of it as the stock allows, in the order it was made), the active strategies left running, no
  strategy activated or ended, no proposal, and every event answered by its first choice open
  at the time (in the scenario's order). The games are deterministic, so the projection is
  too. It is worked out once per turn and plan (`course`), and shown at intro and standard
  difficulty, not at hard.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from game.debrief.conditions import condition_text
from game.engine import Allocate, Choose, EndTurn, Game
from game.numbers import number
from game.playtest.explain import Clause, clauses
from game.scenario.expr import HISTORY, WARNINGS

ROLLOUT_DIFFICULTIES = ("intro", "standard")


@dataclass(frozen=True, slots=True)
class Course:
    """Where the current plan leads: the ending (None: none matched), grade and score at
    `last_turn`, and the partners who walk out on the way with the turn they do."""

    ending: str | None
    grade: str
    score: float
    last_turn: int
    finished_early: bool
    leaving: tuple[tuple[str, int], ...]
    repeats_last_turn: bool  # nothing allocated yet this turn: last turn's allocation repeated


@dataclass(frozen=True, slots=True)
class Alert:
    """A threshold within reach, in a trainee's words; `partner` or `ending` says whose."""

    text: str
    partner: str | None = None
    ending: str | None = None


# ---- the plan and the rollout -------------------------------------------------------------


def current_plan(game: Game) -> tuple[tuple[str, str, int], ...]:
    """(line, resource, amount) allocated this turn; while nothing is, last turn's."""
    now = [
        (lid, rid, amount)
        for lid, line in game.state.allocations.items()
        for rid, amount in line.items()
        if amount
    ]
    if now or not game.reports:
        return tuple(now)
    values = game.reports[-1].values
    return tuple(
        (lid, rid, int(amount))
        for (lid, rid), (_, key) in game.plan.slots.items()
        if (amount := values.get(key, 0))
    )


def default_choice(game: Game, event: str) -> str | None:
    """The event's first choice open now, in the scenario's order (None: none is open)."""
    for cid, choice in game.s.events[event].choices.items():
        if choice.requires is None or choice.requires.fn(game.board.values):
            return cid
    return None


def rollout(game: Game) -> Course:
    """Play a copy of the game to its end on the current plan (see the module's docstring)."""
    trial = game.copy()
    plan, stocks = current_plan(game), game.plan.res
    allocated_now = any(
        amount for line in game.state.allocations.values() for amount in line.values()
    )
    gone = set(game.state.withdrawn)
    leaving: list[tuple[str, int]] = []
    first = True
    while not trial.finished:
        if not (first and allocated_now):
            for lid, rid, amount in plan:
                left = int(trial.values[stocks[rid]])
                if left > 0:
                    trial.apply(Allocate(lid, rid, min(amount, left)))
        first = False
        for event in trial.pending:
            cid = default_choice(trial, event)
            if cid is not None:
                trial.apply(Choose(event, cid))
        outcome = trial.apply(EndTurn())
        if not outcome.ok or outcome.report is None:
            break  # cannot happen: every answerable event was answered
        for sid in outcome.report.withdrawn:
            if sid not in gone:
                gone.add(sid)
                leaving.append((sid, outcome.report.turn))
    return Course(
        ending=trial.ending,
        grade=trial.grade,
        score=trial.score,
        last_turn=trial.turn,
        finished_early=trial.ending is not None and trial.turn < trial.s.turns,
        leaving=tuple(leaving),
        repeats_last_turn=bool(plan) and not allocated_now,
    )


# Per game: the key of the plan it was worked out for, and the course.
_KEPT: weakref.WeakKeyDictionary[Game, tuple[Any, Course]] = weakref.WeakKeyDictionary()


def course(game: Game) -> Course | None:
    """The projection for the game as it stands (None once it is over), worked out once per
    turn, plan, strategies and answered events."""
    if game.finished:
        return None
    key = (decided(game), current_plan(game))
    kept = _KEPT.get(game)
    if kept is not None and kept[0] == key:
        return kept[1]
    found = rollout(game)
    _KEPT[game] = (key, found)
    return found


def decided(game: Game) -> tuple[Any, ...]:
    """What the decisions of the turn so far, allocations aside, have made of the game: a
    choice answers an event, a strategy starts or ends, a proposal is recorded, and each but
    a refused proposal writes to the ledger (allocations write to it only at the turn's end)."""
    b = game.board
    return (
        b.turn,
        b.finished,
        tuple(b.pending),
        len(b.ledger),
        len(b.proposals),
        game.state.active,
    )


def course_lines(game: Game, found: Course) -> list[str]:
    """'On current course: Consolidated, grade B (score 62.9) after Month 12', then walkouts."""
    s = game.s
    label = s.model.turn_label
    name = f"{label[:1].upper()}{label[1:]}"
    when = f"{name} {found.last_turn}"
    score = f"grade {found.grade} (score {number(found.score)})"
    if found.ending is not None:
        what = s.endings[found.ending].title
        end = f"ends in {when}" if found.finished_early else f"after {when}"
        head = f"{what}, {score}, {end}"
    else:
        head = f"{score} after {when}"
    plan = f" (last {label}'s allocation repeated)" if found.repeats_last_turn else ""
    out = [f"On current course{plan}: {head}"]
    for sid, turn in found.leaving:
        who = s.model.stakeholders[sid].name
        out.append(f"On current course, {who} walks out in {name} {turn}.")
    return out


# ---- thresholds within reach ----------------------------------------------------------------


def _env(values: Mapping[str, Any], history: dict[str, list[float]]) -> dict[str, Any]:
    env = dict(values)
    env[HISTORY] = history
    env[WARNINGS] = []
    return env


def _moves(game: Game, gauge: Any) -> float | None:
    """The largest one-turn move of a gauge over the finished turns (None: none yet)."""
    full = game.history()
    readings = []
    for k, report in enumerate(game.reports, start=1):
        env = _env(report.values, {m: h[:k] for m, h in full.items()})
        readings.append(float(gauge(env)))
    if len(readings) < 2:
        # One finished turn: its move is from the values it started with.
        if not readings:
            return None
        start = _env(game.plan.initial, {m: [] for m in full})
        readings.insert(0, float(gauge(start)))
    return max(abs(b - a) for a, b in pairwise(readings))


def alerts(game: Game) -> list[Alert]:
    """Every threshold within reach now (see the module's docstring), partners first."""
    if game.finished or not game.reports:
        return []
    s, state = game.s, game.state
    label = s.model.turn_label
    out: list[Alert] = []
    for sid, partner in s.model.stakeholders.items():
        below = partner.withdraws_below
        if below is None or sid in state.withdrawn:
            continue
        moves = [abs(r.trust_after[sid] - r.trust_before[sid]) for r in game.reports]
        reach = max(moves)
        gap = float(state.trust[sid]) - float(below)
        if reach > 0 and gap <= reach:
            out.append(
                Alert(
                    f"{partner.name} is near walking out: trust {number(state.trust[sid])}, "
                    f"walks out below {number(below)} ({number(gap)} away; its trust has moved "
                    f"up to {number(reach)} in a {label})",
                    partner=sid,
                )
            )
    env = game.environment()
    last = state.turn >= s.turns
    for eid, ending in s.endings.items():
        if ending.check == "at_end" and not last:
            continue
        parts = [c for c in clauses(s)[0] if c.item == f"endings.{eid}"]
        near = _near(game, parts, env)
        if near:
            grade = f" (grade {ending.grade})" if ending.grade else ""
            why = "; ".join(near)
            out.append(Alert(f"{ending.title}{grade} is within reach: {why}", ending=eid))
    return out


_ALERTS: weakref.WeakKeyDictionary[Game, tuple[Any, list[Alert]]] = weakref.WeakKeyDictionary()


def alerts_now(game: Game) -> list[Alert]:
    """`alerts`, worked out once per turn and decision (allocations change none of them)."""
    key = decided(game)
    kept = _ALERTS.get(game)
    if kept is None or kept[0] != key:
        kept = _ALERTS[game] = (key, alerts(game))
    return kept[1]


def _near(game: Game, parts: list[Clause], env: dict[str, Any]) -> list[str]:
    """The parts of a condition still to be met, each within reach, in words; [] when one is
    out of reach (or the condition cannot be read part by part, or holds already)."""
    if not parts:
        return []
    label = game.s.model.turn_label
    said = []
    for part in parts:
        if part.test(env):
            continue
        if part.gauge is None:
            return []
        gap = abs(float(part.gauge(env)))
        reach = _moves(game, part.gauge)
        if reach is None or reach <= 0 or gap > reach:
            return []
        said.append(
            f"{condition_text(game.s, part.text)} is {number(gap)} away (it has moved up to "
            f"{number(reach)} in a {label})"
        )
    return said
