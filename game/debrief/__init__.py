"""The after-action review of a game: pure functions over a Game, and its renderers.

    debrief = build_debrief(game, player="Amina")
    debrief = with_benchmark(debrief, run_benchmark(game, play_game, runs=20))
    render_text(debrief); render_markdown(debrief); to_json(debrief)

Nothing here reads files, the clock or the terminal; bot games for the benchmark are played
by the function the caller passes in.
"""

from __future__ import annotations

import dataclasses

from game.debrief.benchmark import (
    BENCHMARK_GAMES,
    BOT_POLICIES,
    PlayGame,
    Progress,
    benchmark_from_scores,
    bot_benchmark,
    bot_seeds,
    percentile,
    run_benchmark,
)
from game.debrief.build import build_debrief, outcome, score_terms
from game.debrief.decisions import Decision, headline_decisions
from game.debrief.export import to_json
from game.debrief.ledger import group_causes, strategy_runs, turn_moves, turning_points
from game.debrief.model import (
    Benchmark,
    Cause,
    Debrief,
    Goal,
    Intent,
    Judgement,
    MetricSeries,
    Move,
    NegotiationReview,
    Outcome,
    Partnership,
    PartyMoment,
    PartyStake,
    PolicyScores,
    ProposalView,
    ScoreTerm,
    StrategyUse,
    TurnSummary,
)
from game.debrief.negotiations import nash_product, review_negotiation, review_negotiations
from game.debrief.render import BENCHMARK_HEADING, render_text
from game.debrief.render_md import render_markdown
from game.debrief.words import benchmark_notice


def with_benchmark(debrief: Debrief, benchmark: Benchmark | None) -> Debrief:
    """The same review with a benchmark added (or removed), e.g. once bot games are done."""
    return dataclasses.replace(debrief, benchmark=benchmark)


__all__ = [
    "BENCHMARK_GAMES",
    "BENCHMARK_HEADING",
    "BOT_POLICIES",
    "Benchmark",
    "Cause",
    "Debrief",
    "Decision",
    "Goal",
    "Intent",
    "Judgement",
    "MetricSeries",
    "Move",
    "NegotiationReview",
    "Outcome",
    "Partnership",
    "PartyMoment",
    "PartyStake",
    "PlayGame",
    "PolicyScores",
    "Progress",
    "ProposalView",
    "ScoreTerm",
    "StrategyUse",
    "TurnSummary",
    "benchmark_from_scores",
    "benchmark_notice",
    "bot_benchmark",
    "bot_seeds",
    "build_debrief",
    "group_causes",
    "headline_decisions",
    "nash_product",
    "outcome",
    "percentile",
    "render_markdown",
    "render_text",
    "review_negotiation",
    "review_negotiations",
    "run_benchmark",
    "score_terms",
    "strategy_runs",
    "to_json",
    "turn_moves",
    "turning_points",
    "with_benchmark",
]
