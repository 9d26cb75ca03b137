"""The negotiation review judges each refused proposal at the turn and trust it was made
(issue 16, item 7), and the package it says would have passed does pass in the engine.

Three parties; agreement needs 2 of them including the UN (a veto); linear concession from
0.9 to 0.5 over turns 1 to 5, so at turn 3 (τ = 0.5) a party at trust 50 accepts from 0.70,
and at trust 49 from 0.702 (0.002 per point of trust).

| package              | UN  | AU  | Gov  |
|----------------------|-----|-----|------|
| robust, assessed     | 0.3 | 1.0 | 0.3  |
| robust, voluntary    | 0.6 | 0.9 | 0.3  |
| balanced, assessed   | 0.7 | 0.8 | 0.55 |
| balanced, voluntary  | 1.0 | 0.7 | 0.55 |
| diplomatic, assessed | 0.6 | 0.6 | 0.8  |
| diplomatic, voluntary| 0.9 | 0.5 | 0.8  |
"""

from __future__ import annotations

import pytest
from test_bounded_work import compiled, wide  # tests/ is on the path (its conftest.py)

from game.debrief import build_debrief, render_text, review_negotiation, to_json
from game.debrief.model import PACKAGES_JUDGED, PROPOSALS_JUDGED, Judgement
from game.debrief.negotiations import Moment, passes, proposal_moments
from game.engine import EndTurn, Game, Propose
from game.scenario import Scenario, parse_scenario

TALKS = """
format: accord/1
id: three_way
title: Three-way talks
turns: 6
metrics:
  calm: {label: Calm, start: 50, headline: true}
stakeholders:
  un: {name: United Nations, kind: international_org, trust: 50}
  au: {name: African Union, kind: regional_org, trust: 50}
  gov: {name: Government, kind: nation, trust: 50}
disagreements:
  mandate:
    label: Mandate
    parties: [un, au, gov]
    agreement: {needs: 2, vetoes: [un]}
    opens: {turn: 1}
    deadline: 5
    issues:
      posture: {label: Posture, options: {robust: Robust, balanced: Balanced,
                                          diplomatic: Diplomatic}}
      funding: {label: Funding, options: {assessed: Assessed, voluntary: Voluntary}}
    preferences:
      un:
        weights: {posture: 0.5, funding: 0.5}
        values: {posture: {robust: 0.2, balanced: 1.0, diplomatic: 0.8},
                 funding: {assessed: 0.4, voluntary: 1.0}}
        reservation: 0.5
        aspiration: 0.9
        concession: linear
      au:
        weights: {posture: 0.5, funding: 0.5}
        values: {posture: {robust: 1.0, balanced: 0.6, diplomatic: 0.2},
                 funding: {assessed: 1.0, voluntary: 0.8}}
        reservation: 0.5
        aspiration: 0.9
        concession: linear
      gov:
        weights: {posture: 0.5, funding: 0.5}
        values: {posture: {robust: 0.0, balanced: 0.5, diplomatic: 1.0},
                 funding: {assessed: 0.6, voluntary: 0.6}}
        reservation: 0.5
        aspiration: 0.9
        concession: linear
endings:
  over: {check: at_end, when: "true", text: Over.}
scoring:
  score: "final(calm)"
"""

ROBUST_ASSESSED = {"posture": "robust", "funding": "assessed"}


def scenario() -> Scenario:
    return parse_scenario(TALKS, "three_way.yaml")


def refused_twice() -> Game:
    """Robust + assessed put twice in turn 3, then the game played out without a deal."""
    game = Game.new(scenario())
    for _ in range(2):
        assert game.apply(EndTurn()).ok
    for _ in range(2):
        outcome = game.apply(Propose.of("mandate", ROBUST_ASSESSED))
        assert outcome.proposal is not None and not outcome.proposal.agreed
    while not game.finished:
        assert game.apply(EndTurn()).ok
    return game


def judgements(game: Game) -> list[Judgement]:
    out = [p.judgement for p in review_negotiation(game, "mandate").proposals]
    assert all(j is not None for j in out)
    return [j for j in out if j is not None]


def replayed_before(game: Game, proposal: int) -> Game:
    """The game replayed up to (not including) its `proposal`-th proposal."""
    replay = Game.new(game.s, game.seed)
    seen = 0
    for action in game.actions:
        if isinstance(action, Propose):
            if seen == proposal:
                return replay
            seen += 1
        assert replay.apply(action).ok
    raise AssertionError("no such proposal")


def test_each_refusal_is_judged_at_its_turn_and_trust() -> None:
    first, second = judgements(refused_twice())
    assert first.tau == second.tau == 0.5
    un, au, gov = first.parties
    assert (un.trust, un.accepts) == (50, False)
    assert (un.lowest, un.value) == (pytest.approx(0.7), pytest.approx(0.3))
    assert un.short == pytest.approx(0.4) and au.accepts and au.short == 0
    assert (gov.value, gov.short) == (pytest.approx(0.3), pytest.approx(0.4))
    # The first refusal cost a point of trust with the UN and the Government: the second
    # proposal met thresholds 0.002 higher.
    un2, _, gov2 = second.parties
    assert (un2.trust, gov2.trust) == (49, 49)
    assert un2.lowest == pytest.approx(0.702) and gov2.lowest == pytest.approx(0.702)
    # One issue changed passed at trust 50 (the UN's 0.7 reached 0.7); at trust 49 it took two.
    assert (first.passing, first.changed) == ((("posture", "balanced"), ("funding", "assessed")), 1)
    assert (second.passing, second.changed) == (
        (("posture", "balanced"), ("funding", "voluntary")),
        2,
    )
    # Counted by the real rule (two parties including the UN), all six packages weighed.
    assert (first.passing_count, second.passing_count) == (3, 2)
    assert first.complete and first.weighed == 6


def test_the_judged_answers_are_the_engines() -> None:
    game = refused_twice()
    records = [r for report in game.reports for r in report.proposals]
    for record, judgement in zip(records, judgements(game), strict=True):
        assert [m.accepts for m in judgement.parties] == [a.accepts for a in record.answers]
        assert [m.value for m in judgement.parties] == [a.utility for a in record.answers]


def test_the_package_that_would_have_passed_passes_when_played_then() -> None:
    """Each suggested package, proposed at the very moment of the refused one (same turn,
    same trust, after the same earlier actions), is agreed by the engine; the first
    suggestion, played at the second moment (one point of trust less), is not: the moment
    matters."""
    game = refused_twice()
    found = judgements(game)
    for k, judgement in enumerate(found):
        assert judgement.passing is not None
        replay = replayed_before(game, k)
        outcome = replay.apply(Propose("mandate", judgement.passing))
        assert outcome.proposal is not None and outcome.proposal.agreed
    late = replayed_before(game, 1).apply(Propose("mandate", found[0].passing or ()))
    assert late.proposal is not None and not late.proposal.agreed


def test_the_review_says_it_in_words_and_json() -> None:
    review = build_debrief(refused_twice())
    text = " ".join(render_text(review).split())
    assert (
        "Then, with the talks 50% of the way to their deadline: United Nations (trust 50) "
        "accepted from 0.70 and valued it 0.30, short by 0.40; African Union (trust 50) "
        "accepted from 0.70 and valued it 1.00;"
    ) in text
    assert (
        "Would have passed then: Posture: Balanced; Funding: Assessed (1 issue changed; "
        "3 of 6 packages would have passed then)."
    ) in text
    assert "pass the agreement rule (2 of 3, including United Nations)" in text
    assert "assuming every party at its reservation value, as at the deadline with trust 50" in text
    data = to_json(review)["negotiations"][0]
    j = data["proposals"][1]["judgement"]
    assert j["would_have_passed"] == {"posture": "balanced", "funding": "voluntary"}
    assert (j["issues_changed"], j["packages_passing"], j["all_weighed"]) == (2, 2, True)
    assert data["agreement_rule"] == "2 of 3, including United Nations"


def test_feasible_packages_are_counted_by_the_real_agreement_rule() -> None:
    """At reservation values (0.5 each), the rule '2 of 3 including the UN' passes five
    packages (all but robust + assessed); requiring every party, as the review once counted,
    would leave out robust + voluntary too (the Government values it 0.3)."""
    n = review_negotiation(refused_twice(), "mandate")
    assert (n.acceptable, n.packages) == (5, 6)


def test_a_value_besides_the_package_is_counted_when_given() -> None:
    """Ready for side payments: a per-party extra value (e.g. a transfer) added to a party's
    value of the package moves it over its threshold."""
    d = scenario().disagreements["mandate"]
    moment = Moment(0.5, {"un": 50.0, "au": 50.0, "gov": 50.0}, ("un", "au", "gov"))
    values = {"un": 0.6, "au": 0.6, "gov": 0.8}  # diplomatic + assessed: the UN refuses
    assert not passes(d, values, moment)
    assert passes(d, values, moment, {"un": 0.1})


def test_judging_is_bounded_and_says_what_was_capped() -> None:
    """Past PROPOSALS_JUDGED refusals the rest are listed unjudged, and the review says so."""
    game = Game.new(scenario())
    for _ in range(PROPOSALS_JUDGED + 3):
        assert game.apply(Propose.of("mandate", ROBUST_ASSESSED)).ok
    assert len(proposal_moments(game)) == PROPOSALS_JUDGED + 3
    n = review_negotiation(game, "mandate")
    assert n.unjudged == 3
    assert [p.judgement is None for p in n.proposals].count(True) == 3
    text = " ".join(render_text(build_debrief(game)).split())
    assert f"The 3 refused proposals after the first {PROPOSALS_JUDGED} are listed" in text


def test_a_huge_disagreement_is_judged_near_the_proposal_only() -> None:
    """30 more two-option issues (6 billion packages): the judgement weighs at most
    PACKAGES_JUDGED packages, nearest first, and says so; whatever it suggests passes."""
    game = Game.new(compiled(wide(30)))
    d = game.s.disagreements["patrol_plan"]
    package = {issue: options[-1] for issue, options in d.issues.items()}
    outcome = game.apply(Propose.of("patrol_plan", package))
    assert outcome.proposal is not None and not outcome.proposal.agreed
    n = review_negotiation(game, "patrol_plan")
    (p,) = n.proposals
    assert p.judgement is not None
    j = p.judgement
    assert j.weighed <= PACKAGES_JUDGED and not j.complete and j.passing_count is None
    text = " ".join(render_text(build_debrief(game)).split())
    if j.passing is None:
        assert f"None of the {PACKAGES_JUDGED:,} packages nearest to it would have passed" in text
    else:
        replay = Game.new(game.s, game.seed)
        agreed = replay.apply(Propose("patrol_plan", j.passing)).proposal
        assert agreed is not None and agreed.agreed
