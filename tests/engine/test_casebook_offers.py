"""Rules casebook, offers: partners' offers, refusals that say which way, positions learnt in
play (docs/scenario-format.md, "Offers, directions and knowledge")."""

from __future__ import annotations

import pytest
import yaml

from game.engine import Choose, EndTurn, Game, Known, Propose
from game.engine.explain import refusal_words
from game.library import SHIPPED, load_scenario
from game.negotiation import MAX_PACKAGES, lowest_accepted, offer, package_count, utility
from game.saves.store import save_game_to
from game.saves.verify import load_game
from game.scenario import ScenarioError, check_scenario, parse_scenario
from game.scenario.graph import scenario_graph
from tests.engine.conftest import BASE, merge
from tests.engine.test_casebook_negotiation import talks

DIPLOMATIC_SPLIT = (("posture", "diplomatic"), ("share", "split"))
ROBUST_UN_HEAVY = (("posture", "robust"), ("share", "un_heavy"))


def test_each_party_offers_what_the_others_value_most_among_what_it_accepts_now(make):
    """At the start of each turn the talks are open, each present party states its offer:
    among the packages it accepts now, the one the other parties value most together."""
    game = Game.new(make(disagreements=talks()))
    # Turn 1 (τ 0): the UN (trust 60) accepts 0.88 or more: only Diplomatic / 50-50 (1.0).
    # The AU (trust 50) accepts 0.9 or more: only Robust / UN 70% (1.0).
    assert game.offers("talks") == {"un": DIPLOMATIC_SPLIT, "au": ROBUST_UN_HEAVY}
    game.apply(EndTurn())
    # Turn 2 (τ 0.5): the UN accepts 0.68 or more: Balanced/50-50 (0.82), Diplomatic/UN 70%
    # (0.68), Diplomatic/50-50 (1.0); the AU values them 0.6, 0.5, 0.3: it offers the first.
    # The AU accepts 0.7 or more: Robust/UN 70%, Robust/50-50, Balanced/UN 70%; the UN values
    # them 0.14, 0.46, 0.5.
    assert game.offers("talks") == {
        "un": (("posture", "balanced"), ("share", "split")),
        "au": (("posture", "balanced"), ("share", "un_heavy")),
    }


def test_an_offer_tie_goes_to_the_first_package_in_file_order(make):
    """Ties in the others' value go to the package first in file order (issues, then options,
    as written)."""
    flat = {"posture": {"robust": 0.5, "balanced": 0.5, "diplomatic": 0.5}}
    scenario = make(
        disagreements=talks(
            preferences={
                "un": {
                    "weights": {"posture": 0.5, "share": 0.5},
                    "values": {**flat, "share": {"un_heavy": 0.5, "split": 0.5}},
                    "reservation": 0.1,
                    "aspiration": 0.2,
                },
                "au": {
                    "weights": {"posture": 0.5, "share": 0.5},
                    "values": {**flat, "share": {"un_heavy": 0.0, "split": 1.0}},
                    "reservation": 0.1,
                    "aspiration": 0.2,
                },
            }
        )
    )
    game = Game.new(scenario)
    # The UN accepts every package; the AU values the three with 50/50 alike: Robust first.
    assert game.offers("talks")["un"] == (("posture", "robust"), ("share", "split"))


def test_a_party_that_accepts_nothing_now_makes_no_offer(make):
    """A party whose lowest accepted value is above every package states no offer (())."""
    scenario = make(disagreements=talks(), stakeholders={"au": {"trust": 0}})
    game = Game.new(scenario)
    # The AU at trust 0 accepts 0.9 + 0.1 = 1.0 or more: Robust / UN 70% is worth 1.0 to it.
    assert game.offers("talks")["au"] == ROBUST_UN_HEAVY
    scenario = make(
        disagreements=talks(preferences={**talks()["talks"]["preferences"]}),
        stakeholders={"un": {"trust": 0}},
    )
    # The UN at trust 0 wants 0.9 + 0.1 = 1.0: Diplomatic / 50-50 is exactly 1.0 to it.
    assert Game.new(scenario).offers("talks")["un"] == DIPLOMATIC_SPLIT
    d = talks()["talks"]
    d["preferences"]["un"]["aspiration"] = 1.0
    scenario = make(disagreements={"talks": d}, stakeholders={"un": {"trust": 0}})
    assert Game.new(scenario).offers("talks")["un"] == ()


def test_offers_none_and_after_refusal(make):
    """`offers: none`: no party ever states an offer. `offers: after_refusal`: a party states
    its offer once it has refused a proposal there, at once and at the start of later turns."""
    quiet = Game.new(make(disagreements=talks(offers="none")))
    assert quiet.offers("talks") == {}
    quiet.apply(EndTurn())
    assert quiet.offers("talks") == {}
    game = Game.new(make(disagreements=talks(offers="after_refusal")))
    assert game.offers("talks") == {}
    outcome = game.apply(Propose.of("talks", dict(ROBUST_UN_HEAVY)))  # the UN refuses
    assert outcome.proposal is not None and not outcome.proposal.agreed
    assert game.offers("talks") == {"un": DIPLOMATIC_SPLIT}
    game.apply(EndTurn())
    assert list(game.offers("talks")) == ["un"]


def test_offers_are_information_only(make):
    """Offers change no value: the same actions give the same reports with offers on or off."""
    played = []
    for mode in ("each_turn", "none", "after_refusal"):
        game = Game.new(make(disagreements=talks(offers=mode)))
        game.apply(Propose.of("talks", dict(ROBUST_UN_HEAVY)))
        game.apply(EndTurn())
        game.apply(Propose.of("talks", {"posture": "balanced", "share": "split"}))
        game.apply(EndTurn())
        played.append([(r.changes, r.after, r.values) for r in game.reports])
    assert played[0] == played[1] == played[2]


def test_an_offer_beyond_the_package_limit_is_searched_greedily_and_accepted(make):
    """Beyond MAX_PACKAGES packages, an offer is found by a bounded greedy trade-off search; it
    is still a package the party accepts now."""
    d = talks()["talks"]
    for i in range(14):  # 6 * 2**14 = 98,304 packages
        d["issues"][f"i{i}"] = {"label": f"I{i}", "options": {"a": "A", "b": "B"}}
        for party, (a, b) in (("un", (1.0, 0.0)), ("au", (0.0, 1.0))):
            d["preferences"][party]["weights"][f"i{i}"] = 0.1
            d["preferences"][party]["values"][f"i{i}"] = {"a": a, "b": b}
    scenario = make(disagreements={"talks": d})
    talks_ = scenario.disagreements["talks"]
    assert package_count(talks_) > MAX_PACKAGES
    un = talks_.preferences["un"]
    floor = lowest_accepted(un, 0.0, 60)
    found = offer(talks_, "un", floor, ["au"])
    assert found is not None and utility(un, found) >= floor
    game = Game.new(scenario)
    assert game.offers("talks")["un"] == tuple((i, found[i]) for i in talks_.issues)


def test_a_refusal_says_which_way_and_what_the_party_accepts_now(make):
    """A refusal names the issue that costs the party most, the options it prefers there
    (best first) and the lowest value it accepts now."""
    game = Game.new(make(disagreements=talks()))
    outcome = game.apply(Propose.of("talks", {"posture": "robust", "share": "split"}))
    assert outcome.proposal is not None
    un = {a.party: a for a in outcome.proposal.answers}["un"]
    assert not un.accepts and un.objection == "posture"
    assert un.prefers == ("diplomatic", "balanced")  # 1.0, then 0.7, against Robust's 0.1
    assert un.floor == pytest.approx(0.88 - 1e-9)
    assert un.utility == pytest.approx(0.46)


def test_knowledge_starts_with_what_is_public(make):
    """`public: [weights, options]` on a party's preferences: the trainee knows its issue
    weights, its preferred option on every issue, from the start."""
    d = talks()["talks"]
    d["preferences"]["un"]["public"] = ["weights"]
    d["preferences"]["au"]["public"] = ["options", "weights"]
    game = Game.new(make(disagreements={"talks": d}, difficulty="hard"))
    # (offers reveal nothing more here: the UN's offer keeps its best options.)
    known = game.knowledge("talks")
    assert known["au"] == Known(True, ("posture", "share"))
    assert known["un"].weights


def test_offers_and_refusals_reveal_preferred_options(make):
    """An offer discloses the party's preferred option on each issue where it keeps it; a
    refusal (below `hard`) the preferred option on the issue it names; at `hard`, nothing."""
    game = Game.new(make(disagreements=talks(offers="none")))
    assert game.knowledge("talks") == {"un": Known(), "au": Known()}
    game.apply(Propose.of("talks", {"posture": "robust", "share": "split"}))  # UN: posture
    assert game.knowledge("talks")["un"] == Known(False, ("posture",))
    hard = Game.new(make(disagreements=talks(offers="none"), difficulty="hard"))
    hard.apply(Propose.of("talks", {"posture": "robust", "share": "split"}))
    assert hard.knowledge("talks")["un"] == Known()
    offered = Game.new(make(disagreements=talks()))
    # The UN's offer Diplomatic / 50-50 keeps its best option on both issues.
    assert offered.knowledge("talks")["un"] == Known(False, ("posture", "share"))


def test_reveal_effect_discloses_weights_options_or_both(make):
    """`{reveal: <party | all | parties>, disagreement: d, what: weights | options | all}`
    discloses that much of those parties' positions; it changes no value."""
    events = {
        "cell": {
            "title": "Joint assessment cell",
            "turn": 1,
            "effects": [{"reveal": "all", "disagreement": "talks", "what": "weights"}],
        },
        "leak": {
            "title": "A leak",
            "turn": 2,
            "effects": [{"reveal": "au", "disagreement": "talks", "what": "options"}],
        },
    }
    game = Game.new(make(disagreements=talks(offers="none"), events=events))
    assert game.knowledge("talks") == {"un": Known(True), "au": Known(True)}
    assert game.changes_now == Game.new(make(disagreements=talks(offers="none"))).changes_now
    game.apply(EndTurn())
    assert game.knowledge("talks")["au"] == Known(True, ("posture", "share"))
    assert game.knowledge("talks")["un"] == Known(True)


def test_knowledge_is_kept_by_copies_and_rebuilt_by_replay(make):
    """Knowledge is part of the game's state: a copy keeps it, and replaying the action log
    rebuilds it."""
    scenario = make(disagreements=talks(offers="none"))
    game = Game.new(scenario)
    game.apply(Propose.of("talks", {"posture": "robust", "share": "split"}))  # AU: share
    copy = game.copy()
    copy.apply(Propose.of("talks", {"posture": "diplomatic", "share": "un_heavy"}))  # posture
    assert copy.knowledge("talks")["au"] == Known(False, ("posture", "share"))
    assert game.knowledge("talks")["au"] == Known(False, ("share",))  # the copy's is its own
    replayed = Game.new(scenario)
    for action in game.actions:
        replayed.apply(action)
    assert replayed.knowledge("talks") == game.knowledge("talks")


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        ({"reveal": "un", "what": "weights"}, "a reveal effect needs 'disagreement"),
        ({"reveal": "un", "disagreement": "talks", "add": 1}, "has no 'add' or 'set'"),
        ({"reveal": "fgs", "disagreement": "talks"}, "'fgs' is not a party of disagreement"),
        ({"reveal": "un", "disagreement": "nope"}, "unknown disagreement 'nope'"),
        ({"metric": "stability", "add": 1, "what": "weights"}, "belongs to a reveal effect"),
    ],
)
def test_a_bad_reveal_effect_is_refused_with_its_place(effect, message):
    """A reveal effect names a disagreement and parties of it, with no add or set."""
    data = merge(BASE, {"disagreements": talks()})
    data["stakeholders"]["fgs"] = {"name": "FGS", "kind": "nation", "trust": 50}
    data["events"] = {"e": {"title": "E", "turn": 1, "effects": [effect]}}
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(yaml.safe_dump(data), "tiny.yaml")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("difficulty", "words"),
    [
        ("hard", "objects to Posture"),
        ("standard", "wants Posture nearer Diplomatic, then Balanced"),
        (
            "intro",
            "wants Posture nearer Diplomatic, then Balanced (values this package at 0.46; "
            "accepts 0.88 or more now)",
        ),
    ],
)
def test_refusal_words_by_difficulty(make, difficulty, words):
    """A refusal in words: hard only the issue, standard the direction, intro also the party's
    value of the package against the lowest it accepts now."""
    game = Game.new(make(disagreements=talks(), difficulty=difficulty))
    outcome = game.apply(Propose.of("talks", {"posture": "robust", "share": "split"}))
    assert outcome.proposal is not None
    un = {a.party: a for a in outcome.proposal.answers}["un"]
    assert refusal_words(game.s, "talks", un, difficulty) == words


def test_validate_warns_when_no_plausible_trust_settles_the_talks_naming_the_blocker():
    """`validate` warns when no package is agreed at the deadline with each party's trust 20
    above its start (a package would be at trust 100), and names the party that blocks."""
    d = talks()["talks"]
    d["preferences"]["au"]["reservation"] = 0.75
    data = merge(BASE, {"disagreements": {"talks": d}, "stakeholders": {"au": {"trust": 0}}})
    scenario, problems = check_scenario(yaml.safe_dump(data), "tiny.yaml")
    assert scenario is not None
    warned = [p.message for p in problems if "plausibly reach" in p.message]
    # The AU at trust 20 accepts 0.81 or more: only Robust / UN 70%, which the UN refuses;
    # the AU alone refuses four of the other five packages.
    assert len(warned) == 1 and "African Union (au) blocks" in warned[0]
    data["stakeholders"]["au"]["trust"] = 40  # at 60: the AU accepts 0.77, Robust/50-50 passes
    _, problems = check_scenario(yaml.safe_dump(data), "tiny.yaml")
    assert not [p for p in problems if "plausibly reach" in p.message]


def test_validate_says_when_a_disagreement_has_too_many_packages_to_check():
    """Beyond 100,000 packages validate does not look for an agreement, and says so."""
    d = talks()["talks"]
    for i in range(15):  # 6 * 2**15 = 196,608 packages
        d["issues"][f"i{i}"] = {"label": f"I{i}", "options": {"a": "A", "b": "B"}}
        for party in ("un", "au"):
            d["preferences"][party]["weights"][f"i{i}"] = 0.1
            d["preferences"][party]["values"][f"i{i}"] = {"a": 1.0, "b": 0.0}
    data = merge(BASE, {"disagreements": {"talks": d}})
    _, problems = check_scenario(yaml.safe_dump(data), "tiny.yaml")
    assert any(
        "196,608 packages, more than 100,000: validate does not check" in p.message
        for p in problems
    )


def test_knowledge_and_offers_survive_a_save_and_load(tmp_path):
    """A saved game, loaded again (its action log replayed), knows what it knew and shows the
    same offers."""
    path = SHIPPED / "hybrid_mandate.yaml"
    game = Game.new(load_scenario(path), 4)
    while game.state.disagreements["mandate_scope"].status != "open":
        for event in game.state.pending:
            for choice in game.s.events[event].choices:
                if game.apply(Choose(event, choice)):
                    break
        game.apply(EndTurn())
    game.apply(Propose.of("mandate_scope", {"posture": "robust", "poc": "full"}))
    known = game.knowledge("mandate_scope")
    assert any(k.options for k in known.values())
    saved = save_game_to(game, tmp_path / "game.json", scenario_path=path)
    loaded = load_game(saved).game
    assert loaded.knowledge("mandate_scope") == known
    assert loaded.offers("mandate_scope") == game.offers("mandate_scope")


def test_the_graph_draws_a_reveal_as_writing_to_its_talks(make):
    """`accord graph`: a reveal effect writes what the trainee knows of the talks."""
    events = {
        "cell": {
            "title": "Cell",
            "turn": 1,
            "effects": [{"reveal": "un", "disagreement": "talks", "what": "weights"}],
        }
    }
    graph = scenario_graph(make(disagreements=talks(), events=events))
    assert (("event", "cell"), ("talks", "talks")) in graph.writes


def test_talks_that_close_have_no_offers(make):
    """Once agreed (or failed), talks show no offers, though the turn's offers were stated."""
    game = Game.new(make(disagreements=talks()))
    offers = game.offers("talks")
    assert offers
    game.apply(EndTurn())
    game.apply(EndTurn())
    # Turn 3, τ 1: the UN accepts 0.48 or more, the AU 0.5; Balanced / UN 70% is worth 0.5 and
    # 0.8 to them.
    assert game.apply(Propose.of("talks", {"posture": "balanced", "share": "un_heavy"})).ok
    assert game.state.disagreements["talks"].status == "agreed"
    assert game.offers("talks") == {}


def test_offers_follow_the_turn_the_talks_opened(make):
    """Offers are kept per scenario, but talks that open on different turns (`opens.when`) are
    at different points of their concession at the same age: each game gets its own."""
    scenario = make(
        disagreements=talks(opens={"when": "flag.go >= 1"}, deadline=4),
        events={
            "ask": {"title": "Ask", "turn": 1, "choices": {
                "now": {"label": "Now", "effects": [{"flag": "go", "set": 1}]},
                "wait": {"label": "Wait"}}},
            "late": {"title": "Late", "turn": 2, "effects": [{"flag": "go", "set": 1}]},
        },
    )  # fmt: skip
    early, late = Game.new(scenario), Game.new(scenario)
    early.apply(Choose("ask", "now"))
    late.apply(Choose("ask", "wait"))
    for game in (early, late):
        game.apply(EndTurn())  # turn 2: the early talks open
    early.apply(EndTurn())  # turn 3: the early talks are one turn old, τ 1/2
    assert early.board.opened["talks"] == 2
    # The AU accepts 0.7 or more: Robust/UN 70%, Robust/50-50, Balanced/UN 70%; the UN values
    # them 0.14, 0.46, 0.5.
    assert early.offers("talks")["au"] == (("posture", "balanced"), ("share", "un_heavy"))
    late.apply(EndTurn())
    late.apply(EndTurn())  # turn 4: the late talks are one turn old too, but τ is 1
    assert late.board.opened["talks"] == 3
    # The AU accepts 0.5 or more: Balanced / 50-50 too, which the UN values 0.82.
    assert late.offers("talks")["au"] == (("posture", "balanced"), ("share", "split"))


def test_offers_are_the_turns_start_whenever_they_are_read():
    """A turn's offers are the parties' positions at the start of the turn, however trust
    moves during it, and what they disclose is learnt even when nobody reads them: a game
    read at every turn's start and a game read only once its turn's decisions are made (or
    only at the end, or only one disagreement's offers at each turn's start, as a bot reads
    them) say the same."""
    from game.playtest.policies import play_game

    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    log = play_game(scenario, "random", 7).actions
    talks_ids = list(scenario.disagreements)
    early, late, never, one = (Game.new(scenario) for _ in range(4))
    seen_early: list[dict[str, object]] = []
    seen_late: list[dict[str, object]] = []
    moved = 0
    trust_at_start = dict(late.state.trust)

    def read(game: Game) -> dict[str, object]:
        return {did: game.offers(did) for did in talks_ids}

    seen_early.append(read(early))
    seen_one = [one.offers(talks_ids[0])]
    for action in log:
        if isinstance(action, EndTurn):
            seen_late.append(read(late))
            moved += late.state.trust != trust_at_start
        for game in (early, late, never, one):
            assert game.apply(action).ok
        if isinstance(action, EndTurn) and not early.finished:
            seen_early.append(read(early))
            seen_one.append(one.offers(talks_ids[0]))
            trust_at_start = dict(late.state.trust)
    assert seen_one == [turn[talks_ids[0]] for turn in seen_early]
    assert moved > 0  # trust did move during some turns before the late reading
    # Talks agreed or failed during a turn make no offers for its rest: the others compare.
    for late_turn, early_turn in zip(seen_late, seen_early, strict=False):
        for did, offers in late_turn.items():
            assert offers in ({}, early_turn[did])
    assert sum(bool(o) for turn in seen_late for o in turn.values()) > 5
    assert any(any(offers.values()) for offers in seen_early)  # offers were made
    for did in talks_ids:
        assert never.knowledge(did) == early.knowledge(did) == late.knowledge(did)
        assert one.knowledge(did) == never.knowledge(did)


def test_an_offer_read_after_trust_moved_is_still_the_turns_opening_offer(make):
    """Offers are stated at the start of the turn: trust that rises during the turn moves
    them at the next turn's start, not before, however late they are first read."""
    from game.engine import Activate

    courtesy = {
        "courtesy": {
            "label": "Courtesy",
            "kind": "bilateral",
            "partners": ["au"],
            "on_activate": [{"trust": "un", "add": 40}],
        }
    }
    scenario = make(disagreements=talks(), strategies=courtesy)
    read_first, read_late = Game.new(scenario), Game.new(scenario)
    opening = read_first.offers("talks")
    for game in (read_first, read_late):
        assert game.apply(Activate("courtesy")).ok
    assert read_late.state.trust["un"] == 100
    # At trust 100 the UN would accept Balanced / 50-50 (0.82) too, and offer it (the AU
    # values it more): but that is next turn's news.
    assert read_late.offers("talks") == read_first.offers("talks") == opening
    assert opening["un"] == DIPLOMATIC_SPLIT
