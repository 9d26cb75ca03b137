"""The trainee's decisions that moved the headline most, read from the ledger.

Every ledger line names its cause and the scenario line of the effect that made it. Each
effect of the scenario belongs to one part of the file: a line of effort (the trainee's
allocations), a strategy (activated, run, ended early), an event's choice, a negotiated
option or agreement, or the pressure and failure of a disagreement left unresolved. The
first four are decisions the trainee took; the last two are decisions not taken. Events,
rules and drift are circumstances and are left out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.engine import Game
from game.scenario.compiled import CEffect, Scenario
from game.scenario.models import Target

EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision (or one decision not taken) and what it did to the headline in all."""

    kind: str  # "allocation", "strategy", "choice", "agreement", "unresolved"
    what: str  # in the trainee's words: 'Allocating to Joint patrols'
    change: float  # its total effect on the headline over the game
    turns: tuple[int, ...]  # the turns in which it moved the headline, in order


def _sources(s: Scenario) -> dict[tuple[str, int], tuple[str, str]]:
    """(ledger cause, file line) of every effect that a decision makes -> (kind, words)."""
    out: dict[tuple[str, int], tuple[str, str]] = {}

    def add(effects: Iterable[CEffect], kind: str, what: str) -> None:
        for e in effects:
            out.setdefault((e.cause, e.line), (kind, what))

    for line in s.lines.values():
        add(line.effects, "allocation", f"Allocating to {line.label}")
    for st in s.strategies.values():
        add(st.on_activate, "strategy", f"Activating {st.label}")
        add(st.each_turn, "strategy", f"Running {st.label}")
        add(st.on_early_end, "strategy", f"Ending {st.label} before its minimum")
    for ev in s.events.values():
        for choice in ev.choices.values():
            add(choice.effects, "choice", f"Choosing “{choice.label}” in {ev.title}")
    for d in s.disagreements.values():
        labels = s.model.disagreements[d.id].issues
        for (issue, option), effects in d.outcomes.items():
            words = f"{labels[issue].label}: {labels[issue].options[option]}"
            add(effects, "agreement", f"Agreeing {words} in {d.label}")
        add(d.on_agree, "agreement", f"Reaching agreement on {d.label}")
        add(d.pressure, "unresolved", f"Leaving {d.label} unresolved")
        add(d.on_fail, "unresolved", f"Letting {d.label} fail")
    return out


def headline_decisions(game: Game) -> tuple[Decision, ...]:
    """Every decision that moved the headline, largest total effect first (the first in the
    game on a tie)."""
    s = game.s
    sources = _sources(s)
    totals: dict[tuple[str, str], float] = {}
    turns: dict[tuple[str, str], list[int]] = {}
    for report in game.reports:
        for change in report.changes_for(Target.METRIC, s.headline):
            found = sources.get((change.cause, change.line))
            if found is None:
                continue
            totals[found] = totals.get(found, 0.0) + change.amount
            seen = turns.setdefault(found, [])
            if not seen or seen[-1] != report.turn:
                seen.append(report.turn)
    order = {key: i for i, key in enumerate(totals)}
    out = [
        Decision(kind, what, total, tuple(turns[kind, what]))
        for (kind, what), total in totals.items()
        if abs(total) > EPSILON
    ]
    out.sort(key=lambda d: (-abs(d.change), order[d.kind, d.what]))
    return tuple(out)
