"""Time to build the debrief: a scripted Hybrid Mandate game, and the worst case of the
negotiation review (every refused proposal it judges, on a disagreement of 30 more
two-option issues: six billion packages, of which it weighs at most PACKAGES_JUDGED per
proposal, nearest first).

Run: .venv/bin/python benchmarks/debrief.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

from game.debrief import build_debrief, review_negotiation
from game.debrief.model import PACKAGES_JUDGED, PROPOSALS_JUDGED
from game.engine import Game, Propose
from game.playtest.script import run_file
from game.scenario import check_scenario

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_bounded_work import wide  # noqa: E402  (the tests' own huge disagreement)


def wide_talks(issues: int = 30) -> Game:
    """The tests' wide tutorial (its patrol plan with `issues` more two-option issues on which
    the parties want opposite options), with free proposals; then PROPOSALS_JUDGED refused
    proposals, each far from the last."""
    data = wide(issues)
    data["disagreements"]["patrol_plan"].pop("proposal_cost", None)
    scenario, problems = check_scenario(yaml.safe_dump(data), "wide.yaml")
    assert scenario is not None, problems
    game = Game.new(scenario)
    talks = scenario.disagreements["patrol_plan"]
    for k in range(PROPOSALS_JUDGED):
        package = {i: o[(k + j) % len(o)] for j, (i, o) in enumerate(talks.issues.items())}
        outcome = game.apply(Propose.of("patrol_plan", package))
        assert outcome.proposal is not None and not outcome.proposal.agreed
    return game


def timed(work: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    result = run_file(ROOT / "tests" / "debrief" / "golden" / "hybrid_mandate.play.yaml")
    assert result.game is not None
    game = result.game
    print(f"build_debrief, scripted Hybrid Mandate: {timed(lambda: build_debrief(game)):.3f} s")
    wide = wide_talks()
    seconds = timed(lambda: review_negotiation(wide, "patrol_plan"), runs=3)
    print(
        f"negotiation review, {PROPOSALS_JUDGED} refused proposals on 6,442,450,944 packages "
        f"(at most {PACKAGES_JUDGED:,} weighed each): {seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
