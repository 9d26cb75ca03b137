"""`Game.look_ahead`: a copy of the game with a candidate turn taken and resolved, the next turn
not begun. What the greedy bot weighs its candidates by: it must read as the real game reads at
the end of that turn, leave the game alone, and take no further action."""

from __future__ import annotations

import random

import pytest

from game.engine import Allocate, Choose, EndTurn, Game
from game.library import SHIPPED, load_scenario
from game.playtest.policies import RandomPolicy


def _under_way(seed: int) -> tuple[Game, list]:
    """A hybrid_mandate game some turns in, and the actions a random bot takes next turn."""
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    game, bot, rng = Game.new(scenario, seed), RandomPolicy(scenario), random.Random(seed)
    for _ in range(seed % 5 + 2):
        bot.play_turn(game, rng)
        assert game.apply(EndTurn()).ok
    played = game.copy()
    bot.play_turn(played, rng)
    return game, list(played.actions[len(game.actions) :])


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 6])
def test_a_look_ahead_reads_as_the_game_does_at_the_end_of_that_turn(seed):
    game, turn = _under_way(seed)
    before = (game.turn, len(game.actions), dict(game.values), game.changes_now)
    ahead = game.look_ahead(turn)
    assert (game.turn, len(game.actions), dict(game.values), game.changes_now) == before

    real = game.copy()
    for action in turn:
        assert real.apply(action).ok
    report = real.apply(EndTurn()).report
    assert report is not None
    # The same turn report (the ledger, readings, proposals, breaches, values at the end of
    # resolution) and the same score, grade and ending; the next turn has not begun.
    assert ahead.reports == real.reports
    assert ahead.reports[-1] == report
    assert dict(ahead.values) == dict(report.values) | {"__warn__": ahead.values["__warn__"]}
    assert (ahead.score, ahead.grade, ahead.ending, ahead.finished) == (
        real.score,
        real.grade,
        real.ending,
        real.finished,
    )
    assert ahead.turn == game.turn and ahead.actions == (*game.actions, *turn, EndTurn())


def test_a_look_ahead_takes_no_action():
    game, turn = _under_way(1)
    ahead = game.look_ahead(turn)
    assert ahead.legal_actions() == []
    for action in (EndTurn(), Allocate("security_ops", "troops", 1)):
        outcome = ahead.apply(action)
        assert not outcome.ok
        assert "look-ahead" in outcome.reason
    assert ahead.reports == game.look_ahead(turn).reports  # nothing moved


def test_a_turn_that_cannot_end_is_left_as_the_actions_left_it(make):
    """An event still waiting for its answer: the copy is not resolved, and can go on."""
    scenario = make(
        events={
            "storm": {
                "title": "A storm",
                "text": "Roads close.",
                "turn": 1,
                "choices": {
                    "wait": {"label": "Wait", "effects": [{"metric": "support", "add": -1}]},
                },
            }
        }
    )
    game = Game.new(scenario, 1)
    assert game.pending == ("storm",)
    ahead = game.look_ahead([Allocate("security", "funding", 10)])
    assert ahead.reports == () and ahead.pending == ("storm",)
    assert ahead.apply(Choose("storm", "wait")).ok and ahead.apply(EndTurn()).ok
    assert game.pending == ("storm",) and game.values["res.funding"] == 30
