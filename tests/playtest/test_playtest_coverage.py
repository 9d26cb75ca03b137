"""Coverage and never-reached lists, on a scenario whose reachable content is known."""

from __future__ import annotations

from game.playtest import run_batch
from game.playtest.coverage import inventory
from game.scenario import Scenario

UNREACHABLE = [
    "events.never",
    "choices.opening.stay",
    "strategies.dream",
    "agreements.deal",
    "endings.calm_end",
    "lessons.1",
]


def test_never_reached_lists_exactly_the_unreachable_content(tiny: Scenario) -> None:
    """Everything that cannot happen is listed, in file order, and nothing else."""
    data = run_batch(tiny, "random", 40, seed=1, workers=1)
    assert data["never_reached"] == UNREACHABLE


def test_coverage_counts_games_that_reached_each_item(tiny: Scenario) -> None:
    """Content every game must reach is counted once per game; the rest by how often."""
    data = run_batch(tiny, "random", 40, seed=1, workers=1)
    cov = data["coverage"]
    assert cov["events"] == {"opening": 40, "never": 0}
    assert cov["choices"] == {"opening.go": 40, "opening.stay": 0}
    assert cov["endings"] == {"calm_end": 0, "done": 40}
    assert cov["lessons"] == {"0": 40, "1": 0}
    assert 0 < cov["strategies"]["pact"] <= 40 and cov["strategies"]["dream"] == 0
    assert 0 < cov["agreements"]["accord"] <= 40 and cov["agreements"]["deal"] == 0
    assert data["endings"] == {"calm_end": 0, "done": 40}
    assert sum(data["grades"].values()) == 40


def test_json_has_the_fields_of_the_format(tiny: Scenario) -> None:
    data = run_batch(tiny, "random", 10, seed=5, workers=1)
    assert {"scenario", "policy", "runs", "seed", "seconds", "games_per_second", "score",
            "grades", "endings", "coverage", "never_reached"} <= set(data)  # fmt: skip
    assert [data[k] for k in ("scenario", "policy", "runs", "seed")] == ["tiny", "random", 10, 5]
    assert list(data["grades"]) == ["A", "B", "C", "D", "F"]
    score = data["score"]
    assert list(score) == ["mean", "stdev", "min", "p10", "p50", "p90", "max"]
    assert score["min"] <= score["p10"] <= score["p50"] <= score["p90"] <= score["max"]
    assert data["paths"]["done"] == {"run": 0, "seed": 5}


def test_inventory_locates_every_item_in_the_file(tiny: Scenario) -> None:
    """The never-reached report points at real lines of the scenario file."""
    lines = {item.name: item.line for item in inventory(tiny)}
    assert all(line > 0 for line in lines.values())
    assert lines["events.never"] > lines["events.opening"]
    assert lines["lessons.1"] == lines["lessons.0"] + 1
