"""Rules casebook: every movement of a stock is in the turn's ledger, with its cause, and the
lines add up to the stock's movement over the turn (docs/scenario-format.md, "A turn, in
order": "Every change made in steps 1–4 goes into the turn's ledger")."""

from __future__ import annotations

from game.engine import Activate, Allocate, Choose, EndTurn, Game, TurnReport
from game.scenario.models import Target


def lines(report_or_changes: TurnReport | tuple, rid: str) -> list[tuple[int, str, str]]:
    changes = getattr(report_or_changes, "changes", report_or_changes)
    return [
        (c.amount, c.cause, c.note) for c in changes if c.kind == "resource" and c.target == rid
    ]


def adds_up(report: TurnReport) -> None:
    for rid, after in report.resources_after.items():
        moved = sum(c.amount for c in report.moved_now(Target.RESOURCE, rid))
        assert report.resources_before[rid] + moved == after, rid


def test_unspent_stock_is_lost_as_a_line_of_its_own_then_income_and_contributions(make):
    """Step 1 on a stock that does not carry: what was left resets to 0 (its own line), then
    income, then each partner's contribution."""
    game = Game.new(make())
    first = game.state.resources["funding"]
    assert first > 10
    game.apply(EndTurn())
    step1 = lines(game.changes_now, "funding")
    assert step1[0] == (-first, "Unspent stock does not carry over", "")
    assert step1[1] == (10, "Funding: income", "")
    assert step1[2][1:] == ("Contribution: United Nations", "")
    assert first + sum(a for a, _, _ in step1) == game.state.resources["funding"]


def test_allocations_leave_the_stock_as_one_line_per_line_of_effort(make):
    """Units allocated leave the stock: the report says so once, at the end of the turn,
    whatever the allocations and take-backs before; the lines add up to the movement."""
    game = Game.new(make())
    stock = game.state.resources["funding"]
    assert game.apply(Allocate("security", "funding", 5)).ok
    assert game.apply(Allocate("security", "funding", 3)).ok
    report = game.apply(EndTurn()).report
    assert report is not None
    assert (-8, "Allocated to Security operations", "") in lines(report, "funding")
    assert (
        report.resources_before["funding"] == 0 and report.resources_after["funding"] == stock - 8
    )
    adds_up(report)


def test_a_queued_loss_larger_than_the_stock_is_held_at_zero_as_its_own_line(make):
    """A resource change made in resolution arrives with the next income, written whole with
    its cause; holding the stock at 0 is a line of its own ("limit reached")."""
    scenario = make(
        rules=[
            {"label": "Theft", "when": "turn == 1", "effects": [{"resource": "capital", "add": -9}]}
        ]
    )
    game = Game.new(scenario)
    assert game.state.resources["capital"] == 2
    report = game.apply(EndTurn()).report
    assert report is not None
    assert lines(report, "capital") == [
        (2, "Capital: income", ""),
        (-9, "Theft", "arrives next turn"),
    ]
    assert report.resources_after["capital"] == 2  # the theft has not arrived yet
    adds_up(report)
    arrived = lines(game.changes_now, "capital")
    assert arrived == [
        (2, "Capital: income", ""),
        (-9, "Theft", "queued last turn"),
        (5, "Capital: never below 0", "limit reached"),
    ]
    assert game.state.resources["capital"] == 0


def test_a_decision_beyond_storage_is_held_at_max_as_its_own_line(make):
    """A choice that would take a stock beyond its `max` is written whole, then held."""
    scenario = make(
        events={
            "gift": {
                "title": "Gift",
                "text": "A gift.",
                "turn": 1,
                "choices": {
                    "take": {"label": "Take it", "effects": [{"resource": "capital", "add": 7}]}
                },
            }
        }
    )
    game = Game.new(scenario)
    outcome = game.apply(Choose("gift", "take"))
    assert lines(outcome.changes, "capital") == [
        (7, "Gift: Take it", ""),
        (-4, "Capital: storage", "limit reached"),
    ]
    assert game.state.resources["capital"] == 5
    report = game.apply(EndTurn()).report
    assert report is not None
    adds_up(report)


def test_a_forecast_names_what_arrives_next_turn_and_next_turns_upkeep(make):
    """`preview` of a strategy: the resources its resolution queues (they arrive next turn)
    and the upkeep it adds to next turn's income, beside what it moves this turn; and the
    forecast comes true."""
    scenario = make(
        strategies={
            "airlift": {
                "label": "Airlift",
                "kind": "bilateral",
                "partners": ["un"],
                "cost": {"capital": 1},
                "upkeep": {"funding": 4},
                "each_turn": [{"resource": "capital", "add": 2}],
            }
        }
    )
    game = Game.new(scenario)
    preview = game.preview(Activate("airlift"))
    assert preview.ok
    assert dict(preview.deltas) == {"resource:capital": -1}
    assert dict(preview.next_turn) == {"resource:capital": 2}
    assert dict(preview.upkeep) == {"resource:funding": -4}
    nothing = game.preview(Allocate("security", "funding", 1))
    assert not nothing.next_turn and not nothing.upkeep
    game.apply(Activate("airlift"))
    game.apply(EndTurn())
    step1 = lines(game.changes_now, "capital") + lines(game.changes_now, "funding")
    assert (2, "Airlift", "queued last turn") in step1
    assert (-4, "Airlift: upkeep", "") in step1
