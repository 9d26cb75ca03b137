"""The debrief counts side payments and says when an agreement broke (issue 16)."""

from __future__ import annotations

from pathlib import Path

from game.debrief import build_debrief, render_markdown, render_text, to_json
from game.engine import EndTurn, Game, Propose
from game.library import load_scenario
from game.scenario import parse_scenario

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ceasefire_deal.yaml"


def _played() -> Game:
    game = Game.new(load_scenario(FIXTURE))
    refused = Propose.of("ceasefire", {"withdrawal": "cantoned"}, {"militia": {"funding": 5}})
    paid = Propose.of("ceasefire", {"withdrawal": "cantoned"}, {"militia": {"funding": 7}})
    for action in (refused, paid):
        assert game.apply(action).ok
    while not game.finished:
        game.apply(EndTurn())
    return game


def test_the_review_counts_side_payments_and_names_the_breach() -> None:
    game = _played()
    d = build_debrief(game)
    (n,) = d.negotiations
    assert n.offered == 2
    assert [(p.turn, p.party, p.resource, p.units) for p in n.side_payments] == [
        (1, "militia", "funding", 7)
    ]
    # The refusal cost a point of the militia's trust (44), so raids take it under 35 a turn
    # sooner than in the playthrough: 34 after turn 3, broken at turn 4, reopened until 6.
    assert [(b.turn, b.party, b.reopened_deadline) for b in n.breaches] == [(4, "militia", 6)]
    text = render_text(d)
    assert "Side payments offered in 2 proposals; paid: 7 Funding to Valley militia" in text
    assert "The agreement broke in" in text and "Valley militia's condition" in text
    markdown = render_markdown(d)
    assert "talks reopened until" in markdown
    talks = to_json(d)["negotiations"][0]
    assert talks["side_payments"] == [
        {"turn": 1, "party": "militia", "resource": "funding", "units": 7}
    ]
    assert talks["breaches"][0]["party"] == "militia"


def test_the_package_comparison_says_it_leaves_the_side_payments_out() -> None:
    """The ceasefire passes only with a side payment: the review's comparison of packages
    (which weighs none) says so, rather than seem to say no agreement was possible."""
    text = " ".join(render_text(build_debrief(_played())).split())
    assert "no package clears every party's reservation" in text
    assert "Packages are compared without side payments: the ones you paid made a package" in text
    bare = Game.new(load_scenario(FIXTURE))
    while not bare.finished:
        bare.apply(EndTurn())
    assert "compared without side payments" not in render_text(build_debrief(bare))


def test_a_game_with_side_payments_and_a_breach_saves_and_loads(tmp_path: Path) -> None:
    """The save keeps each proposal's transfers; loading replays them into the same game."""
    from game.saves.store import save_game_to
    from game.saves.verify import load_game

    game = _played()
    path = save_game_to(game, tmp_path / "deal.json", scenario_path=FIXTURE)
    loaded = load_game(path)
    assert loaded.game.actions == game.actions
    assert loaded.game.state == game.state
    assert loaded.game.reports[-1].breaches == game.reports[-1].breaches


def test_an_agreement_left_broken_is_a_point_to_improve() -> None:
    """Without `reopens` a broken agreement stays broken: the debrief says when it broke."""
    text = FIXTURE.read_text(encoding="utf-8").replace("    reopens: {deadline: 2}\n", "")
    game = Game.new(parse_scenario(text, "ceasefire.yaml"))
    paid = Propose.of("ceasefire", {"withdrawal": "cantoned"}, {"militia": {"funding": 7}})
    assert game.apply(paid).ok
    while not game.finished:
        game.apply(EndTurn())
    assert game.state.disagreements["ceasefire"].status == "broken"
    d = build_debrief(game)
    assert d.negotiations[0].status == "broken"
    assert "Agreed, then broken" in render_text(d)
    assert any("Valley ceasefire was agreed, then broke in" in f for f in d.improve)


def test_the_class_decisions_name_the_side_payments() -> None:
    """The instructor's decisions table shows what each proposal offered to pay."""
    from game.debrief.classroom import decision_rows

    rows = [r for r in decision_rows(_played(), player=None, name="t") if r.action == "propose"]
    assert rows[0].details == "ceasefire: withdrawal=cantoned; pays militia 5 funding"
    assert rows[0].result == "refused" and rows[1].result == "accepted"
    assert rows[1].details.endswith("pays militia 7 funding")


def test_talks_reopened_past_the_last_turn_are_said_to_run_to_the_end_of_the_game() -> None:
    """A breach late in the game whose reopened deadline falls after the last turn: the turn
    report and the debrief say the talks run to the end of the game, and the review's deadline
    is the reopened one, not the first."""
    from game.debrief.deals import breach_words

    text = FIXTURE.read_text().replace("reopens: {deadline: 2}", "reopens: {deadline: 9}")
    scenario = parse_scenario(text, str(FIXTURE))
    game = Game.new(scenario)
    paid = Propose.of("ceasefire", {"withdrawal": "cantoned"}, {"militia": {"funding": 7}})
    assert game.apply(paid).ok
    while not game.finished:
        game.apply(EndTurn())
    breaches = [b for report in game.reports for b in report.breaches]
    assert breaches and breaches[0].reopened_deadline > scenario.model.turns
    words = breach_words(scenario, breaches[0])
    assert "talks reopen until the end of the game" in words and "turn 1" not in words
    d = build_debrief(game)
    (n,) = d.negotiations
    assert n.deadline == breaches[0].reopened_deadline
    review = render_text(d)
    assert "talks reopened until the end of the game" in review
    assert "Still open at the end of the game" in review


def test_each_week_says_whose_trust_moved() -> None:
    """The week-by-week names each partner whose trust moved (raids drain the militia's):
    a week where only trust moved no longer reads "nothing moved"."""
    d = build_debrief(_played())
    week = next(t for t in d.timeline if any("Valley militia" in x for x in t.trust))
    assert any(x.startswith("Valley militia ") and " → " in x for x in week.trust)
    assert f"Trust: {week.trust[0]}" in " ".join(render_text(d).split())
    assert to_json(d)["turns"][week.turn - 1]["trust"] == list(week.trust)
