"""The deals bots propose: `agreeable` predicts the engine's answer without copying the game."""

from __future__ import annotations

import random

from game.engine import EndTurn, Game
from game.library import SHIPPED, load_scenario
from game.playtest.deals import agreeable, options
from game.playtest.policies import RandomPolicy


def test_agreeable_matches_the_engine_on_every_shipped_scenario() -> None:
    predicted = 0
    for path in sorted(SHIPPED.glob("*.yaml")):
        s = load_scenario(path)
        bot = RandomPolicy(s)
        for seed in range(8):
            game = Game.new(s, seed)
            rng = random.Random(seed)
            while not game.finished:
                for did in s.disagreements:
                    if not game.values[f"open.{did}"]:
                        continue
                    found = agreeable(s, game, did)
                    agreed = [
                        p
                        for p in options(s, did).proposals
                        if game.copy().apply(p).proposal.agreed  # type: ignore[union-attr]
                    ]
                    if found is None:
                        assert agreed == []
                    else:
                        predicted += 1
                        assert found == agreed[0]  # the best joint utility comes first
                bot.play_turn(game, rng)
                game.apply(EndTurn())
    assert predicted > 0
