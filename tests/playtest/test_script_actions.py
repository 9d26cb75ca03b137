"""Playthrough scripts: how a turn's actions may be written, and what a wrong one says."""

from __future__ import annotations

from game.playtest.script import read_script, run_script
from game.scenario import Scenario


def run(text: str, scenario: Scenario) -> list[str]:
    return run_script(read_script(text, "s.play.yaml"), lambda _name: scenario).failures


def test_one_strategy_id_alone_is_a_list_of_one(tiny: Scenario) -> None:
    """`activate: pact` means `activate: [pact]`; an unknown id is one refusal, not one per
    letter."""
    failures = run(
        "scenario: tiny\nturns:\n  - activate: nosuch\n    choose: {opening: go}\n", tiny
    )
    assert failures == ["s.play.yaml:3: turn 1: refused: There is no strategy 'nosuch'."]


def test_a_list_of_something_else_says_what_it_must_be(tiny: Scenario) -> None:
    failures = run("scenario: tiny\nturns:\n  - end: [1, 2]\n", tiny)
    assert failures == ["s.play.yaml:3: turn 1: end must be a strategy id or a list of them"]
