"""Reachability: `accord validate` warns, at the comparison that decides it, about a condition
that can never hold or always holds given the bounds of what it reads, and says what
therefore never happens; never about a condition some game can decide either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario import check_scenario

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
TUTORIAL = (ROOT / "scenarios" / "tutorial.yaml").read_text()
SUMMIT = '    when: "agreed.patrol_plan"'
CROSSING = 'requires: "trust.open_hands >= 50 and res.funding >= 3"'


def warnings_after(*changes: tuple[str, str]) -> list[str]:
    text = TUTORIAL
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    scenario, problems = check_scenario(text, "t.yaml")
    assert scenario is not None, [p.format() for p in problems]
    return [p.format() for p in problems if p.severity == "warning"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_no_shipped_scenario_gets_a_reachability_warning(path: Path):
    _, problems = check_scenario(path.read_text(), path.name)
    assert [p.format() for p in problems] == []


def test_a_choice_needing_more_trust_than_there_can_be_is_never_taken():
    found = warnings_after((CROSSING, 'requires: "res.funding >= 3 and trust.open_hands >= 145"'))
    col = TUTORIAL.index(CROSSING) - TUTORIAL.rfind("\n", 0, TUTORIAL.index(CROSSING))
    line = TUTORIAL.count("\n", 0, TUTORIAL.index(CROSSING)) + 1
    # The column of 'trust' inside the quoted text: "requires: " + quote + "res.funding >= 3 and ".
    col += len('requires: "res.funding >= 3 and ')
    assert found == [
        f"t.yaml:{line}:{col}: warning: events.flooded_crossing.choices.ask_open_hands.requires: "
        "'trust.open_hands >= 145' can never hold (trust.open_hands is between 0 and 100), so "
        "choice 'ask_open_hands' of event 'flooded_crossing' can never be taken"
    ]


def test_an_event_waiting_for_a_metric_beyond_its_max_never_fires_nor_what_follows_it():
    """The second event reads `fired.regional_summit`, false since the first never fires."""
    found = warnings_after(
        (SUMMIT, '    when: "stability >= 150"\n  sequel:\n    title: S\n'
                 '    when: "fired.regional_summit"'),
    )  # fmt: skip
    assert [w.split(": warning: ")[1] for w in found] == [
        "events.regional_summit.when: 'stability >= 150' can never hold (stability is between 0 "
        "and 100), so event 'regional_summit' never fires",
        "events.sequel.when: 'fired.regional_summit' can never hold (fired.regional_summit is "
        "always false), so event 'sequel' never fires",
    ]


def test_an_event_on_a_set_turn_reads_that_turn():
    found = warnings_after((SUMMIT, '    when: "turn < 5 and agreed.patrol_plan"'))
    assert [w.split(": warning: ")[1] for w in found] == [
        "events.regional_summit.when: 'turn < 5' can never hold (turn is always 5), so event "
        "'regional_summit' never fires"
    ]


def test_a_condition_that_always_holds_can_be_left_out():
    found = warnings_after(
        ('    requires: "turn >= 2"\n    cost: {political_capital: 2}',
         '    requires: "turn >= 1 or active.aid_compact"\n    cost: {political_capital: 2}'),
    )  # fmt: skip
    assert [w.split(": warning: ")[1] for w in found] == [
        "strategies.joint_patrols.requires: 'turn >= 1' always holds (turn is between 1 and 6), "
        "so it can be left out"
    ]


def test_an_each_turn_ending_that_always_holds_ends_every_game_at_once():
    found = warnings_after(('when: "turn >= 4 and stability <= 15"', 'when: "stability <= 100"'))
    assert [w.split(": warning: ")[1] for w in found] == [
        "endings.collapse.when: 'stability <= 100' always holds (stability is between 0 and "
        "100), so every game ends after the first turn"
    ]


def test_a_partner_without_withdraws_below_never_leaves():
    found = warnings_after(
        ("    withdraws_below: 10\n", ""),
        (SUMMIT, '    when: "withdrawn.open_hands"'),
    )
    assert [w.split(": warning: ")[1] for w in found] == [
        "events.regional_summit.when: 'withdrawn.open_hands' can never hold "
        "(withdrawn.open_hands is always false), so event 'regional_summit' never fires"
    ]


def test_a_flag_is_bounded_by_what_its_effects_make_of_it():
    found = warnings_after(
        ("{resource: troops, add: -2}", "{resource: troops, add: -2}, {flag: crossing, set: 1}"),
        (SUMMIT, '    when: "flag.crossing >= 2"'),
    )
    assert [w.split(": warning: ")[1] for w in found] == [
        "events.regional_summit.when: 'flag.crossing >= 2' can never hold (flag.crossing is "
        "between 0 and 1), so event 'regional_summit' never fires"
    ]


def test_a_lesson_about_history_beyond_the_bounds_is_never_shown():
    found = warnings_after(('{when: "max(cooperation) < 45"', '{when: "max(cooperation) < -1"'))
    assert [w.split(": warning: ")[1] for w in found] == [
        "lessons.4.when: 'max(cooperation) < -1' can never hold (cooperation is between 0 and "
        "100), so this lesson is never shown"
    ]


@pytest.mark.parametrize(
    "when",
    [
        "stability >= 90",  # some game may get there
        "sqrt(stability) > 9",
        "clamp(stability, 10, 20) >= 20",
        "abs(stability - 50) > 49",
        "(stability if turn > 4 else 0) > 99",
        "res.funding / max(0, cooperation - 50) > 1",  # divides by what may be 0
        "min(stability, local_support) < 1 or max(stability, cooperation) > 99",
    ],
)
def test_a_condition_some_game_decides_either_way_gets_no_warning(when: str):
    assert warnings_after((SUMMIT, f'    when: "{when}"')) == []


def test_conditions_read_during_resolution_do_not_assume_the_limits():
    """A rule runs before metrics are brought back within their limits: no warning."""
    assert warnings_after(('when: "cooperation < 35"', 'when: "cooperation < -35"')) == []


def test_what_reads_an_event_that_never_fires_is_warned_about_too():
    """An event on a turn after the last never fires (the builder says so); a condition on
    it can never hold."""
    found = warnings_after(
        ("    turn: 4\n    choices:", "    turn: 9\n    choices:"),
        (SUMMIT, '    when: "chose.flooded_crossing.wait"'),
    )
    assert [w.split(": warning: ")[1] for w in found] == [
        "events.flooded_crossing.turn: turn 9 is after the last turn (6); it never fires",
        "events.regional_summit.when: 'chose.flooded_crossing.wait' can never hold "
        "(chose.flooded_crossing.wait is always false), so event 'regional_summit' never fires",
        # The tutorial's own lesson on that choice, too.
        "lessons.7.when: 'chose.flooded_crossing.wait' can never hold "
        "(chose.flooded_crossing.wait is always false), so this lesson is never shown",
    ]
