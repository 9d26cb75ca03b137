"""The benchmark: a percentile among bot games played by a function the caller passes in."""

from __future__ import annotations

import pytest

from game.debrief import (
    benchmark_from_scores,
    bot_seeds,
    build_debrief,
    percentile,
    render_text,
    run_benchmark,
    to_json,
    with_benchmark,
)
from game.engine import EndTurn, Game
from game.scenario import Scenario, parse_scenario

TINY = """
format: accord/1
id: tiny_bench
title: Tiny bench
turns: 2
seed: 10
metrics:
  calm: {label: Calm, start: 50, headline: true}
endings:
  over: {check: at_end, when: "true", text: Over.}
scoring:
  score: "final(calm)"
"""


def test_percentile_counts_scores_below_and_half_the_ties() -> None:
    assert percentile(50, [10, 20, 50, 60]) == pytest.approx(62.5)  # (2 + 0.5) / 4
    assert percentile(5, [10, 20]) == 0 and percentile(99, [10, 20]) == 100
    assert percentile(50, []) == 50


def test_bot_games_start_at_the_trainee_seed() -> None:
    assert bot_seeds(7, 3) == (7, 8, 9) and bot_seeds(7, 0) == ()


def test_run_benchmark_plays_each_policy_on_each_seed_through_the_given_runner() -> None:
    """A fake runner: the bot's score is its seed minus 10 for 'random' and plus 0 for
    'greedy'. The trainee scores 50 with seed 10; runs 0..3 use seeds 10..13."""
    scenario = parse_scenario(TINY, "tiny.yaml")
    trainee = Game.new(scenario)
    while not trainee.finished:
        trainee.apply(EndTurn())
    assert trainee.score == 50
    calls: list[tuple[str, int]] = []
    progress: list[tuple[int, int]] = []

    def fake_play(s: Scenario, policy: str, seed: int) -> Game:
        calls.append((policy, seed))
        game = Game.new(s, seed)
        game.board.values["calm"] = {"random": 40.0, "greedy": 48.0}[policy] + (seed - 10) * 1.0
        return game

    bench = run_benchmark(trainee, fake_play, 4, progress=lambda d, t: progress.append((d, t)))
    assert calls == [("random", s) for s in (10, 11, 12, 13)] + [
        ("greedy", s) for s in (10, 11, 12, 13)
    ]
    assert progress[-1] == (8, 8) and len(progress) == 8
    random, greedy = bench.policies
    assert random.scores == (40, 41, 42, 43) and random.percentile == 100
    assert greedy.scores == (48, 49, 50, 51) and greedy.percentile == pytest.approx(62.5)
    assert bench.percentile == pytest.approx(100 * 6.5 / 8)
    review = with_benchmark(build_debrief(trainee), bench)
    assert to_json(review)["benchmark"]["percentile"] == pytest.approx(81.25)
    assert "81st percentile of 8 bot games" in render_text(review)


def test_benchmark_from_scores_pools_the_policies() -> None:
    bench = benchmark_from_scores(30, [1, 2], {"random": [10, 20], "greedy": [40, 50]})
    assert bench.percentile == 50 and [p.mean for p in bench.policies] == [15, 45]
