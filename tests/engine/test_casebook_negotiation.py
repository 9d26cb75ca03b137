"""Rules casebook, part 2: negotiation, counting, preview, determinism (scenario-format.md)."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest

from game.engine import (
    Activate,
    Allocate,
    Choose,
    EndTurn,
    Game,
    Propose,
    action_from_json,
    action_to_json,
)
from game.negotiation import nash_package, pareto_better, threshold
from game.scenario.compiled import CPreference


def talks(**extra):
    """A two-issue disagreement between the UN and the AU, opening on turn 1."""
    d = {
        "label": "Mandate scope",
        "parties": ["un", "au"],
        "deadline": 3,
        "proposal_cost": {"capital": 1},
        "issues": {
            "posture": {
                "label": "Posture",
                "options": {"robust": "Robust", "balanced": "Balanced", "diplomatic": "Diplomatic"},
            },
            "share": {"label": "Cost share", "options": {"un_heavy": "UN 70%", "split": "50/50"}},
        },
        "preferences": {
            "un": {
                "weights": {"posture": 0.6, "share": 0.4},
                "values": {
                    "posture": {"robust": 0.1, "balanced": 0.7, "diplomatic": 1.0},
                    "share": {"un_heavy": 0.2, "split": 1.0},
                },
                "reservation": 0.5,
                "aspiration": 0.9,
                "concession": "linear",
            },
            "au": {
                "weights": {"posture": 0.5, "share": 0.5},
                "values": {
                    "posture": {"robust": 1.0, "balanced": 0.6, "diplomatic": 0.0},
                    "share": {"un_heavy": 1.0, "split": 0.6},
                },
                "reservation": 0.5,
                "aspiration": 0.9,
                "concession": "linear",
            },
        },
    }
    d.update(extra)
    return {"talks": d}


def pref(e: float, res: float = 0.4, asp: float = 0.9) -> CPreference:
    return CPreference(MappingProxyType({}), MappingProxyType({}), res, asp, e)


@pytest.mark.parametrize(
    ("e", "expected"),
    [
        # res + (asp - res) * (1 - tau ** (1 / e)), at tau = 0, 0.5, 1.
        (0.2, (0.9, 0.4 + 0.5 * (1 - 0.5**5), 0.4)),
        (1.0, (0.9, 0.65, 0.4)),
        (5.0, (0.9, 0.4 + 0.5 * (1 - 0.5**0.2), 0.4)),
    ],
)
def test_threshold_at_tau_zero_half_one(e, expected):
    """threshold_p = res + (asp - res) * (1 - tau^(1/e)) - 0.002 * (trust - 50); e is 0.2 for
    boulware, 1 for linear, 5 for conceder."""
    for t, want in zip((0.0, 0.5, 1.0), expected, strict=True):
        assert threshold(pref(e), t, 50) == pytest.approx(want)
    # Trust above 50 lowers the threshold, below 50 raises it.
    assert threshold(pref(e), 0.5, 80) == pytest.approx(expected[1] - 0.06)
    assert threshold(pref(e), 0.5, 20) == pytest.approx(expected[1] + 0.06)


def test_a_package_exactly_at_threshold_is_accepted(make):
    """Party p accepts when u_p >= threshold_p - 1e-9 (a package exactly at a party's threshold
    is accepted)."""
    scenario = make(
        disagreements=talks(
            deadline=1,
            preferences={
                p: {
                    "weights": {"posture": 0.5, "share": 0.5},
                    "values": {
                        "posture": {"robust": 0.1, "balanced": 0.7, "diplomatic": 1.0},
                        "share": {"un_heavy": 0.4, "split": 0.4},
                    },
                    "reservation": 0.55,
                    "aspiration": 0.55,
                }
                for p in ("un", "au")
            },
        )
    )
    game = Game.new(scenario)
    # u = 0.5 * 0.7 + 0.5 * 0.4 = 0.55 exactly at the threshold (trust 50 for the AU).
    scenario_un_trust = game.state.trust["un"]
    assert scenario_un_trust == 60  # UN's threshold is lower still
    outcome = game.apply(Propose.of("talks", {"posture": "balanced", "share": "split"}))
    assert outcome.ok and outcome.proposal is not None and outcome.proposal.agreed


def test_refusal_names_the_costliest_issue_and_costs_trust(make):
    """Otherwise each party that refused names the issue whose option costs it the most
    weighted value against its best option for that issue, and trust with it changes by -1."""
    game = Game.new(make(disagreements=talks()))
    outcome = game.apply(Propose.of("talks", {"posture": "robust", "share": "un_heavy"}))
    assert outcome.ok and outcome.proposal is not None and not outcome.proposal.agreed
    answers = {a.party: a for a in outcome.proposal.answers}
    # UN: posture costs 0.6 * (1.0 - 0.1) = 0.54, share 0.4 * (1.0 - 0.2) = 0.32.
    assert not answers["un"].accepts and answers["un"].objection == "posture"
    assert answers["au"].accepts  # u = 1.0
    assert game.state.trust == {"un": 59, "au": 50}
    assert game.state.resources["capital"] == 1  # the proposal cost was paid


def test_thresholds_fall_over_time_until_agreement(make):
    """tau = (turn - opened_turn) / max(1, deadline - opened_turn): a package refused early can
    be accepted later."""
    scenario = make(disagreements=talks(deadline=3))
    game = Game.new(scenario)
    package = {"posture": "balanced", "share": "split"}  # UN 0.82, AU 0.6
    first = game.apply(Propose.of("talks", package))
    assert first.proposal is not None and not first.proposal.agreed  # AU threshold 0.9 at tau 0
    game.apply(EndTurn())
    game.apply(EndTurn())  # turn 3: tau = 1, AU's threshold is 0.5 - 0.002 * (49 - 50)
    last = game.apply(Propose.of("talks", package))
    assert last.proposal is not None and last.proposal.agreed
    assert game.value("agreed.talks") and game.value("agreed_turn.talks") == 3
    assert game.value("chose.talks.posture.balanced") is True


def test_outcomes_apply_once_and_each_turn(make):
    """Option outcomes apply at once when agreed; those with each_turn: true apply at every
    resolution from the turn of agreement on; on_agree applies."""
    scenario = make(
        disagreements=talks(
            preferences={
                p: {
                    "weights": {"posture": 1, "share": 1},
                    "values": {
                        "posture": {"robust": 1, "balanced": 1, "diplomatic": 1},
                        "share": {"un_heavy": 1, "split": 1},
                    },
                    "reservation": 0.1,
                }
                for p in ("un", "au")
            },
            outcomes={
                "posture.robust": [
                    {"metric": "stability", "add": 6},
                    {"metric": "support", "add": -1, "each_turn": True},
                ]
            },
            on_agree=[{"trust": "parties", "add": 4}],
        )
    )
    game = Game.new(scenario)
    assert game.apply(Propose.of("talks", {"posture": "robust", "share": "split"})).ok
    assert game.state.metrics["stability"] == 56
    assert game.state.trust == {"un": 64, "au": 54}
    game.apply(EndTurn())
    game.apply(EndTurn())
    assert game.state.metrics["support"] == 38  # -1 on turns 1 and 2


def test_agreement_by_veto_respecting_majority(make):
    """agreement: at least `needs` parties including every `vetoes` party."""
    parties = ["un", "au", "eu"]
    prefs = {
        p: {
            "weights": {"x": 1},
            "values": {"x": {"a": v, "b": 1 - v}},
            "reservation": 0.5,
            "aspiration": 0.5,
        }
        for p, v in (("un", 1.0), ("au", 1.0), ("eu", 0.0))
    }
    disagreement = {
        "deal": {
            "label": "Deal",
            "parties": parties,
            "deadline": 5,
            "agreement": {"needs": 2, "vetoes": ["un"]},
            "issues": {"x": {"label": "X", "options": {"a": "A", "b": "B"}}},
            "preferences": prefs,
        }
    }
    eu = {"name": "European Union", "kind": "regional_org", "trust": 50}
    game = Game.new(make(stakeholders={"eu": eu}, disagreements=disagreement))
    refused = game.apply(Propose.of("deal", {"x": "b"}))  # only the EU accepts
    assert refused.proposal is not None and not refused.proposal.agreed
    agreed = game.apply(Propose.of("deal", {"x": "a"}))  # UN (veto) and AU accept, EU refuses
    assert agreed.proposal is not None and agreed.proposal.agreed


def test_party_withdrawing_mid_talks_fails_the_disagreement(make):
    """A withdrawn partner no longer votes; a disagreement that can then no longer reach its
    agreement fails at once."""
    scenario = make(
        stakeholders={"au": {"withdraws_below": 45}},
        disagreements=talks(deadline=5, on_fail=[{"metric": "stability", "add": -8}]),
        rules=[{"label": "Insult", "effects": [{"trust": "au", "add": -10}]}],
    )
    game = Game.new(scenario)
    report = game.apply(EndTurn()).report
    assert report is not None
    assert report.withdrawn == ("au",) and report.failed == ("talks",)
    assert game.value("failed.talks") is True
    assert game.state.metrics["stability"] == 42  # on_fail applied


def test_deadline_failure(make):
    """Disagreements still open at the end of their deadline turn fail (on_fail)."""
    game = Game.new(make(disagreements=talks(deadline=2, on_fail=[{"trust": "au", "add": -15}])))
    game.apply(EndTurn())
    assert game.value("open.talks") is True and game.value("open_turns.talks") == 2
    report = game.apply(EndTurn()).report
    assert report is not None and report.failed == ("talks",)
    assert game.state.trust["au"] == 35
    assert "has failed" in game.check(Propose.of("talks", {"posture": "robust", "share": "split"}))


def test_opens_on_turn_and_counts_open_turns(make):
    """open_turns counts the current turn: 1 on the turn a disagreement opens; agreed_turn is 0
    until agreed."""
    game = Game.new(make(disagreements=talks(opens={"turn": 2}, deadline=4)))
    assert game.value("open.talks") is False
    assert "not open yet" in game.check(
        Propose.of("talks", {"posture": "robust", "share": "split"})
    )
    game.apply(EndTurn())
    assert game.value("open.talks") is True and game.value("open_turns.talks") == 1
    assert game.value("agreed_turn.talks") == 0


def test_nash_and_pareto_analysis(make):
    """The debrief compares the agreed package with the package that maximises the Nash product
    over packages every party accepts at its reservation value, and says whether a package
    better for every party existed."""
    d = Game.new(make(disagreements=talks())).s.disagreements["talks"]
    # UN u: 0.6 v_posture + 0.4 v_share; AU u: 0.5 v_posture + 0.5 v_share; reservations 0.5.
    assert nash_package(d, ["un", "au"]) == {"posture": "balanced", "share": "split"}
    # (robust, split): UN 0.46, AU 0.8; (balanced, un_heavy) gives UN 0.5, AU 0.8: better for one,
    # no worse for the other. Nothing beats (balanced, un_heavy) for both.
    better = pareto_better(d, ["un", "au"], {"posture": "robust", "share": "split"})
    assert better == {"posture": "balanced", "share": "un_heavy"}
    assert pareto_better(d, ["un", "au"], {"posture": "balanced", "share": "un_heavy"}) is None


# ---- Preview, determinism, serialisation ---------------------------------------------


def test_preview_reports_effects_without_changing_anything(make):
    """For an event choice, a strategy or a proposal, the engine says which meters it would move
    and by how much in the current state, without changing anything."""
    scenario = make(
        events={
            "raid": {
                "title": "Raid",
                "choices": {
                    "hold": {"label": "Hold", "effects": [{"metric": "stability", "add": -4}]}
                },
            }
        },
        strategies={
            "pact": {
                "label": "Pact",
                "kind": "bilateral",
                "partners": ["un"],
                "cost": {"capital": 1},
                "each_turn": [{"metric": "support", "add": 2}],
            }
        },
    )
    game = Game.new(scenario)
    before = game.state.to_json()
    choice = game.preview(Choose("raid", "hold"))
    assert choice.ok and dict(choice.deltas) == {"metric:stability": -4}
    strategy = game.preview(Activate("pact"))
    assert dict(strategy.deltas) == {"metric:support": 2, "resource:capital": -1}
    assert game.state.to_json() == before and game.actions == ()


def test_same_seed_and_actions_give_the_same_game(make):
    """One scenario, one seed and one sequence of actions always give the same game."""
    scenario = make(
        events={
            "coin": {
                "title": "Coin",
                "once": False,
                "chance": 0.5,
                "effects": [{"metric": "stability", "add": 1}],
            }
        }
    )
    first = Game.new(scenario, 11)
    first.apply(Allocate("security", "funding", 7))
    for _ in range(5):
        first.apply(EndTurn())
    log = json.dumps([action_to_json(a) for a in first.actions])
    second = Game.new(scenario, 11)
    for data in json.loads(log):
        assert second.apply(action_from_json(data)).ok
    assert second.state.to_json() == first.state.to_json()
    assert [r.to_json() for r in second.reports] == [r.to_json() for r in first.reports]


def test_equal_packages_in_any_order_give_the_same_game(make):
    """(Project rule) A package is read in the disagreement's issue order, whatever order the
    proposal names its issues in."""
    scenario = make(disagreements=talks(outcomes={
        "posture.robust": [{"metric": "stability", "set": 10}],
        "share.split": [{"metric": "stability", "add": 5}],
    }, preferences={p: {"weights": {"posture": 1, "share": 1},
                        "values": {"posture": {"robust": 1, "balanced": 1, "diplomatic": 1},
                                   "share": {"un_heavy": 1, "split": 1}},
                        "reservation": 0.1} for p in ("un", "au")}))  # fmt: skip
    first, second = Game.new(scenario), Game.new(scenario)
    first.apply(Propose.of("talks", {"posture": "robust", "share": "split"}))
    second.apply(Propose.of("talks", {"share": "split", "posture": "robust"}))
    assert first.state.metrics["stability"] == second.state.metrics["stability"] == 15


def test_this_turns_proposals_and_events_are_public(make):
    """(API) `proposals_now` and `fired_now` show the current turn's proposals and events, so a
    game loaded mid-turn can show them; earlier turns' are in the reports."""
    scenario = make(
        disagreements=talks(),
        events={
            "raid": {"title": "Raid", "once": False, "effects": [{"metric": "support", "add": -1}]}
        },
    )
    game = Game.new(scenario)
    assert game.fired_now == ("raid",)
    game.apply(Propose.of("talks", {"posture": "robust", "share": "un_heavy"}))
    assert [p.disagreement for p in game.proposals_now] == ["talks"]
    game.apply(EndTurn())
    assert game.proposals_now == () and game.fired_now == ("raid",)
    assert [p.disagreement for p in game.reports[0].proposals] == ["talks"]


@pytest.mark.parametrize(
    "package",
    [
        (["posture", "robust"], ["share", "split"]),  # lists where pairs should be
        (("posture", ["robust"]), ("share", "split")),  # an option that is not text
        (("posture",), ("share", "split")),  # a pair with one half
    ],
)
def test_a_malformed_package_is_refused_and_changes_nothing(make, package):
    """(API) A package must pair each issue with one option; anything else is refused with a
    sentence, and nothing changes."""
    game = Game.new(make(disagreements=talks()))
    before = game.state.to_json()
    outcome = game.apply(Propose("talks", package))
    assert not outcome.ok
    assert outcome.reason == "A proposal on Mandate scope must pair each issue with one option."
    assert game.state.to_json() == before and game.actions == ()


def test_a_package_proposed_again_is_checked_again(make):
    """(API) Proposing a package a second time is checked like the first: its cost must be in
    stock and the talks still open, whatever the engine keeps of the first time."""
    game = Game.new(make(disagreements=talks(deadline=2)))
    package = Propose.of("talks", {"posture": "robust", "share": "un_heavy"})  # the UN refuses
    assert game.state.resources["capital"] == 2
    assert not game.apply(package).proposal.agreed
    assert not game.apply(package).proposal.agreed
    assert game.state.trust["un"] == 58  # each refusal cost trust with the UN (from 60)
    before = game.state.to_json()
    short = game.apply(package)
    assert not short.ok
    assert short.reason == "Not enough Capital for a proposal: 0 left, 1 needed."
    assert game.state.to_json() == before
    game.apply(EndTurn())
    game.apply(EndTurn())  # the deadline passes with no agreement
    closed = game.apply(package)
    assert not closed.ok and closed.reason == "Mandate scope has failed."
