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


def test_refused_takes_one_key_or_a_list_of_keys(tiny: Scenario) -> None:
    """`refused: activate` expects the activation to be refused, like `refused: [activate]`;
    anything else says what refused must be (never a traceback)."""
    one = "scenario: tiny\nturns:\n  - activate: nosuch\n    refused: activate\n"
    assert run(one + "    choose: {opening: go}\n", tiny) == []
    for wrong in ("5", "[[activate]]"):
        text = f"scenario: tiny\nturns:\n  - refused: {wrong}\n"
        assert run(text, tiny) == [
            "s.play.yaml:3: turn 1: refused must be an action key (allocate, end, activate, "
            "propose, choose) or a list of them"
        ]


def test_a_grade_expectation_names_one_grade(tiny: Scenario) -> None:
    for wrong in (">=", "> ", ">= DC", "CB", ">= FDCBA"):
        text = (
            f"scenario: tiny\nturns:\n  - choose: {{opening: go}}\nexpect: {{grade: '{wrong}'}}\n"
        )
        failures = run(text, tiny)
        assert len(failures) == 1 and "is not a grade: use A, B, C, D or F" in failures[0], wrong
