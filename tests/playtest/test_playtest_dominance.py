"""Dominance: a fixed policy within 2 points of the best policy's mean is named."""

from __future__ import annotations

from collections import Counter

from game.playtest import batches, policy_names
from game.playtest.runner import BatchResult, combined_json, dominance, dominant
from game.playtest.text import dominance as text_dominance
from game.scenario import Scenario


def test_the_dominant_line_is_detected(lopsided: Scenario) -> None:
    """All effort into `good` is as good as thinking; `bad` and idling are not."""
    results = batches(lopsided, policy_names(lopsided), 12, seed=1, workers=1)
    names = dominant(results)
    assert "fixed:line=good" in names
    assert "fixed:line=bad" not in names
    assert "fixed:idle" not in names
    assert all(name.startswith("fixed:") for name in names)


def test_greedy_finds_the_good_line(lopsided: Scenario) -> None:
    results = {r.policy: r for r in batches(lopsided, ["random", "greedy"], 8, 1, 1)}
    assert results["greedy"].mean > results["random"].mean + 10


def test_combined_json_lists_policies_and_dominant(lopsided: Scenario) -> None:
    results = batches(lopsided, policy_names(lopsided), 6, seed=2, workers=1)
    data = combined_json(results)
    assert [p["policy"] for p in data["policies"]] == policy_names(lopsided)
    assert data["dominant"] == dominant(results)
    assert data["runs"] == 6 and data["seed"] == 2


def test_no_dominant_policy_when_thinking_pays(tiny: Scenario) -> None:
    """In the tiny scenario nothing fixed matches the best (the pact and patrols both pay)."""
    results = batches(tiny, ["random", "fixed:idle"], 10, seed=1, workers=1)
    assert dominant(results) == []


def _batch(scenario: Scenario, policy: str, scores: list[float], grades: str) -> BatchResult:
    return BatchResult(
        scenario, policy, len(scores), 1, 0.1, scores, Counter(grades), Counter(), Counter(), {}
    )


def test_a_fixed_plan_that_is_best_is_not_measured_against_itself(lopsided: Scenario) -> None:
    """Without the expert, the reference is greedy (the best policy that is not a fixed
    plan), never the fixed plan on top."""
    results = [
        _batch(lopsided, "random", [60.0, 62.0], "CC"),
        _batch(lopsided, "greedy", [70.0, 70.0], "BB"),
        _batch(lopsided, "fixed:line=good", [82.0, 82.6], "AA"),
        _batch(lopsided, "fixed:line=bad", [66.0, 66.0], "CC"),
    ]
    d = dominance(results)
    assert d["best"] == "fixed:line=good" and d["against"] == "greedy"
    assert d["dominant"] == ["fixed:line=good"]
    text = "\n".join(text_dominance(results))
    assert "DOMINANT: within 2 points of greedy (70.0)" in text
    assert "of fixed:" not in text


def test_a_plan_level_with_greedy_is_an_easy_answer(lopsided: Scenario) -> None:
    results = [
        _batch(lopsided, "random", [60.0, 62.0], "CC"),
        _batch(lopsided, "greedy", [82.2, 82.2], "AB"),
        _batch(lopsided, "expert", [92.1], "A"),
        _batch(lopsided, "fixed:line=good", [82.3, 82.3], "AA"),
        _batch(lopsided, "fixed:line=bad", [79.0, 79.0], "BB"),
    ]
    d = dominance(results)
    assert d["dominant"] == []
    assert list(d["easy"]) == ["fixed:line=good"]
    assert d["easy"]["fixed:line=good"]["as_good_as_greedy"]
    assert d["easy"]["fixed:line=good"]["all_grade_a"]
    text = " ".join(text_dominance(results))
    assert (
        "fixed:line=good (82.3) does as well as the greedy bot (82.2) and gets grade A in every "
        "game: a one-track plan is enough to play like a competent player."
    ) in text
    assert combined_json(results)["dominance"]["easy"] == d["easy"]


def test_a_plan_with_grade_a_in_every_game_is_an_easy_answer(lopsided: Scenario) -> None:
    results = [
        _batch(lopsided, "random", [60.0, 62.0], "CC"),
        _batch(lopsided, "greedy", [95.0, 95.0], "AA"),
        _batch(lopsided, "fixed:line=good", [85.0, 86.0], "AA"),
    ]
    assert dominance(results)["easy"]["fixed:line=good"]["all_grade_a"]
    text = " ".join(text_dominance(results))
    assert "fixed:line=good (85.5) gets grade A in every game" in text
    assert "+0.0" not in text and "-0.0" not in text
