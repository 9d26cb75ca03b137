"""Rules casebook: the `income` effect (docs/scenario-format.md, "Effects" and "A turn, in
order", step 1), the worked example of docs/engine.md's "Adding a rule"."""

from __future__ import annotations

import pytest

from game.engine import Choose, EndTurn, Game
from game.scenario import ScenarioError
from game.scenario.models import Target

_DONORS = {
    "donors": {
        "title": "Donor conference",
        "text": "Donors offer steady funding.",
        "turn": 1,
        "choices": {
            "accept": {
                "label": "Accept the pledge",
                "effects": [{"income": "funding", "add": 5}],
            },
            "decline": {"label": "Decline", "effects": []},
        },
    }
}


def test_an_income_effect_changes_each_later_turns_income(make):
    """`{income: R, add: X}` changes the income R receives each turn (its `per_turn`), from the
    next income on; the ledger names the change, then each income at its new size."""
    game = Game.new(make(stakeholders={"un": {"provides": {}}}, events=_DONORS))
    outcome = game.apply(Choose("donors", "accept"))
    assert [(c.kind, c.target, c.amount) for c in outcome.changes] == [
        (Target.INCOME, "funding", 5)
    ]
    assert game.value("income.funding") == 15
    report = game.apply(EndTurn()).report
    assert report is not None
    assert game.state.resources["funding"] == 15  # 10 per turn, now 15
    income = [c for c in game.changes_now if c.cause == "Funding: income"]
    assert [c.amount for c in income] == [15]
    game.apply(EndTurn())
    assert game.state.resources["funding"] == 15  # and every turn after


def test_declining_leaves_the_income_as_written(make):
    """Without an `income` effect a resource's income is its `per_turn`, as before."""
    game = Game.new(make(stakeholders={"un": {"provides": {}}}, events=_DONORS))
    game.apply(Choose("donors", "decline"))
    game.apply(EndTurn())
    assert game.state.resources["funding"] == 10
    assert game.value("income.funding") == 10


def test_income_is_a_name_expressions_read(make):
    """`income.<resource>` is an expression name: the income per turn now."""
    scenario = make(
        events=_DONORS,
        rules=[
            {
                "label": "Steady money calms",
                "when": "income.funding >= 15",
                "effects": [{"metric": "stability", "add": 2}],
            }
        ],
    )
    accepted = Game.new(scenario)
    accepted.apply(Choose("donors", "accept"))
    declined = Game.new(scenario)
    declined.apply(Choose("donors", "decline"))
    moved = [g.apply(EndTurn()).report for g in (accepted, declined)]
    assert [r.metrics_after["stability"] - r.metrics_before["stability"] for r in moved if r] == [
        2,
        0,
    ]


def test_income_never_goes_below_zero_and_a_fraction_waits(make):
    """An income is clamped to 0 or more at resolution ("limit reached"); the stock gets its
    whole part: a fraction of income waits until it makes a whole unit."""
    scenario = make(
        stakeholders={"un": {"provides": {}}},
        rules=[{"label": "Budget cuts", "effects": [{"income": "funding", "add": -4.5}]}],
    )
    game = Game.new(scenario)
    game.apply(EndTurn())  # 10 - 4.5 = 5.5: 5 units arrive
    assert game.state.resources["funding"] == 5
    report = game.apply(EndTurn()).report  # 5.5 - 4.5 = 1
    assert report is not None
    assert game.state.resources["funding"] == 1
    report = game.apply(EndTurn()).report  # 1 - 4.5 < 0: held at 0
    assert report is not None
    held = [c for c in report.changes if c.kind == Target.INCOME and c.note == "limit reached"]
    assert [c.amount for c in held] == [3.5]
    assert game.value("income.funding") == 0
    assert game.state.resources["funding"] == 0


def test_an_income_effect_must_name_a_resource(make):
    with pytest.raises(ScenarioError, match="unknown resource 'fundng'"):
        make(rules=[{"label": "Typo", "effects": [{"income": "fundng", "add": 1}]}])
