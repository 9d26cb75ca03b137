"""The deals bots propose: `agreeable` predicts the engine's answer without copying the game."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from game.engine import EndTurn, Game, Propose
from game.library import SHIPPED, load_scenario
from game.playtest.deals import agreeable, bought, options
from game.playtest.policies import RandomPolicy, play_game
from game.scenario import parse_scenario


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


CEASEFIRE = Path(__file__).parent / "fixtures" / "ceasefire_deal.yaml"


def test_bought_makes_a_refused_package_pass_and_the_engine_agrees() -> None:
    """`bought`: a package the militia refuses passes with the side payment it names, and the
    engine agrees to it; the greedy bot proposes it on the first turn."""
    s = load_scenario(CEASEFIRE)
    game = Game.new(s)
    assert agreeable(s, game, "ceasefire") is None
    proposal = bought(s, game, "ceasefire")
    assert proposal is not None and proposal.payments == {"militia": {"funding": 7}}
    assert game.copy().apply(proposal).proposal.agreed  # type: ignore[union-attr]
    fewer = Propose(proposal.disagreement, proposal.package, (("militia", (("funding", 6),)),))
    assert not game.copy().apply(fewer).proposal.agreed  # type: ignore[union-attr]
    played = play_game(s, "greedy", 0)
    first = played.reports[0]
    assert first.agreed == ("ceasefire",)
    assert first.proposals[-1].transfers == (("militia", (("funding", 7),)),)


GREEDY_KEEPS = {
    "metrics": {
        "gain": {"label": "Gain", "start": 0, "max": 1000, "headline": True},
        "security": {"label": "Security", "start": 50},
    },
    "resources": {"funding": {"label": "Funding", "per_turn": 20}},
    "stakeholders": {
        "un": {"name": "UN", "kind": "international_org", "trust": 50},
        "au": {"name": "AU", "kind": "regional_org", "trust": 50},
    },
    "lines_of_effort": {
        "exploit": {
            "label": "Exploit",
            "accepts": ["funding"],
            "effects": [
                {"metric": "gain", "add": "alloc.exploit.funding"},
                {"metric": "security", "add": "-alloc.exploit.funding"},
            ],
        },
        "steady": {
            "label": "Steady",
            "accepts": ["funding"],
            "effects": [{"metric": "gain", "add": "alloc.steady.funding / 2"}],
        },
    },
    "disagreements": {
        "pact": {
            "label": "Pact",
            "parties": ["un", "au"],
            "deadline": 3,
            "holds_while": "security >= 40",
            "issues": {"x": {"label": "X", "options": {"a": "A", "b": "B"}}},
            "preferences": {
                p: {"weights": {"x": 1}, "values": {"x": {"a": 1, "b": 0}}, "reservation": 0}
                for p in ("un", "au")
            },
        }
    },
    "endings": {"done": {"check": "at_end", "when": "true"}},
    "scoring": {"score": "final(gain) / 10"},
}


def test_greedy_keeps_an_agreement_alive() -> None:
    """Among its candidate turns, greedy ranks one that breaks an agreement below any that
    keeps them all, even when breaking pays more this turn."""
    s = parse_scenario(yaml.safe_dump({"format": "accord/1", "id": "keep", "title": "Keep",
                                       "turns": 4, **GREEDY_KEEPS}), "keep.yaml")  # fmt: skip
    for seed in range(4):
        game = play_game(s, "greedy", seed)
        assert game.reports[0].agreed == ("pact",)
        assert all(r.breaches == () for r in game.reports)
        assert game.value("agreed.pact")
    # Without the agreement, the same bot spends on Exploit (it pays more).
    free = parse_scenario(yaml.safe_dump({"format": "accord/1", "id": "keep", "title": "Keep",
                                          "turns": 4, **GREEDY_KEEPS,
                                          "disagreements": {}}), "keep.yaml")  # fmt: skip
    spent = play_game(free, "greedy", 0)
    assert spent.value("security") < 40
