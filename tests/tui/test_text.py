"""The words and numbers the screens use: signs, previews by difficulty, ledgers, charts."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from tuitools import played, scenario

from game.debrief.chart import column_chart
from game.engine import Change, Choose, Preview
from game.tui.screens.report import report_markup
from game.tui.text import (
    amounts,
    changes_summary,
    condition,
    end_turn_reminders,
    event_effects,
    grouped,
    moved,
    number,
    preview_lines,
    signed,
    turn_title,
)

DELTAS = Preview(
    True,
    deltas=MappingProxyType(
        {"resource:political_capital": -3, "metric:stability": 1.25, "trust:au": 4.0}
    ),
)


@pytest.mark.parametrize(
    ("value", "shown", "with_sign"),
    [
        (2.0, "2", "+2"),
        (2.44, "2.4", "+2.4"),
        (-1.04, "-1", "-1"),
        (0.0, "0", "0"),
        (-0.02, "0", "0"),
    ],
)
def test_numbers_are_whole_when_nearly_whole_and_signed_changes_carry_their_sign(
    value: float, shown: str, with_sign: str
) -> None:
    assert number(value) == shown
    assert signed(value) == with_sign


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        (64.44, 67.36, "64.4 → 67.4 (+3)"),  # 2.92 would read +2.9 between 64.4 and 67.4
        (46.24, 46.66, "46.2 → 46.7 (+0.5)"),
        (42.3, 46.96, "42.3 → 47 (+4.7)"),
        (50, 50.02, "50 → 50 (0)"),
    ],
)
def test_a_movement_adds_up_as_shown(before: float, after: float, shown: str) -> None:
    assert moved(before, after) == shown


def test_intro_previews_show_exact_effects_metrics_first() -> None:
    lines = preview_lines(scenario(), DELTAS, "intro")
    assert lines == ["Mission stability +1.2", "trust of African Union +4", "Political capital -3"]


def test_standard_previews_show_only_which_way_things_move() -> None:
    lines = preview_lines(scenario(), DELTAS, "standard")
    assert lines == ["Mission stability ↑", "trust of African Union ↑", "Political capital ↓"]
    assert not any(ch.isdigit() for line in lines for ch in line)


def test_hard_previews_show_nothing() -> None:
    lines = preview_lines(scenario(), DELTAS, "hard")
    assert len(lines) == 1 and "No forecast" in lines[0]
    assert "stability" not in lines[0].lower()


def test_a_ledger_is_grouped_by_cause_largest_first_and_sums_to_the_movement() -> None:
    game = played(turns=2)
    report = game.reports[-1]
    for mid in game.s.model.metrics:
        groups = grouped(report.changes_for("metric", mid))
        sizes = [abs(amount) for _, amount in groups]
        assert sizes == sorted(sizes, reverse=True)
        moved = report.metrics_after[mid] - report.metrics_before[mid]
        assert sum(amount for _, amount in groups) == pytest.approx(moved)


def test_changes_with_the_same_cause_are_summed_and_a_note_is_kept() -> None:
    changes = [
        Change("metric", "stability", 2.0, "Security operations"),
        Change("metric", "stability", -0.5, "Security operations"),
        Change("metric", "stability", -3.0, "Mission stability", note="limit reached"),
    ]
    assert grouped(changes) == [
        ("Mission stability (limit reached)", -3.0),
        ("Security operations", 1.5),
    ]


def test_conditions_read_with_labels_not_ids() -> None:
    s = scenario()
    assert condition(s, "stability <= 12") == "Mission stability ≤ 12"
    text = condition(s, s.model.endings["partner_exit"].when)
    assert (
        text
        == "United Nations withdrawn or African Union withdrawn or Government of Qaraba withdrawn"
    )
    assert condition(s, "true") == "otherwise"


def test_turn_titles_use_the_scenario_label() -> None:
    assert turn_title(scenario(), 2) == "Month 2 of 12"
    assert turn_title(scenario("tutorial"), 6) == "Week 6 of 6"


def test_the_chart_draws_a_column_for_every_value_the_lowest_too() -> None:
    """Rising from the metric's floor: the start (week 0) has a column all the same, and each
    value is written under its column."""
    lines = column_chart([40, 50, 60], 40, 100, height=4, numbers=True)
    assert int(lines[0].split("│")[0]) > 60 and lines[3].startswith("40 │")  # room above
    bottom = lines[3][4:]
    assert bottom.split() == ["▁▁", "██", "██"]  # week 0 at the very bottom: a sliver
    assert lines[-2].split() == ["40", "50", "60"]
    assert lines[-1].split() == ["0", "1", "2"]
    # A value too wide for its column: no row of values rather than numbers run together.
    wide = column_chart([98, 100, 100], 0, 100, height=4, numbers=True)
    assert wide[-2].strip().startswith("└") and wide[-1].split() == ["0", "1", "2"]


def test_end_turn_reminders_name_unspent_stock_and_a_deadline_this_turn() -> None:
    game = played(turns=6)  # month 7: the mandate's deadline, stock unspent
    reminders = end_turn_reminders(game)
    assert reminders[0].startswith("Not allocated, and not carried over to the next turn: ")
    assert "Political capital" not in reminders[0]  # it carries over
    assert game.state.disagreements["mandate_scope"].status == "open"
    assert "Mandate scope fails at the end of this turn unless agreed." in reminders


def test_an_actions_changes_are_summed_up_in_words() -> None:
    changes = [Change("resource", "political_capital", -3, "x"), Change("trust", "un", 4, "y")]
    summary = changes_summary(scenario(), changes)
    assert summary == "Done: Political capital -3, trust of United Nations +4"


def test_what_an_answer_changed_names_each_effect_s_own_note_only() -> None:
    game = played(turns=1)
    choice = "quick_reaction"
    assert game.apply(Choose("militia_raid", choice)).ok
    text = event_effects(game, "militia_raid", choice)
    assert text.startswith("Troop battalions -2 · Mission stability +3 · Civilian protection +3")
    assert text.endswith("Local support -1 (Collateral damage in the pursuit)")
    assert "Raid on Umm Sidra" not in text  # the cause they all share is not repeated


def test_a_count_of_one_takes_the_singular_of_its_label() -> None:
    from game.numbers import quantity

    cases = {
        "Logistics units": "Logistics unit",
        "Troop companies": "Troop company",
        "Warships on station": "Warship on station",
        "Battalions": "Battalion",
        "Funding": "Funding",
        "Patrol aircraft": "Patrol aircraft",
        "Political capital": "Political capital",
    }
    for label, one in cases.items():
        assert quantity(1, label) == f"1 {one}"
        assert quantity(-1, label) == f"-1 {one}"
        assert quantity(3, label) == f"3 {label}"
        assert quantity(1.5, label) == f"1.5 {label}"
    s = scenario()
    assert amounts(s, {"logistics": 1, "funding": 1}) == "1 Logistics unit, 1 Funding ($M)"


def test_the_reports_resources_say_they_run_from_last_turns_leftover_to_what_is_left() -> None:
    """The dashboard shows a stock after the turn's income; the report's Resources run from
    before it (last turn's leftover) to what is left now, and say so: "Funding 0 → 0" beside
    the 36 just spent read as a contradiction."""
    game = played(turns=2)
    report = game.reports[-1]
    text = str(report_markup(game.s, report))
    assert f"Resources (left from last {game.s.model.turn_label} → left now" in text
    for rid, res in game.s.model.resources.items():
        before, after = report.resources_before[rid], report.resources_after[rid]
        assert f"{res.label}  {moved(before, after)}" in text
