"""Rules casebook, part 4: side payments and agreements that can break (scenario-format.md,
"Side payments" and "Agreements that can break" in the extensions)."""

from __future__ import annotations

import pytest

from game.engine import EndTurn, Game, Propose, action_from_json, action_to_json
from game.engine.report import Breach
from game.scenario import ScenarioError
from game.scenario.models import Target


def deal(**extra):
    """One issue between the UN (wants robust) and the AU (wants diplomatic); the AU values
    Funding as a side payment, 0.1 a unit, at most 10 units a proposal."""
    d = {
        "label": "Mandate",
        "parties": ["un", "au"],
        "deadline": 4,
        "issues": {
            "posture": {
                "label": "Posture",
                "options": {"robust": "Robust", "diplomatic": "Diplomatic"},
            }
        },
        "preferences": {
            "un": {
                "weights": {"posture": 1},
                "values": {"posture": {"robust": 1.0, "diplomatic": 0.0}},
                "reservation": 0.5,
                "aspiration": 0.9,
            },
            "au": {
                "weights": {"posture": 1},
                "values": {"posture": {"robust": 0.0, "diplomatic": 1.0}},
                "reservation": 0.5,
                "aspiration": 0.9,
                "side_payments": {"funding": {"per_unit": 0.1, "max": 10}},
            },
        },
        "outcomes": {"posture.robust": [{"metric": "stability", "add": 5, "each_turn": True}]},
    }
    for key, value in extra.items():
        if value is None:
            d.pop(key, None)
        else:
            d[key] = value
    return {"talks": d}


ROBUST = {"posture": "robust"}


def test_a_side_payment_adds_per_unit_times_units_to_the_party_value(make):
    """u_p gains per_unit × units for each unit of a valued resource the proposal transfers to
    p: a package the AU refuses (0) passes with 9 units of Funding (0.9, its threshold now)."""
    game = Game.new(make(disagreements=deal()))
    bare = game.copy().apply(Propose.of("talks", ROBUST))
    assert bare.proposal is not None and not bare.proposal.agreed
    paid = game.apply(Propose.of("talks", ROBUST, {"au": {"funding": 9}}))
    assert paid.proposal is not None and paid.proposal.agreed
    au = next(a for a in paid.proposal.answers if a.party == "au")
    assert au.accepts and au.utility == pytest.approx(0.9)
    assert paid.proposal.transfers == (("au", (("funding", 9),)),)


def test_a_side_payment_is_paid_from_the_stock_only_when_agreed(make):
    """Paid from the unallocated stock when the package is agreed, as a ledger line naming the
    payment; a refused proposal pays nothing."""
    game = Game.new(make(disagreements=deal()))
    stock = game.state.resources["funding"]
    refused = game.apply(Propose.of("talks", ROBUST, {"au": {"funding": 8}}))
    assert refused.proposal is not None and not refused.proposal.agreed
    assert game.state.resources["funding"] == stock
    # The refusal cost a point of the AU's trust: its threshold is 0.902 now.
    agreed = game.apply(Propose.of("talks", ROBUST, {"au": {"funding": 10}}))
    assert agreed.proposal is not None and agreed.proposal.agreed
    assert game.state.resources["funding"] == stock - 10
    lines = [c for c in agreed.changes if c.kind == Target.RESOURCE and c.target == "funding"]
    assert [(c.amount, c.cause) for c in lines] == [(-10, "Mandate: side payment to African Union")]
    report = game.apply(EndTurn()).report
    assert report is not None
    assert any(c.cause == "Mandate: side payment to African Union" for c in report.changes)


@pytest.mark.parametrize(
    ("most", "transfers", "reason"),
    [
        (50, {"au": {"funding": 31}}, "Not enough Funding for the side payments: 30 left"),
        (10, {"au": {"capital": 1}}, "African Union does not value Capital as a side payment"),
        (10, {"un": {"funding": 1}}, "United Nations does not value Funding as a side payment"),
        (10, {"au": {"funding": 11}}, "African Union takes at most 10 Funding per proposal"),
        (10, {"au": {"funding": 0}}, "must be a whole number of at least 1"),
        (10, {"xx": {"funding": 1}}, "'xx' is not a party to Mandate"),
    ],
)
def test_a_side_payment_that_cannot_be_made_is_refused_at_proposal(make, most, transfers, reason):
    """Refused, changing nothing, when the stock cannot cover it (with the proposal cost),
    the party does not value that resource, it exceeds `max`, or it names no party."""
    prefs = deal()["talks"]["preferences"]
    au = {**prefs["au"], "side_payments": {"funding": {"per_unit": 0.1, "max": most}}}
    game = Game.new(make(disagreements=deal(preferences={**prefs, "au": au})))
    before = game.state
    outcome = game.apply(Propose.of("talks", ROBUST, transfers))
    assert not outcome.ok and reason in outcome.reason
    assert game.state == before


def test_side_payment_max_defaults_to_the_resource_max_or_100(make):
    """`max` is optional: the resource's `max`, or 100 when it has none."""
    prefs = deal()["talks"]["preferences"]
    valued = {"funding": {"per_unit": 0.1}, "capital": {"per_unit": 1}}
    au = {**prefs["au"], "side_payments": valued}
    s = make(disagreements=deal(preferences={**prefs, "au": au}))
    assert dict(s.disagreements["talks"].preferences["au"].side_payments) == {
        "funding": (0.1, 100),
        "capital": (1.0, 5),
    }


def test_side_payments_are_checked_at_load(make):
    """A side payment names a resource and a per_unit above 0."""
    prefs = deal()["talks"]["preferences"]
    valued = {"fundng": {"per_unit": 0.1}, "capital": {"per_unit": 0}}
    au = {**prefs["au"], "side_payments": valued}
    with pytest.raises(ScenarioError) as err:
        make(disagreements=deal(preferences={**prefs, "au": au}))
    text = " ".join(p.message for p in err.value.problems)
    assert "unknown resource 'fundng'" in text and "did you mean 'funding'" in text
    assert "side_payments.capital.per_unit: must be above 0" in text


def test_a_proposal_with_transfers_saves_and_replays(make):
    """`transfers` is part of the action's JSON (absent when there are none, so old action
    logs read the same) and a replay gives the same game."""
    plain = Propose.of("talks", ROBUST)
    assert "transfers" not in action_to_json(plain)
    paid = Propose.of("talks", ROBUST, {"au": {"funding": 9}})
    data = action_to_json(paid)
    assert data["transfers"] == {"au": {"funding": 9}}
    assert action_from_json(data) == paid
    scenario = make(disagreements=deal())
    game = Game.new(scenario)
    for action in (paid, EndTurn()):
        game.apply(action)
    again = Game.new(scenario)
    for action in game.actions:
        again.apply(action_from_json(action_to_json(action)))
    assert again.state == game.state


HOLDS = {"holds_while": "stability >= 50"}
SLIDE = [{"label": "Slide", "effects": [{"metric": "stability", "add": -20}], "when": "turn >= 2"}]


def test_an_agreement_breaks_when_its_condition_fails_at_resolution(make):
    """Checked at resolution, after the agreed outcomes step, from the turn after agreement:
    an agreement whose `holds_while` fails breaks; `agreed.<d>` becomes false, `broken.<d>`
    true, its `each_turn` outcomes stop and `on_breach` applies."""
    scenario = make(
        disagreements=deal(
            **HOLDS,
            on_breach=[{"trust": "parties", "add": -10}],
            preferences={
                **deal()["talks"]["preferences"],
                "au": {**deal()["talks"]["preferences"]["au"], "reservation": 0.0,
                       "aspiration": 0.0},
            },
        ),
        rules=[{"label": "Slide", "when": "turn >= 2",
                "effects": [{"metric": "stability", "add": -20}]}],
    )  # fmt: skip
    game = Game.new(scenario)
    assert game.apply(Propose.of("talks", ROBUST)).proposal.agreed
    first = game.apply(EndTurn()).report  # turn 1: stability 50 + 5, no check on that turn
    assert first.breaches == () and game.value("agreed.talks")
    second = game.apply(EndTurn()).report  # turn 2: 55 + 5 = 60 holds at the check; rule -20
    assert second.breaches == ()
    third = game.apply(EndTurn()).report  # turn 3: 40 + 5 = 45 < 50: broken
    assert third.breaches == (Breach("talks", None, "stability >= 50", None),)
    assert not game.value("agreed.talks") and game.value("broken.talks")
    assert not game.value("chose.talks.posture.robust")
    assert third.changes_for(Target.TRUST, "un")[0].cause == "Mandate broken"
    assert game.state.disagreements["talks"].status == "broken"
    fourth = game.apply(EndTurn()).report  # the each_turn outcome no longer applies
    assert not any(c.cause == "Mandate: Robust" for c in fourth.changes)
    refused = game.apply(Propose.of("talks", ROBUST))
    assert not refused.ok and refused.reason == "Mandate broke down and stays closed."


def test_an_agreement_is_not_checked_on_the_turn_it_is_made(make):
    """From the turn after agreement: a condition false on the turn of agreement does not
    break it then."""
    prefs = deal()["talks"]["preferences"]
    easy = {**prefs["au"], "reservation": 0.0, "aspiration": 0.0}
    scenario = make(disagreements=deal(holds_while="turn >= 2", preferences={**prefs, "au": easy}))
    game = Game.new(scenario)
    assert game.apply(Propose.of("talks", ROBUST)).proposal.agreed
    assert game.apply(EndTurn()).report.breaches == ()
    assert game.apply(EndTurn()).report.breaches == ()
    assert game.value("agreed.talks")


def test_a_party_condition_breaks_the_agreement(make):
    """A party's `holds_while` is a condition of the agreement too: it breaks when any
    party's condition fails (the report names that party)."""
    prefs = deal()["talks"]["preferences"]
    au = {**prefs["au"], "reservation": 0.0, "aspiration": 0.0, "holds_while": "trust.au >= 45"}
    scenario = make(
        disagreements=deal(preferences={**prefs, "au": au}),
        rules=[{"label": "Drift", "effects": [{"trust": "au", "add": -3}]}],
    )
    game = Game.new(scenario)
    assert game.apply(Propose.of("talks", ROBUST)).proposal.agreed
    breaches = []
    while not game.finished and not breaches:
        breaches = list(game.apply(EndTurn()).report.breaches)
    # trust 50 -> 47 (turn 1) -> 44 (turn 2): checked at turn 3's resolution, before the rule.
    assert breaches == [Breach("talks", "au", "trust.au >= 45", None)]
    assert game.turn == 4


def test_broken_talks_may_reopen_with_a_new_deadline(make):
    """`reopens: {deadline: N}`: the talks open again at once with a deadline N turns after
    the breach; τ restarts from the reopening; `open_turns` goes on from its count when they
    were agreed; they can be agreed again, and fail at the new deadline otherwise."""
    prefs = deal()["talks"]["preferences"]
    easy = {**prefs["au"], "reservation": 0.0, "aspiration": 0.0}
    scenario = make(
        turns=8,
        disagreements=deal(
            holds_while="flag.calm == 0",
            reopens={"deadline": 2},
            on_fail=[{"metric": "support", "add": -7}],
            preferences={**prefs, "au": easy},
        ),
        events={"riot": {"title": "Riot", "turn": 2, "effects": [{"flag": "calm", "add": 1}]}},
    )
    game = Game.new(scenario)
    assert game.apply(Propose.of("talks", ROBUST)).proposal.agreed
    game.apply(EndTurn())
    report = game.apply(EndTurn()).report  # turn 2: the riot fired at the openings
    assert report.breaches == (Breach("talks", None, "flag.calm == 0", 4),)
    assert game.value("open.talks") and game.value("broken.talks")
    assert game.deadline_of("talks") == 4 and game.opened_turn("talks") == 2
    # open_turns goes on from its count at the agreement (1: agreed on the turn they opened),
    # not from 1 again: 2 on the turn after the breach.
    assert game.value("open_turns.talks") == 2
    game.apply(EndTurn())
    assert game.value("open_turns.talks") == 3
    game.apply(EndTurn())  # turn 4: the new deadline passes with the talks still open
    assert game.value("failed.talks") and game.reports[-1].failed == ("talks",)


def test_reopened_talks_can_be_agreed_again(make):
    """A reopened disagreement agreed again holds while its condition does."""
    prefs = deal()["talks"]["preferences"]
    easy = {**prefs["au"], "reservation": 0.0, "aspiration": 0.0}
    scenario = make(
        disagreements=deal(
            holds_while="flag.calm <= 1", reopens={"deadline": 2}, preferences={**prefs, "au": easy}
        ),
        events={"riot": {"title": "Riot", "turn": 2, "effects": [{"flag": "calm", "add": 2}]},
                "peace": {"title": "Peace", "turn": 3, "effects": [{"flag": "calm", "set": 0}]}},
    )  # fmt: skip
    game = Game.new(scenario)
    game.apply(Propose.of("talks", ROBUST))
    game.apply(EndTurn())
    game.apply(EndTurn())
    assert game.value("broken.talks") and game.value("open.talks")
    assert game.apply(Propose.of("talks", ROBUST)).proposal.agreed  # turn 3
    assert game.value("agreed.talks") and game.value("agreed_turn.talks") == 3
    assert game.apply(EndTurn()).report.breaches == ()


def test_on_breach_without_a_condition_is_warned_about(make):
    """`on_breach` or `reopens` with no `holds_while` anywhere can never apply: validate
    warns."""
    scenario = make(disagreements=deal(on_breach=[{"metric": "support", "add": -1}]))
    assert any("can never break" in w.message for w in scenario.warnings)


def test_without_the_new_fields_a_game_plays_as_before(make):
    """Every new field is optional: `broken.<d>` stays false and nothing breaks."""
    game = Game.new(make(disagreements=deal()))
    game.apply(Propose.of("talks", {"posture": "diplomatic"}))
    while not game.finished:
        assert game.apply(EndTurn()).report.breaches == ()
    assert not game.value("broken.talks")


def test_a_side_payment_named_twice_is_refused(make):
    """One entry per party and resource: a proposal naming one twice is refused."""
    game = Game.new(make(disagreements=deal()))
    twice = Propose("talks", (("posture", "robust"),), (("au", (("funding", 5), ("funding", 5))),))
    outcome = game.apply(twice)
    assert not outcome.ok and "names a party's side payment twice" in outcome.reason


def test_a_condition_the_bounds_decide_is_warned_about(make):
    """`validate` warns about a `holds_while` the bounds alone decide (a stock is never
    below 0): such an agreement breaks at the first resolution after it is made."""
    scenario = make(disagreements=deal(holds_while="res.funding < 0"))
    said = [w.message for w in scenario.warnings]
    assert any("'res.funding < 0' can never hold" in m for m in said), said
    assert any("breaks at the first resolution after it is made" in m for m in said), said


def test_a_side_payment_max_above_the_resource_max_and_a_public_word_twice_are_warned(make):
    """`max` above the resource's own `max` can never be paid (the stock never holds it),
    and `public: [weights, weights]` says one thing twice: validate warns about each, at
    its place, and the scenario plays."""
    prefs = deal()["talks"]["preferences"]
    au = {
        **prefs["au"],
        "side_payments": {"capital": {"per_unit": 1, "max": 9}},
        "public": ["weights", "options", "weights"],
    }
    scenario = make(disagreements=deal(preferences={**prefs, "au": au}))
    said = {w.message for w in scenario.warnings}
    assert (
        "disagreements.talks.preferences.au.side_payments.capital.max: max 9 is above the "
        "resource's own max (5): no proposal can pay more than 5" in said
    )
    assert "disagreements.talks.preferences.au.public: 'weights' is listed more than once" in said
    assert scenario.disagreements["talks"].preferences["au"].public == ("weights", "options")


def test_a_side_payment_short_of_stock_says_how_much_the_proposal_itself_takes(make):
    """The stock must cover the side payments and the proposal's cost in that resource: the
    refusal says how the sum is made, and names no proposal cost in another resource."""
    prefs = deal()["talks"]["preferences"]
    au = {**prefs["au"], "side_payments": {"funding": {"per_unit": 0.1, "max": 50}}}
    both = make(disagreements=deal(preferences={**prefs, "au": au}, proposal_cost={"funding": 5}))
    outcome = Game.new(both).apply(Propose.of("talks", ROBUST, {"au": {"funding": 26}}))
    assert outcome.reason == (
        "Not enough Funding for the side payments: 30 left unallocated, 31 needed "
        "(26 in side payments, 5 for the proposal)."
    )
    other = make(disagreements=deal(preferences={**prefs, "au": au}, proposal_cost={"capital": 1}))
    outcome = Game.new(other).apply(Propose.of("talks", ROBUST, {"au": {"funding": 31}}))
    assert outcome.reason == (
        "Not enough Funding for the side payments: 30 left unallocated, 31 needed."
    )
