"""Where the mission is heading (game/outlook.py): thresholds within reach, read from the game's
own moves, and the "on current course" rollout of the current plan on a copy of the game."""

from __future__ import annotations

from game.engine import Allocate, EndTurn, Game
from game.outlook import alerts, course, course_lines, current_plan, rollout

SLIDE = {
    "stakeholders": {"un": {"withdraws_below": 40}},
    "rules": [
        {
            "label": "Drift",
            "effects": [{"trust": "un", "add": -5}, {"metric": "stability", "add": -4}],
        }
    ],
    "endings": {
        "collapse": {
            "check": "each_turn",
            "when": "stability < 30",
            "grade": "F",
            "title": "Collapse",
            "text": "It fell apart.",
        },
        "done": {"check": "at_end", "when": "true", "text": "Over."},
    },
}


def test_nothing_is_within_reach_before_a_move_has_been_seen(make) -> None:
    game = Game.new(make(**SLIDE))
    assert alerts(game) == []


def test_a_partner_and_an_ending_within_one_turns_largest_move(make) -> None:
    """UN's trust falls 5 a turn and it leaves below 40; stability falls 4 a turn and the
    mission collapses below 30: each is alerted once the gap is no more than the largest
    one-turn move seen, and not before."""
    game = Game.new(make(**SLIDE))  # UN 60, stability 50
    game.apply(EndTurn())  # UN 55, stability 46: far from both
    assert alerts(game) == []
    for _ in range(2):
        game.apply(EndTurn())  # UN 45, stability 38
    found = alerts(game)
    assert [a.partner for a in found] == ["un"]
    said = "United Nations is near walking out: trust 45, walks out below 40 (5 away"
    assert said in found[0].text
    game.apply(EndTurn())  # UN 40, stability 34: the collapse is 4 away, as far as one move
    found = alerts(game)
    assert [(a.partner, a.ending) for a in found] == [("un", None), (None, "collapse")]
    assert found[1].text.startswith("Collapse (grade F) is within reach: Stability < 30 is 4")


def test_the_course_repeats_the_plan_and_is_deterministic(make) -> None:
    """The rollout plays a copy: the game itself does not move; the same game gives the same
    course; the walkout and the ending it reaches are those of playing the plan for real."""
    game = Game.new(make(**SLIDE))
    game.apply(Allocate("security", "funding", 5))
    before = game.state.to_json()
    found = rollout(game)
    assert game.state.to_json() == before
    assert rollout(game) == found
    assert course(game) is course(game)  # worked out once for the same plan
    real = game.copy()
    while not real.finished:
        if not any(a for line in real.state.allocations.values() for a in line.values()):
            real.apply(Allocate("security", "funding", 5))
        real.apply(EndTurn())
    assert (found.ending, found.last_turn, found.score) == (real.ending, real.turn, real.score)
    assert found.leaving == tuple((sid, r.turn) for r in real.reports for sid in r.withdrawn)
    assert found.leaving  # UN leaves on the way: the projection says when
    lines = course_lines(game, found)
    assert lines[0].startswith(f"On current course: {game.s.endings[found.ending].title}")
    (partner, turn), *_ = found.leaving
    assert partner == "un"
    said = f"On current course, United Nations walks out in Turn {turn}."
    assert said in lines


def test_a_new_turn_repeats_last_turns_allocation(make) -> None:
    game = Game.new(make(**SLIDE))
    game.apply(Allocate("security", "funding", 7))
    game.apply(EndTurn())
    assert current_plan(game) == (("security", "funding", 7),)
    found = rollout(game)
    assert found.repeats_last_turn
    assert course_lines(game, found)[0].startswith(
        "On current course (last turn's allocation repeated): "
    )
    game.apply(Allocate("security", "funding", 1))
    assert current_plan(game) == (("security", "funding", 1),)
    assert not rollout(game).repeats_last_turn
