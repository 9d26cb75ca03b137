"""Sustain and improve: the after-action review's findings, each traced to the record."""

from __future__ import annotations

from game.debrief.decisions import headline_decisions
from game.debrief.model import (
    NegotiationReview,
    Partnership,
    StrategyUse,
)
from game.engine import Game
from game.numbers import number

NOTABLE_METRIC = 1.0  # over a whole game, smaller moves are not worth a finding
NOTABLE_TRUST = 5.0
MOST_DECISIONS = 3  # decisions named each way


def _when(game: Game, turn: int) -> str:
    return f"{game.s.model.turn_label} {turn}"


def _package(game: Game, n: NegotiationReview, package: tuple[tuple[str, str], ...]) -> str:
    issues = game.s.model.disagreements[n.id].issues
    return "; ".join(f"{issues[i].label}: {issues[i].options[o]}" for i, o in package)


def turn_span(unit: str, turns: tuple[int, ...]) -> str:
    """'Month 3', 'months 2–4', 'months 1–3, 5 and 7' (turns in order)."""
    runs: list[list[int]] = []
    for t in turns:
        if runs and t == runs[-1][-1] + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    if len(turns) == 1:
        return f"{unit} {parts[0]}"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{unit}s {listed}"


def _decision_findings(game: Game) -> tuple[list[str], list[str]]:
    """The decisions that moved the headline most, each way (from the ledger's causes)."""
    s = game.s
    label = s.model.metrics[s.headline].label
    unit = s.model.turn_label
    sustain: list[str] = []
    improve: list[str] = []
    for d in headline_decisions(game):
        if abs(d.change) < NOTABLE_METRIC:
            continue
        span = turn_span(unit, d.turns)
        if d.change > 0 and len(sustain) < MOST_DECISIONS:
            sustain.append(f"{d.what} raised {label} by {number(d.change)} in all ({span}).")
        elif d.change < 0 and len(improve) < MOST_DECISIONS:
            verb = "cost" if d.kind == "unresolved" else "lowered"
            by = "" if verb == "cost" else " by"
            improve.append(f"{d.what} {verb} {label}{by} {number(-d.change)} in all ({span}).")
    return sustain, improve


def _negotiation_findings(game: Game, n: NegotiationReview) -> tuple[list[str], list[str]]:
    if n.agreed and n.agreed_turn is not None:
        when = _when(game, n.agreed_turn)
        if n.better_package is None:
            return [
                f"{n.label} was agreed in {when}, and no package was better for every party."
            ], []
        better = _package(game, n, n.better_package)
        return [f"{n.label} was agreed in {when}."], [
            f"{n.label}: a package better for every party existed ({better})."
        ]
    if n.status == "failed":
        if n.better_package is not None:
            nash = _package(game, n, n.better_package)
            return [], [f"{n.label} failed, though every party could have accepted {nash}."]
        return [], [f"{n.label} failed; no package cleared every party's reservation."]
    if n.status == "open" and game.finished:
        return [], [f"{n.label} was still open when the mission ended."]
    if n.status == "broken" and n.breaches:
        return [], [f"{n.label} was agreed, then broke in {_when(game, n.breaches[-1].turn)}."]
    return [], []


def _partner_findings(game: Game, partners: tuple[Partnership, ...]) -> tuple[list[str], list[str]]:
    sustain, improve = [], []
    for p in partners:
        if p.withdrawn_turn is not None:
            improve.append(f"{p.name} withdrew in {_when(game, p.withdrawn_turn)}.")
        elif p.trust and p.final - p.start >= NOTABLE_TRUST:
            sustain.append(f"Trust with {p.name} grew from {number(p.start)} to {number(p.final)}.")
        elif p.trust and p.start - p.final >= NOTABLE_TRUST:
            improve.append(f"Trust with {p.name} fell from {number(p.start)} to {number(p.final)}.")
    return sustain, improve


def _strategy_findings(game: Game, runs: tuple[StrategyUse, ...]) -> tuple[list[str], list[str]]:
    sustain, improve = [], []
    unit = game.s.model.turn_label
    for run in runs:
        if run.early:
            ran = "before it took effect" if run.last is None else f"after {run.turns} {unit}"
            plural = "" if run.turns == 1 or run.last is None else "s"
            improve.append(
                f"{run.label} ended {ran}{plural}, short of its minimum of {run.min_turns} "
                f"(in {_when(game, run.ended_turn or run.started)})."
            )
        elif run.turns >= max(2, run.min_turns):
            sustain.append(f"{run.label} ran for {run.turns} {unit}s.")
    if not runs and game.s.strategies:
        improve.append("No collaboration strategy was used.")
    return sustain, improve


def findings(
    game: Game,
    partners: tuple[Partnership, ...],
    runs: tuple[StrategyUse, ...],
    negotiations: tuple[NegotiationReview, ...],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What to sustain and what to improve: first the decisions that moved the headline most
    (from the ledger), then negotiations, partners and strategies, each sentence traceable to
    a section of the review."""
    sustain, improve = _decision_findings(game)
    for n in negotiations:
        more_sustain, more_improve = _negotiation_findings(game, n)
        sustain += more_sustain
        improve += more_improve
    for more in (_partner_findings(game, partners), _strategy_findings(game, runs)):
        sustain += more[0]
        improve += more[1]
    return tuple(sustain), tuple(improve)
