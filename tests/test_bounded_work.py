"""Work explosion: a file under the size limits never makes a command search without end. A
disagreement with 30 two-option issues has a billion packages (the debrief and the greedy
bot compare a bounded number and say so); 3,000 misspelt names among 3,000 real ones get a
bounded 'did you mean' search."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from game.debrief.model import PACKAGES_ANALYSED
from game.debrief.negotiations import review_negotiation
from game.engine import Game
from game.playtest.deals import MOST_PACKAGES, options
from game.playtest.policies import play_game
from game.scenario import check_scenario, hints
from game.scenario.compiled import Scenario

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = yaml.safe_load((ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))


def wide(issues: int) -> dict[str, Any]:
    """The tutorial whose patrol plan opens at once with `issues` more two-option issues, on
    which the two parties want opposite options."""
    data = copy.deepcopy(TUTORIAL)
    d = data["disagreements"]["patrol_plan"]
    d["opens"] = {"turn": 1}
    for i in range(issues):
        d["issues"][f"i{i}"] = {"label": f"Issue {i}", "options": {"a": "A", "b": "B"}}
        for party, (a, b) in (("un", (1.0, 0.0)), ("coastal_union", (0.0, 1.0))):
            d["preferences"][party]["weights"][f"i{i}"] = 0.1
            d["preferences"][party]["values"][f"i{i}"] = {"a": a, "b": b}
    return data


def compiled(data: dict[str, Any]) -> Scenario:
    scenario, problems = check_scenario(yaml.safe_dump(data), "wide.yaml")
    assert scenario is not None, problems
    return scenario


def test_package_explosion_is_not_analysed_by_the_debrief_and_it_says_so(tmp_path: Path) -> None:
    scenario = compiled(wide(30))
    review = review_negotiation(Game.new(scenario), "patrol_plan")
    assert review.packages == 6 * 2**30 > PACKAGES_ANALYSED
    assert not review.analysed and review.nash_package is None and review.better_package is None
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(wide(30)), encoding="utf-8")
    script = tmp_path / "wide.play.yaml"
    script.write_text(f"scenario: {path}\nturns: []\n", encoding="utf-8")
    save = tmp_path / "wide.json"
    run = [sys.executable, "-m", "game"]
    assert (
        subprocess.run([*run, "run", str(script), "--save", str(save)], timeout=300).returncode == 0
    )
    done = subprocess.run(
        [*run, "debrief", str(save), "--benchmark-runs", "2"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Not analysed: 6,442,450,944 possible packages, more than the 20,000" in " ".join(
        done.stdout.split()
    )


def test_package_explosion_is_not_analysed_at_the_limit_but_below_it() -> None:
    small = review_negotiation(Game.new(compiled(wide(3))), "patrol_plan")
    assert small.analysed and small.packages == 48 and small.nash_package is not None


def test_package_explosion_bounds_the_greedy_bot() -> None:
    """The bots weigh at most MOST_PACKAGES packages of a disagreement (game.playtest.deals,
    the one place bots enumerate packages), and a greedy game on a billion packages ends."""
    scenario = compiled(wide(30))
    found = options(scenario, "patrol_plan")
    assert found.capped and found.total == 6 * 2**30
    assert 0 < len(found.proposals) <= MOST_PACKAGES
    game = play_game(scenario, "greedy", 1)
    assert game.finished
    # Below the limit every package is weighed.
    few = options(compiled(wide(2)), "patrol_plan")
    assert not few.capped and len(few.proposals) == few.total == 24


def test_did_you_mean_explosion_is_bounded_and_says_so() -> None:
    data = copy.deepcopy(TUTORIAL)
    data["metrics"].update({f"metric_number_{i}": {"label": "M", "start": 1} for i in range(600)})
    effects = [{"metric": f"metric_numbr_{i}", "add": 1} for i in range(600)]
    data["rules"].append({"label": "Typos", "when": "true", "effects": effects})
    scenario, problems = check_scenario(yaml.safe_dump(data), "typos.yaml")
    assert scenario is None and len(problems) == 600
    messages = [p.message for p in problems]
    assert "did you mean 'metric_number_0'?" in messages[0]
    assert messages[-1].endswith(hints.CAPPED)
    searched = sum("did you mean" in m for m in messages)
    assert 0 < searched <= hints.COMPARISONS // 600
