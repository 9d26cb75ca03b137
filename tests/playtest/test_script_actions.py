"""Playthrough scripts: how a turn's actions may be written, and what a wrong one says."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.playtest.script import ScriptError, read_script, run_script
from game.scenario import Scenario, parse_scenario

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"


def run(text: str, scenario: Scenario) -> list[str]:
    return run_script(read_script(text, "s.play.yaml"), lambda _name: scenario).failures


def test_one_strategy_id_alone_is_a_list_of_one(tiny: Scenario) -> None:
    """`activate: pact` means `activate: [pact]`; an unknown id is one refusal, not one per
    letter."""
    failures = run(
        "scenario: tiny\nturns:\n  - activate: nosuch\n    choose: {opening: go}\n", tiny
    )
    assert failures == ["s.play.yaml:3: turn 1: unknown strategy 'nosuch'"]


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


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    return parse_scenario(TUTORIAL.read_text(), "tutorial.yaml")


def test_every_misspelt_id_of_a_script_is_reported_at_once_with_a_guess(
    tutorial: Scenario,
) -> None:
    """A wrong id in any action, and the expectations' wrong names, all in one run, in line
    order, each with "did you mean"; the game is not played on a script that cannot be."""
    text = (
        "scenario: tutorial\n"
        "turns:\n"
        "  - allocate: {patrol: {troops: 2}, village_aid: {fundng: 3}}\n"
        "    activate: [unoin_patrols]\n"
        "    expect: {stabilty: '>= 0'}\n"
        "  - activate: joint_patrol\n"
        "    propose: {patrol_plan: {lead: jiont, hour: day_only}}\n"
        "  - choose: {flooded_crosing: wait}\n"
        "  - choose: {flooded_crossing: wiat}\n"
        "    end: [aid_compakt]\n"
        "expect: {ending: calm_vally}\n"
    )
    assert run(text, tutorial) == [
        "s.play.yaml:3: turn 1: unknown line of effort 'patrol' (did you mean 'patrols'?)",
        "s.play.yaml:3: turn 1: unknown resource 'fundng' for line 'village_aid' "
        "(did you mean 'funding'?)",
        "s.play.yaml:4: turn 1: unknown strategy 'unoin_patrols' (did you mean 'union_patrols'?)",
        "s.play.yaml:5: turn 1: unknown name 'stabilty' (did you mean 'stability'?)",
        "s.play.yaml:6: turn 2: unknown strategy 'joint_patrol' (did you mean 'joint_patrols'?)",
        "s.play.yaml:7: turn 2: unknown option 'jiont' of 'patrol_plan.lead' "
        "(did you mean 'joint'?)",
        "s.play.yaml:7: turn 2: unknown issue 'hour' of 'patrol_plan' (did you mean 'hours'?)",
        "s.play.yaml:8: turn 3: unknown event 'flooded_crosing' (did you mean 'flooded_crossing'?)",
        "s.play.yaml:9: turn 4: unknown choice 'wiat' of 'flooded_crossing' (did you mean 'wait'?)",
        "s.play.yaml:10: turn 4: unknown strategy 'aid_compakt' (did you mean 'aid_compact'?)",
        "s.play.yaml:11: at the end: unknown ending 'calm_vally' (did you mean 'calm_valley'?)",
    ]


def test_a_wrong_id_under_refused_is_the_refusal_the_script_expects(tutorial: Scenario) -> None:
    text = "scenario: tutorial\nturns:\n  - activate: nosuch\n    refused: activate\n"
    assert run(text, tutorial) == []


def test_every_unknown_key_of_a_script_is_reported_at_once_with_a_guess() -> None:
    text = (
        "scenario: tutorial\n"
        "sed: 3\n"
        "turns:\n"
        "  - alocate: {patrols: {troops: 2}}\n"
        "    activat: [joint_patrols]\n"
        "  - expct: {stability: 50}\n"
    )
    with pytest.raises(ScriptError) as info:
        read_script(text, "s.play.yaml")
    assert info.value.problems == [
        "s.play.yaml:2: unknown key 'sed' (did you mean 'seed'?)",
        "s.play.yaml:4: unknown key 'alocate' in a turn (did you mean 'allocate'?)",
        "s.play.yaml:5: unknown key 'activat' in a turn (did you mean 'activate'?)",
        "s.play.yaml:6: unknown key 'expct' in a turn (did you mean 'expect'?)",
    ]


CEASEFIRE = Path(__file__).resolve().parents[1] / "fixtures" / "ceasefire_deal.yaml"


def ceasefire() -> Scenario:
    return parse_scenario(CEASEFIRE.read_text(encoding="utf-8"), str(CEASEFIRE))


def test_side_payments_and_refusals_are_checked_before_the_game_is_played() -> None:
    """Transfers without their proposal, to an unknown party or in an unknown resource, and
    a `refused` that lists what is not an action of the turn, are each said with their line
    and a guess, before anything is played."""
    scenario = ceasefire()
    text = (
        "scenario: ceasefire\n"
        "turns:\n"
        "  - refused: [transfers]\n"
        "  - transfers: {ceasefire: {militia: {funding: 7}}}\n"
        "  - propose: {ceasefire: {withdrawal: cantoned}}\n"
        "    transfers: {ceasefire: {militia: {fundin: 7}, milita: {funding: 1}}}\n"
        "  - refused: [propose, alocate]\n"
    )
    assert run(text, scenario) == [
        "s.play.yaml:3: turn 1: refused lists 'transfers', which is not an action key "
        "(allocate, end, activate, propose, choose) (side payments are refused with their "
        "proposal: 'propose')",
        "s.play.yaml:4: turn 2: transfers for 'ceasefire' go with a proposal on it, and this "
        "turn proposes nothing",
        "s.play.yaml:6: turn 3: unknown resource 'fundin' (did you mean 'funding'?)",
        "s.play.yaml:6: turn 3: unknown party 'milita' of 'ceasefire' (did you mean 'militia'?)",
        "s.play.yaml:7: turn 4: 'propose' is expected to be refused, but this turn has no "
        "'propose'",
        "s.play.yaml:7: turn 4: refused lists 'alocate', which is not an action key "
        "(allocate, end, activate, propose, choose) (did you mean 'allocate'?)",
    ]


def test_a_side_payment_that_is_not_whole_units_is_reported_before_the_game_is_played() -> None:
    scenario = ceasefire()
    text = (
        "scenario: ceasefire\n"
        "turns:\n"
        "  - propose: {ceasefire: {withdrawal: cantoned}}\n"
        "    transfers: {ceasefire: {militia: {funding: 2.5}}}\n"
        "  - propose: {ceasefire: {withdrawal: cantoned}}\n"
        "    transfers: {ceasefire: {militia: {funding: 0}}}\n"
    )
    assert run(text, scenario) == [
        "s.play.yaml:4: turn 1: a side payment is a whole number of units, at least 1: "
        "funding: 2.5 for 'militia'",
        "s.play.yaml:6: turn 2: a side payment is a whole number of units, at least 1: "
        "funding: 0 for 'militia'",
    ]
