"""Issue 16, "Done means": a trainee who plays Hybrid Mandate reaches both early agreements by
reading offers and refusals, without a blind guess, and can say afterwards what each partner
wanted most. The playthrough tests/playthroughs/hybrid_mandate_offers.play.yaml is played here
action by action, looking only at what the trainee sees (offers, refusals, what is known)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import EndTurn, Game, Propose
from game.engine.explain import refusal_words
from game.library import load_scenario
from game.playtest.script import _actions, read_script

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "playthroughs" / "hybrid_mandate_offers.play.yaml"
EARLY = ("mandate_scope", "cost_sharing")


@pytest.fixture(scope="module")
def played() -> tuple[Game, list[tuple[int, Propose, dict[str, tuple[tuple[str, str], ...]]]]]:
    """The script played on the shipped scenario, with each early proposal and the offers that
    stood when it was made."""
    script = read_script(SCRIPT.read_bytes(), str(SCRIPT))
    scenario = load_scenario(ROOT / "scenarios" / "hybrid_mandate.yaml")
    game = Game.new(scenario, script.data.get("seed"))
    proposals = []
    for turn in script.data["turns"]:
        for _key, action in _actions(turn):
            if isinstance(action, Propose) and action.disagreement in EARLY:
                proposals.append((game.turn, action, game.offers(action.disagreement)))
            assert game.apply(action).ok, action
        assert game.apply(EndTurn()).ok
    return game, proposals


def test_every_early_proposal_is_a_package_partners_offered(played) -> None:
    _, proposals = played
    assert {p.disagreement for _, p, _ in proposals} == set(EARLY)
    for turn, proposal, offers in proposals:
        offering = [party for party, package in offers.items() if package == proposal.package]
        assert len(offering) >= 2, (turn, proposal, offers)


def test_both_early_agreements_are_reached_and_the_only_refusal_says_which_way(played) -> None:
    game, _ = played
    assert game.value("agreed.mandate_scope") and game.value("agreed.cost_sharing")
    records = [r for report in game.reports for r in report.proposals if r.disagreement in EARLY]
    refused = [r for r in records if not r.agreed]
    assert len(refused) == 1  # one informed try (two partners' offer), then none blind
    (record,) = refused
    objecting = [a for a in record.answers if a.objection]
    assert [a.party for a in objecting] == ["au"]
    words = refusal_words(game.s, "mandate_scope", objecting[0], game.s.model.difficulty)
    assert "Posture" in words and "Robust" in words


def test_afterwards_the_trainee_knows_what_each_partner_wanted_most(played) -> None:
    game, _ = played
    known = game.knowledge("mandate_scope")
    # The joint assessment cell revealed every party's priorities on the mandate.
    assert all(k.weights for k in known.values())
    d = game.s.disagreements["mandate_scope"]
    weights = {p: d.preferences[p].weights for p in d.parties}
    most = {p: max(w, key=lambda i, w=w: w[i]) for p, w in weights.items()}
    assert most["un"] == "poc" and most["au"] == "posture"
    # The Government's preferred options are public from the start, as the briefing says.
    assert set(known["host_gov"].options) == {"posture", "poc"}
    # Vestmark's priorities on cost sharing are public too (the books matter most to it).
    assert game.knowledge("cost_sharing")["donor"].weights


def test_the_tutorials_week_4_takes_up_the_uns_offer_as_it_stands() -> None:
    """The thoughtful tutorial path proposes in week 4 exactly what the UN offers then (the
    week the briefing teaches taking up an offer), and it is agreed."""
    path = ROOT / "tests" / "playthroughs" / "tutorial_thoughtful.play.yaml"
    script = read_script(path.read_bytes(), str(path))
    game = Game.new(load_scenario(ROOT / "scenarios" / "tutorial.yaml"), script.data.get("seed"))
    seen = {}
    for turn in script.data["turns"]:
        for _key, action in _actions(turn):
            if isinstance(action, Propose):
                seen[game.turn] = (action.package, game.offers(action.disagreement))
            assert game.apply(action).ok, action
        assert game.apply(EndTurn()).ok
    package, offers = seen[4]
    assert offers["un"] == package
    # In week 3 the two offers were each partner's own favourite, and did not meet.
    assert seen[3][1]["un"] != seen[3][1]["coastal_union"]
    assert game.value("agreed.patrol_plan") and game.value("agreed_turn.patrol_plan") == 4
