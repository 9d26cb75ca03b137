"""The bots: deterministic given their seed, legal, shaped as their names say."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine import Activate, Allocate, EndStrategy, Game, Propose
from game.playtest import PolicyError, make_policy, play_game, policy_names, run_batch
from game.scenario import Scenario


@pytest.mark.parametrize("name", ["random", "greedy", "fixed:first-choice", "fixed:line=patrol"])
def test_a_policy_replays_the_same_game_from_the_same_seed(tiny: Scenario, name: str) -> None:
    first = play_game(tiny, name, 5)
    again = play_game(tiny, make_policy(name, tiny), 5)
    assert first.finished and first.actions == again.actions
    assert first.score == again.score


def test_every_built_in_policy_finishes_every_game(tiny: Scenario) -> None:
    for name in policy_names(tiny):
        for seed in range(3):
            game = play_game(tiny, name, seed)
            assert game.finished, name
            assert game.turn == 3


def test_policy_names_cover_lines_and_strategies(tiny: Scenario) -> None:
    names = policy_names(tiny)
    assert names[:2] == ["random", "greedy"]
    assert "fixed:line=patrol" in names
    assert {"fixed:strategy=pact", "fixed:strategy=dream"} <= set(names)
    assert "fixed:first-choice" in names and "fixed:idle" in names


def test_random_allocates_most_of_its_stock(lopsided: Scenario) -> None:
    """Each turn the random policy puts at least half of each resource into lines."""
    policy = make_policy("random", lopsided)
    for seed in range(20):
        game = Game.new(lopsided, seed)
        stock = game.value("res.effort")
        policy.play_turn(game, random.Random(seed))
        placed = game.value("alloc.good.effort") + game.value("alloc.bad.effort")
        assert stock / 2 <= placed <= stock


def test_a_fixed_line_puts_everything_it_takes_into_that_line(lopsided: Scenario) -> None:
    game = play_game(lopsided, "fixed:line=good", 1)
    allocations = [a for a in game.actions if isinstance(a, Allocate)]
    assert allocations and all(a.line == "good" for a in allocations)
    assert [r.values["alloc.good.effort"] for r in game.reports] == [4, 4, 4, 4]


def test_a_fixed_strategy_is_the_only_one_activated(tiny: Scenario) -> None:
    game = play_game(tiny, "fixed:strategy=pact", 2)
    assert [a for a in game.actions if isinstance(a, Activate)] == [Activate("pact")]
    assert not any(isinstance(a, EndStrategy) for a in game.actions)


def test_first_choice_always_proposes_the_first_options(tiny: Scenario) -> None:
    game = play_game(tiny, "fixed:first-choice", 3)
    proposals = [a for a in game.actions if isinstance(a, Propose)]
    assert proposals and all(dict(p.package)["terms"] in ("x", "a") for p in proposals)


def test_idle_takes_only_forced_decisions(tiny: Scenario) -> None:
    game = play_game(tiny, "fixed:idle", 1)
    kinds = {type(a).__name__ for a in game.actions}
    assert kinds == {"Choose", "EndTurn"}


def test_unknown_policies_are_refused_in_one_sentence(tiny: Scenario) -> None:
    for name in ("clever", "fixed:line=nowhere", "fixed:strategy=nothing", "fixed:whatever"):
        with pytest.raises(PolicyError) as info:
            make_policy(name, tiny)
        assert "\n" not in str(info.value)


PLUGIN = '''
import random

from game.engine import Allocate


class AllIn:
    """Everything into the first line that takes each resource."""

    def __init__(self, scenario):
        self.scenario = scenario

    def play_turn(self, game, rng):
        for rid in self.scenario.model.resources:
            left = int(game.value(f"res.{rid}"))
            for lid, line in self.scenario.lines.items():
                if rid in line.accepts and left > 0:
                    game.apply(Allocate(lid, rid, left))
                    break


class Broken:
    name = "broken"

    def play_turn(self, game, rng):
        raise RuntimeError("out of ideas")
'''


@pytest.fixture()
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    (tmp_path / "my_bots.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "my_bots"
    sys.modules.pop("my_bots", None)


def test_a_policy_can_be_plugged_in_from_a_module(lopsided: Scenario, plugin: str) -> None:
    policy = make_policy(f"{plugin}:AllIn", lopsided)
    assert policy.name == f"{plugin}:AllIn"
    game = play_game(lopsided, policy, 1)
    assert game.finished and game.ending == "won"
    data = run_batch(lopsided, f"{plugin}:AllIn", 3, 1, 1)
    assert data["endings"]["won"] == 3


def test_a_failing_plugged_in_policy_is_reported_with_its_run(
    lopsided: Scenario, plugin: str
) -> None:
    from game.playtest import PlaytestError

    with pytest.raises(PlaytestError, match=r"run 0 \(seed 4\): RuntimeError: out of ideas"):
        run_batch(lopsided, f"{plugin}:Broken", 2, 4, 1)


def test_a_missing_class_is_refused(lopsided: Scenario, plugin: str) -> None:
    with pytest.raises(PolicyError, match="has no 'Nobody'"):
        make_policy(f"{plugin}:Nobody", lopsided)
