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


@pytest.mark.parametrize("seed", [1, 3, 6])
def test_taking_a_look_ahead_is_playing_its_turn(seed):
    """`take` makes the game what taking the actions and ending the turn would: the same
    reports, state, action log and generator, and the next turn begun; the look-ahead itself is
    left as it was."""
    game, turn = _under_way(seed)
    real = game.copy()
    for action in turn:
        assert real.apply(action).ok
    report = real.apply(EndTurn()).report
    ahead = game.look_ahead(turn)
    kept = ahead.reports
    assert game.take(ahead) == report
    assert (game.turn, game.actions, game.reports) == (real.turn, real.actions, real.reports)
    assert game.state.to_json() == real.state.to_json()
    assert game.board.rng.getstate() == real.board.rng.getstate()
    assert not game.looked_ahead and ahead.looked_ahead and ahead.reports == kept
    # Both go on alike.
    bot = RandomPolicy(game.s)
    for g in (game, real):
        bot.play_turn(g, random.Random(9))
        assert g.apply(EndTurn()).ok
    assert game.state.to_json() == real.state.to_json()


def test_take_refuses_what_is_not_a_look_ahead_of_this_game():
    game, turn = _under_way(2)
    other, _ = _under_way(4)
    with pytest.raises(ValueError, match="look-ahead of this game"):
        game.take(game.copy())  # a copy, not a look-ahead
    with pytest.raises(ValueError, match="look-ahead of this game"):
        game.take(other.look_ahead([]))  # another game's
    stale = game.look_ahead(turn)
    game.take(game.look_ahead(turn))  # the game moved on
    with pytest.raises(ValueError, match="look-ahead of this game"):
        game.take(stale)
