"""Every shipped scenario, played by the random bot: the review holds together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.debrief import build_debrief, render_markdown, render_text, to_json
from game.library import SHIPPED, load_scenario
from game.playtest.policies import play_game

SCENARIOS = sorted(SHIPPED.glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_review_of_a_random_game_is_consistent(path: Path) -> None:
    game = play_game(load_scenario(path), "random", 5)
    review = build_debrief(game)
    for turn in review.timeline:
        for move in turn.moves:  # the causes account for every move, to the last decimal
            assert sum(c.change for c in move.causes) == pytest.approx(move.change, abs=1e-6)
    for sid, active_turns in game.state.active.items():
        (run,) = [r for r in review.strategies if r.strategy == sid and r.ended_turn is None]
        assert run.turns == active_turns
    assert review.outcome.score == game.score and review.outcome.grade == game.grade
    if review.outcome.terms:
        total = sum(t.value for t in review.outcome.terms)
        assert total == pytest.approx(review.outcome.raw_score)
    json.dumps(to_json(review))
    assert max(len(line) for line in render_text(review).splitlines()) <= 100
    assert render_markdown(review).startswith("# After-action review")
