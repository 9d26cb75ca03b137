"""Turning points, the score, strategy runs and partnerships on tiny games checked by hand."""

from __future__ import annotations

import pytest

from game.debrief import build_debrief, group_causes, render_text, strategy_runs, turning_points
from game.engine import Activate, Allocate, Change, EndStrategy, EndTurn, Game
from game.library import SHIPPED, load_scenario
from game.numbers import change_shown, shown_amounts, signed
from game.playtest import play_game
from game.scenario import Scenario, parse_scenario
from game.tui.screens.report import report_markup

TURNS = """
format: accord/1
id: tiny_turns
title: Tiny turns
summary: Keep the market calm.
turns: 4
turn_label: week
metrics:
  calm: {label: Calm, start: 50, headline: true}
  support: {label: Support, start: 40}
resources:
  troops: {label: Troops, per_turn: 4}
lines_of_effort:
  patrols:
    label: Patrols
    accepts: [troops]
    effects:
      - {metric: calm, add: "2 * alloc.patrols.troops"}
events:
  riot:
    title: Riot in the market
    turn: 3
    effects: [{metric: calm, add: -10}, {metric: support, add: -5}]
rules:
  - {label: Unrest, effects: [{metric: calm, add: -3}]}
  - label: Rumours
    when: "turn == 3"
    effects: [{metric: calm, add: -4, note: Rumours after the riot}]
endings:
  calm_market: {check: at_end, when: "calm >= 60", title: Calm market, text: The market is calm.}
  over: {check: at_end, when: "true", text: Over.}
scoring:
  score: "0.5 * mean(calm) + 0.5 * final(support)"
"""


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return parse_scenario(TURNS, "tiny.yaml")


def play(scenario: Scenario, troops_per_week: list[int]) -> Game:
    game = Game.new(scenario)
    for troops in troops_per_week:
        if troops:
            assert game.apply(Allocate("patrols", "troops", troops)).ok
        assert game.apply(EndTurn()).ok
    return game


def test_turning_points_are_the_largest_headline_moves_largest_first(tiny: Scenario) -> None:
    """Calm goes 50 → 55 (+8 patrols, −3 unrest) → 54 (+2, −3) → 41 (riot −10, patrols +4,
    unrest −3, rumours −4) → 38 (−3): the turning points are week 3, week 1, then week 4
    (week 4's −3 beats week 2's −1)."""
    game = play(tiny, [4, 1, 2, 0])
    points = turning_points(game, "calm")
    assert [(p.turn, p.change) for p in points] == [(3, -13), (1, 5), (4, -3)]
    assert (points[0].before, points[0].after) == (54, 41)


def test_causes_come_from_the_ledger_largest_first_ties_in_ledger_order(tiny: Scenario) -> None:
    """Week 3: the riot (−10) first; patrols (+4) and rumours (−4) tie, and the patrols come
    first in the ledger; the rule's note names its cause. The causes sum to the move."""
    game = play(tiny, [4, 1, 2, 0])
    week3 = turning_points(game, "calm")[0]
    assert [(c.cause, c.change) for c in week3.causes] == [
        ("Riot in the market", -10),
        ("Patrols", 4),
        ("Rumours after the riot", -4),
        ("Unrest", -3),
    ]
    assert sum(c.change for c in week3.causes) == pytest.approx(week3.change)
    assert all(c.line > 0 for c in week3.causes)


def test_turning_point_count_and_other_metrics(tiny: Scenario) -> None:
    """Support moves once (the riot, −5 in week 3); asking for one calm point gives week 3."""
    game = play(tiny, [4, 1, 2, 0])
    assert [(p.turn, p.change) for p in turning_points(game, "support")] == [(3, -5)]
    assert [p.turn for p in turning_points(game, "calm", count=1)] == [3]
    assert turning_points(game, "calm", count=0) == ()


def test_equal_moves_keep_the_earlier_turn_first(tiny: Scenario) -> None:
    """With no patrols, weeks 1, 2 and 4 each lose 3: week 3 first, then weeks 1 and 2."""
    game = play(tiny, [0, 0, 0, 0])
    assert [(p.turn, p.change) for p in turning_points(game, "calm")] == [
        (3, -17),
        (1, -3),
        (2, -3),
    ]


def test_group_causes_sums_lines_with_the_same_cause_and_drops_zero_sums() -> None:
    changes = [
        Change("metric", "calm", 2, "Patrols", 10),
        Change("metric", "calm", -1, "Unrest", 20),
        Change("metric", "calm", 3, "Patrols", 11),
        Change("metric", "calm", 1, "Unrest", 20),
    ]
    causes = group_causes(changes)
    assert [(c.cause, c.change, c.line) for c in causes] == [("Patrols", 5, 10)]


def test_the_debrief_explains_the_score_and_the_grade(tiny: Scenario) -> None:
    """mean(calm) = (55 + 54 + 41 + 38) / 4 = 47 and final(support) = 35, so the score is
    23.5 + 17.5 = 41: grade D under the default thresholds (A 80, B 65, C 50, D 35)."""
    game = play(tiny, [4, 1, 2, 0])
    review = build_debrief(game, player="Amina")
    o = review.outcome
    assert [(t.text, t.value) for t in o.terms] == [
        ("0.5 * mean(calm)", 23.5),
        ("0.5 * final(support)", 17.5),
    ]
    assert (o.score, o.raw_score, o.grade, o.score_grade, o.ending_grade) == (
        41,
        41,
        "D",
        "D",
        None,
    )
    assert o.ending == "over" and o.finished
    assert [g.id for g in review.intent.aim] == ["calm_market"]  # 'when: true' is no aim
    assert review.metric("calm").values == (55, 54, 41, 38)
    assert review.metric("calm").start == 50
    assert review.metrics[0].headline
    assert review.player == "Amina" and review.turns_played == 4


def test_the_timeline_answers_why_a_metric_fell_in_a_given_week(tiny: Scenario) -> None:
    game = play(tiny, [4, 1, 2, 0])
    week3 = build_debrief(game).timeline[2]
    assert week3.turn == 3 and week3.events == ("Riot in the market",)
    support = next(m for m in week3.moves if m.metric == "support")
    assert [(c.cause, c.change) for c in support.causes] == [("Riot in the market", -5)]


STRATEGIES = """
format: accord/1
id: tiny_partners
title: Tiny partners
turns: 4
turn_label: week
metrics:
  calm: {label: Calm, start: 50, headline: true}
resources:
  funding: {label: Funding, per_turn: 3}
stakeholders:
  un: {name: United Nations, kind: international_org, trust: 60}
  au: {name: African Union, kind: regional_org, trust: 50, withdraws_below: 45}
strategies:
  joint_patrols:
    label: Joint patrols
    kind: multilateral
    partners: [un]
    min_turns: 3
    each_turn: [{metric: calm, add: 1}]
    on_early_end: [{trust: un, add: -5}]
  au_cell:
    label: AU cell
    kind: regional
    partners: [au]
    each_turn: [{trust: au, add: -3}]
  costly:
    label: Costly compact
    kind: ngo
    partners: [un]
    upkeep: {funding: 5}
endings:
  over: {check: at_end, when: "true", text: Over.}
scoring:
  score: "final(calm)"
"""


def test_strategy_runs_say_how_long_each_ran_and_how_it_ended() -> None:
    """Week 1: all three start. Week 2 begins with 3 funding, short of the compact's upkeep
    of 5, so it ends (1 week). The player ends the patrols in week 2 after 1 week, short of
    their minimum of 3. The AU cell's −3 a week takes AU trust from 50 to 44 in week 2,
    below 45: the AU withdraws and its cell ends (2 weeks). In week 3 the patrols are
    started and ended again before they run."""
    s = parse_scenario(STRATEGIES, "tiny.yaml")
    game = Game.new(s)
    for sid in ("joint_patrols", "au_cell", "costly"):
        assert game.apply(Activate(sid)).ok
    assert game.apply(EndTurn()).ok
    assert game.apply(EndStrategy("joint_patrols")).ok
    assert game.apply(EndTurn()).ok
    assert game.apply(Activate("joint_patrols")).ok
    assert game.apply(EndStrategy("joint_patrols")).ok
    assert game.apply(EndTurn()).ok
    assert game.apply(EndTurn()).ok
    runs = [(r.strategy, r.started, r.last, r.turns, r.ended, r.ended_turn, r.early)
            for r in strategy_runs(game)]  # fmt: skip
    assert runs == [
        ("joint_patrols", 1, 1, 1, "by you", 2, True),
        ("au_cell", 1, 2, 2, "partner withdrew", 2, False),
        ("costly", 1, 1, 1, "upkeep unpaid", 2, False),
        ("joint_patrols", 3, None, 0, "by you", 3, True),
    ]
    review = build_debrief(game)
    au = next(p for p in review.partnerships if p.id == "au")
    assert au.withdrawn_turn == 2 and au.trust[:2] == (47, 44)
    un = next(p for p in review.partnerships if p.id == "un")
    assert un.strategies == ("Joint patrols", "Costly compact")
    assert un.trust[1] == 55  # the early end of the patrols cost 5
    week2 = review.timeline[1]
    assert week2.withdrawn == ("African Union",)
    assert "Costly compact (upkeep unpaid)" in week2.stopped
    assert any("African Union withdrew in week 2" in line for line in review.improve)


def test_a_strategy_still_running_at_the_end_is_reported_so() -> None:
    s = parse_scenario(STRATEGIES, "tiny.yaml")
    game = Game.new(s)
    assert game.apply(Activate("joint_patrols")).ok
    for _ in range(4):
        assert game.apply(EndTurn()).ok
    (run,) = strategy_runs(game)
    assert (run.turns, run.last, run.ended, run.ended_turn, run.early) == (
        4,
        4,
        "still active at the end",
        None,
        False,
    )


def test_an_unfinished_game_gets_an_interim_review(tiny: Scenario) -> None:
    game = Game.new(tiny)
    review = build_debrief(game)
    assert not review.finished and review.turns_played == 0
    assert review.turning_points == () and review.timeline == ()
    assert review.metric("calm").final == 50


def test_the_debrief_shows_each_movements_causes_as_the_turn_report_does() -> None:
    """The debrief's causes add up to the movement as shown, as the turn report's do: a lone
    3.556 beside -3 and -0.5 of a movement of 0 reads +3.5 in both (the debrief read +3.6)."""
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    checked = differ = 0
    for seed in range(1, 9):
        game = play_game(scenario, "greedy", seed)
        debrief = build_debrief(game)
        text = render_text(debrief)
        for mv in debrief.turning_points:
            amounts = [c.change for c in mv.causes]
            if abs(sum(amounts) - mv.change) > 1e-6:
                continue  # not that movement's own causes alone
            shown = shown_amounts(amounts, mv.before, mv.after)
            assert signed(round(sum(shown), 1)) == change_shown(mv.before, mv.after)
            differ += any(round(a, 1) != b for a, b in zip(amounts, shown, strict=True))
            # The turn report shows the same amounts for that metric's causes.
            report = str(report_markup(scenario, game.reports[mv.turn - 1]))
            for c, amount in zip(mv.causes, shown, strict=True):
                assert f"{signed(amount):>6}  {c.cause}" in text
                assert f"{signed(amount):>6}  {c.cause}" in report
                checked += 1
    assert checked > 20 and differ > 0  # some cause rounded alone would not add up
