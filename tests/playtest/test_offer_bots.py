"""Bots read offers: the random bot sometimes adopts one, the greedy bot proposes an offer the
parties would agree to when the packages it weighs hold none (a disagreement too large)."""

from __future__ import annotations

import random

from game.engine import Choose, EndTurn, Game
from game.library import SHIPPED, load_scenario
from game.playtest.deals import agreeable, offered
from game.playtest.policies import GreedyPolicy, RandomPolicy, play_game
from tests.test_bounded_work import compiled, wide


class Adopter(RandomPolicy):
    """The random bot, adopting an offer whenever it proposes and one is on the table."""

    adopt_share = 1.0


def test_the_random_bot_adopts_offers_as_they_stand_and_stays_deterministic() -> None:
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    bot = Adopter(scenario)
    adopted = 0
    for seed in range(6):
        game = Game.new(scenario, seed)
        rng = random.Random(seed)
        while not game.finished:
            offers = {did: set(game.offers(did).values()) - {()} for did in scenario.disagreements}
            made = len(game.proposals_now)
            bot.play_turn(game, rng)
            for record in game.proposals_now[made:]:
                if offers[record.disagreement]:
                    assert record.package in offers[record.disagreement]
                    adopted += 1
            game.apply(EndTurn())
    assert adopted > 0
    first, again = play_game(scenario, "random", 3), play_game(scenario, "random", 3)
    assert first.actions == again.actions


def test_offered_finds_an_offer_the_engine_agrees_to_where_the_weighed_packages_fail() -> None:
    """On 6 × 2^20 packages the bots weigh a few thousand and find no agreement; a party's
    offer (searched over all of them) is agreed by the engine."""
    scenario = compiled(wide(20))
    game = Game.new(scenario)
    found = None
    while not game.finished and found is None:
        for event in game.state.pending:
            for choice in scenario.events[event].choices:
                if game.apply(Choose(event, choice)).ok:
                    break
        if game.values["open.patrol_plan"]:
            assert agreeable(scenario, game, "patrol_plan") is None
            found = offered(scenario, game, "patrol_plan")
        if found is None:
            game.apply(EndTurn())
    assert found is not None
    outcome = game.copy().apply(found)
    assert outcome.proposal is not None and outcome.proposal.agreed
    assert found.package in game.offers("patrol_plan").values()
    greedy = GreedyPolicy(scenario)
    assert found in greedy.deals(game)
