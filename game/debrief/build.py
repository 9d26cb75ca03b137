"""Building the after-action review from a game: intent, outcome, timeline, findings."""

from __future__ import annotations

import ast
import math

from game.debrief.conditions import condition_text
from game.debrief.findings import findings
from game.debrief.ledger import (
    metric_series,
    partnerships,
    strategy_runs,
    turn_moves,
    turning_points,
)
from game.debrief.model import (
    Benchmark,
    Debrief,
    Goal,
    Intent,
    Outcome,
    ScoreTerm,
    StrategyUse,
    TurnSummary,
)
from game.debrief.negotiations import review_negotiations
from game.engine import Game, TurnReport
from game.numbers import number
from game.safe_text import printable
from game.scenario.compiled import Scenario
from game.scenario.expr import ExprError, ExprType, compile_expr, parse_quietly


def build_debrief(
    game: Game,
    *,
    player: str | None = None,
    benchmark: Benchmark | None = None,
    turning_point_count: int = 3,
) -> Debrief:
    """The after-action review of `game` (finished or not; an unfinished game gets an interim
    review). Pure: reads the game and replays its action log on a fresh copy, nothing else."""
    s = game.s
    runs = strategy_runs(game)
    metrics = metric_series(game)
    partners = partnerships(game, runs)
    negotiations = review_negotiations(game)
    points = turning_points(game, s.headline, turning_point_count)
    timeline = tuple(_turn_summary(game, report, runs) for report in game.reports)
    sustain, improve = findings(game, partners, runs, negotiations)
    return Debrief(
        scenario=s.id,
        title=s.title,
        turn_label=s.model.turn_label,
        seed=game.seed,
        player=printable(player) if player else player,  # a save's text may hold controls
        turns_played=len(game.reports),
        turns_total=s.turns,
        headline=s.headline,
        labels=_labels(s),
        intent=_intent(game),
        outcome=outcome(game),
        metrics=metrics,
        timeline=timeline,
        turning_points=points,
        partnerships=partners,
        strategies=runs,
        negotiations=negotiations,
        # The lessons judge a whole game: an unfinished one gets none.
        lessons=tuple(game.lessons()) if game.finished else (),
        sustain=sustain,
        improve=improve,
        benchmark=benchmark if game.finished else None,
        turn=game.turn,
    )


def ending_title(s: Scenario, ending: str) -> str:
    title = s.endings[ending].title
    return title or ending.replace("_", " ").capitalize()


def _intent(game: Game) -> Intent:
    s = game.s
    aim, avoid = [], []
    for eid, ending in s.endings.items():
        source = str(s.model.endings[eid].when)
        goal = Goal(eid, ending_title(s, eid), ending.check, source, ending.grade,
                    game.ending == eid, condition_text(s, source))  # fmt: skip
        if ending.check == "each_turn":
            avoid.append(goal)
        elif not (ending.when.is_constant and ending.when.constant is True):
            aim.append(goal)
    return Intent(s.model.summary, tuple(aim), tuple(avoid))


def _split_sum(node: ast.expr, sign: int = 1) -> list[tuple[ast.expr, int]]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        right = sign if isinstance(node.op, ast.Add) else -sign
        return _split_sum(node.left, sign) + _split_sum(node.right, right)
    return [(node, sign)]


def score_terms(game: Game) -> tuple[ScoreTerm, ...]:
    """The score expression's added parts, each with its value now (empty when not a sum)."""
    s = game.s
    source = s.score.source
    try:
        tree = parse_quietly(source.replace("\n", " ").strip()).body
    except SyntaxError:
        return ()
    parts = _split_sum(tree)
    if len(parts) < 2:
        return ()
    history = frozenset(s.model.metrics)
    terms = []
    for node, sign in parts:
        text = ast.unparse(node)
        try:
            term = compile_expr(text, s.names, want=ExprType.NUM, history_metrics=history)
        except ExprError:
            return ()
        minus = "- " if sign < 0 else ""
        value = sign * float(game.evaluate(term))
        terms.append(ScoreTerm(minus + text, value, minus + condition_text(s, text)))
    return tuple(terms)


def outcome(game: Game) -> Outcome:
    """How the game ended, and how its score and grade were computed."""
    s = game.s
    raw = float(game.evaluate(s.score))
    score = game.score
    score_grade = next((g for g, floor in s.grades if score >= floor), "F")
    ending = game.ending
    ending_grade = s.endings[ending].grade if ending is not None and game.finished else None
    return Outcome(
        finished=game.finished,
        ending=ending,
        ending_title=ending_title(s, ending) if ending else "",
        ending_text=s.endings[ending].text if ending else "",
        score=score,
        raw_score=raw if math.isfinite(raw) else 0.0,
        expression=s.score.source,
        terms=score_terms(game),
        grades=s.grades,
        score_grade=score_grade,
        ending_grade=ending_grade,
        grade=game.grade,
        expression_text=condition_text(s, " ".join(s.score.source.split())),
    )


def _labels(s: Scenario) -> tuple[tuple[str, str], ...]:
    m = s.model
    out: dict[str, str] = {}
    out.update({f"metric:{k}": v.label for k, v in m.metrics.items()})
    out.update({f"party:{k}": v.name for k, v in m.stakeholders.items()})
    out.update({f"resource:{k}": v.label for k, v in m.resources.items()})
    out.update({f"strategy:{k}": v.label for k, v in m.strategies.items()})
    out.update({f"event:{k}": v.title for k, v in m.events.items()})
    for did, d in m.disagreements.items():
        out[f"disagreement:{did}"] = d.label
        for iid, issue in d.issues.items():
            out[f"issue:{did}.{iid}"] = issue.label
            out.update({f"option:{did}.{iid}.{o}": text for o, text in issue.options.items()})
    return tuple(out.items())


def package_text(s: Scenario, did: str, package: tuple[tuple[str, str], ...]) -> str:
    issues = s.model.disagreements[did].issues
    return "; ".join(f"{issues[i].label}: {issues[i].options[o]}" for i, o in package)


def _turn_summary(game: Game, report: TurnReport, runs: tuple[StrategyUse, ...]) -> TurnSummary:
    s, m = game.s, game.s.model
    t = report.turn
    proposals = []
    for record in report.proposals:
        d = s.disagreements[record.disagreement]
        refused = [m.stakeholders[a.party].name for a in record.answers if not a.accepts]
        verdict = "agreed" if record.agreed else "refused by " + ", ".join(refused)
        if not record.agreed and not refused:
            verdict = "not enough parties"
        proposals.append(f"{d.label}: {package_text(s, d.id, record.package)} ({verdict})")
    stopped = [f"{run.label} ({run.ended})" for run in runs if run.ended_turn == t]
    return TurnSummary(
        turn=t,
        moves=turn_moves(report),
        events=tuple(s.events[e].title for e in report.events),
        choices=tuple(
            f"{s.events[e].title}: {s.events[e].choices[c].label}" for e, c in report.choices
        ),
        proposals=tuple(proposals),
        agreed=tuple(s.disagreements[d].label for d in report.agreed),
        failed=tuple(s.disagreements[d].label for d in report.failed),
        withdrawn=tuple(m.stakeholders[p].name for p in report.withdrawn),
        started=tuple(run.label for run in runs if run.started == t),
        stopped=tuple(stopped),
        warnings=report.warnings,
        trust=_trust_moves(game, report),
    )


def _trust_moves(game: Game, report: TurnReport) -> tuple[str, ...]:
    """Each partner whose trust moved in the turn: "Name 60 → 100" (the partnerships'
    section gives the reasons)."""
    k = len(report.watched.metrics)
    out = []
    for i, party in enumerate(report.watched.stakeholders, start=k):
        before, after = report.before[i], report.after[i]
        if round(before, 1) != round(after, 1):
            name = game.s.model.stakeholders[party].name
            out.append(f"{name} {number(before)} → {number(after)}")
    return tuple(out)
