"""Dominance: a fixed policy within 2 points of the best policy's mean is named."""

from __future__ import annotations

from game.playtest import batches, policy_names
from game.playtest.runner import combined_json, dominant
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
