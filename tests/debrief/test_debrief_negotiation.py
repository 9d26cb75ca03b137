"""The negotiation analysis on a two-party disagreement whose packages are checked by hand.

Utilities (UN, AU), weights 0.5 and 0.5, reservations 0.5 for both:

| package              | UN   | AU   | Nash product (gains over 0.5) |
|----------------------|------|------|-------------------------------|
| robust, assessed     | 0.30 | 1.00 | below the UN's reservation    |
| robust, voluntary    | 0.60 | 0.90 | 0.10 x 0.40 = 0.04            |
| balanced, assessed   | 0.70 | 0.80 | 0.20 x 0.30 = 0.06            |
| balanced, voluntary  | 1.00 | 0.70 | 0.50 x 0.20 = 0.10            |
| mixed, assessed      | 0.65 | 0.95 | 0.15 x 0.45 = 0.0675          |
| mixed, voluntary     | 0.95 | 0.85 | 0.45 x 0.35 = 0.1575 (Nash)   |
"""

from __future__ import annotations

import pytest

from game.debrief import build_debrief, render_markdown, review_negotiation, to_json
from game.debrief.words import negotiation_head
from game.engine import Choose, EndTurn, Game, Propose
from game.library import SHIPPED, load_scenario
from game.scenario import Scenario, parse_scenario

TALKS = """
format: accord/1
id: tiny_talks
title: Tiny talks
turns: 4
turn_label: round
metrics:
  calm: {label: Calm, start: 50, headline: true}
stakeholders:
  un: {name: United Nations, kind: international_org, trust: 50}
  au: {name: African Union, kind: regional_org, trust: 50}
disagreements:
  mandate:
    label: Mandate
    parties: [un, au]
    deadline: 3
    issues:
      posture: {label: Posture, options: {robust: Robust, balanced: Balanced, mixed: Mixed}}
      funding: {label: Funding, options: {assessed: Assessed, voluntary: Voluntary}}
    preferences:
      un:
        weights: {posture: 0.5, funding: 0.5}
        values: {posture: {robust: 0.2, balanced: 1.0, mixed: 0.9},
                 funding: {assessed: 0.4, voluntary: 1.0}}
        reservation: RES
        aspiration: RES
      au:
        weights: {posture: 0.5, funding: 0.5}
        values: {posture: {robust: 1.0, balanced: 0.6, mixed: 0.9},
                 funding: {assessed: 1.0, voluntary: 0.8}}
        reservation: RES
        aspiration: RES
endings:
  over: {check: at_end, when: "true", text: Over.}
scoring:
  score: "final(calm)"
"""


def scenario(reservation: float = 0.5) -> Scenario:
    return parse_scenario(TALKS.replace("RES", str(reservation)), "tiny.yaml")


def agree_on(posture: str, funding: str) -> Game:
    game = Game.new(scenario())
    outcome = game.apply(Propose.of("mandate", {"posture": posture, "funding": funding}))
    assert outcome.ok and outcome.proposal is not None and outcome.proposal.agreed
    while not game.finished:
        game.apply(EndTurn())
    return game


def test_an_agreed_package_that_a_better_package_dominates() -> None:
    """Robust + voluntary (0.60, 0.90) is agreed; mixed + assessed (0.65, 0.95) is better for
    both; the Nash package is mixed + voluntary, product 0.1575 against the agreed 0.04."""
    n = review_negotiation(agree_on("robust", "voluntary"), "mandate")
    assert n.agreed and n.agreed_turn == 1 and n.failed_turn is None
    assert n.package == (("posture", "robust"), ("funding", "voluntary"))
    assert [(p.party, p.reservation) for p in n.parties] == [("un", 0.5), ("au", 0.5)]
    assert [p.utility for p in n.parties] == [pytest.approx(0.6), pytest.approx(0.9)]
    assert [p.surplus for p in n.parties] == [pytest.approx(0.1), pytest.approx(0.4)]
    assert n.nash_package == (("posture", "mixed"), ("funding", "voluntary"))
    assert n.nash_product == pytest.approx(0.1575)
    assert n.agreed_product == pytest.approx(0.04)
    assert [p.nash_utility for p in n.parties] == [pytest.approx(0.95), pytest.approx(0.85)]
    assert (n.acceptable, n.packages) == (5, 6)
    assert n.better_exists
    assert n.better_package == (("posture", "mixed"), ("funding", "assessed"))


def test_the_better_package_shown_is_the_one_with_the_largest_total_gain() -> None:
    """Balanced + assessed (0.70, 0.80) is dominated only by mixed + voluntary (0.95, 0.85)."""
    n = review_negotiation(agree_on("balanced", "assessed"), "mandate")
    assert n.better_package == (("posture", "mixed"), ("funding", "voluntary"))


def test_the_nash_package_agreed_leaves_nothing_better() -> None:
    n = review_negotiation(agree_on("mixed", "voluntary"), "mandate")
    assert n.package == n.nash_package
    assert n.agreed_product == pytest.approx(n.nash_product)
    assert not n.better_exists and n.better_package is None


def test_a_failed_negotiation_names_the_package_every_party_preferred_to_no_deal() -> None:
    """Robust + assessed gives the UN 0.30 < 0.50: refused, the UN objecting to the posture
    (weighted cost 0.5 x 0.8 = 0.40 against 0.5 x 0.6 = 0.30 for funding). Nothing else is
    proposed and the talks fail at the round-3 deadline."""
    game = Game.new(scenario())
    outcome = game.apply(Propose.of("mandate", {"posture": "robust", "funding": "assessed"}))
    assert outcome.ok and outcome.proposal is not None and not outcome.proposal.agreed
    while not game.finished:
        game.apply(EndTurn())
    n = review_negotiation(game, "mandate")
    assert (n.status, n.package, n.agreed_turn, n.failed_turn) == ("failed", None, None, 3)
    assert all(p.utility is None and p.surplus is None for p in n.parties)
    (proposal,) = n.proposals
    assert proposal.turn == 1 and not proposal.agreed
    un, au = proposal.answers
    assert (un.party, un.accepts, un.objection) == ("un", False, "posture")
    assert un.utility == pytest.approx(0.3)
    assert (au.party, au.accepts) == ("au", True)
    assert n.nash_package == (("posture", "mixed"), ("funding", "voluntary"))
    assert n.better_package == n.nash_package


def test_without_a_zone_of_agreement_there_is_no_nash_package() -> None:
    """Reservations of 0.96: no package gives both parties that much."""
    game = Game.new(scenario(0.96))
    while not game.finished:
        game.apply(EndTurn())
    n = review_negotiation(game, "mandate")
    assert n.nash_package is None and n.nash_product is None
    assert (n.acceptable, n.better_package) == (0, None)
    assert all(p.nash_utility is None for p in n.parties)


def test_the_exports_answer_was_there_a_better_deal() -> None:
    review = build_debrief(agree_on("robust", "voluntary"))
    (data,) = to_json(review)["negotiations"]
    assert data["id"] == "mandate" and data["agreed"] and data["turn"] == 1
    assert data["package"] == {"posture": "robust", "funding": "voluntary"}
    assert data["nash_package"] == {"posture": "mixed", "funding": "voluntary"}
    assert data["pareto_better_exists"] is True
    assert data["better_package"] == {"posture": "mixed", "funding": "assessed"}
    md = render_markdown(review)
    assert "Better for every party than the one agreed: Posture: Mixed; Funding: Assessed." in md
    assert any("a package better for every party existed" in s for s in review.improve)


def test_talks_that_failed_untried_say_so_in_words() -> None:
    """Talks left to fail with no proposal read "with no proposal made", not "after 0
    proposals"; tried ones say how many."""
    game = Game.new(load_scenario(SHIPPED / "tutorial.yaml"), seed=1)
    while not game.finished:
        for event in game.state.pending:
            assert any(game.apply(Choose(event, c)).ok for c in game.s.events[event].choices)
        assert game.apply(EndTurn()).ok
    debrief = build_debrief(game)
    heads = [negotiation_head(debrief, n) for n in debrief.negotiations]
    assert heads and all("0 proposals" not in h for h in heads)
    assert any(h.startswith("Failed in ") and h.endswith(", with no proposal made.") for h in heads)
