"""The Markdown export of a scripted hybrid_mandate game, compared with a golden file.

The game is `golden/hybrid_mandate.play.yaml`, a playthrough script.

The golden file is the review a trainee would export; a change to it must be deliberate.
Regenerate it with `ACCORD_UPDATE_GOLDEN=1 pytest tests/debrief/test_debrief_golden.py`
and read the diff before committing it. The bot benchmark is left out (it depends on the
bots, which change for their own reasons)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from game.debrief import build_debrief, render_markdown, render_text, to_json
from game.engine import Game
from game.playtest.script import run_file

GOLDEN = Path(__file__).parent / "golden" / "hybrid_mandate.md"
SCRIPT = GOLDEN.with_suffix(".play.yaml")
UPDATE = os.environ.get("ACCORD_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def game() -> Game:
    """The game of the playthrough script beside the golden file (`accord run` plays it too)."""
    result = run_file(SCRIPT)
    assert result.ok, result.failures
    assert result.game is not None and result.game.finished
    return result.game


def test_markdown_export_matches_the_golden_file(game: Game) -> None:
    text = render_markdown(build_debrief(game, player="Golden Trainee"))
    if UPDATE:
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.exists(), f"no golden file: run with ACCORD_UPDATE_GOLDEN=1 to write {GOLDEN}"
    expected = GOLDEN.read_text(encoding="utf-8")
    assert text == expected, (
        "the Markdown debrief differs from tests/debrief/golden/hybrid_mandate.md; if the "
        "change is intended, regenerate it with ACCORD_UPDATE_GOLDEN=1 and review the diff"
    )


def test_the_scripted_game_reads_as_intended(game: Game) -> None:
    """What the golden file should show, said in words: the mandate is refused in month 3
    and agreed in month 6, cost sharing refused in month 5 and agreed in month 8, the exit
    plan refused in month 10 and agreed in month 11, each leaving nothing better for every
    party; the mission consolidates; no partner leaves."""
    review = build_debrief(game)
    mandate, costs, exit_plan = review.negotiations
    assert [p.agreed for p in mandate.proposals] == [False, True]
    assert [p.agreed for p in costs.proposals] == [False, True]
    assert [p.agreed for p in exit_plan.proposals] == [False, True]
    assert (mandate.agreed_turn, costs.agreed_turn, exit_plan.agreed_turn) == (6, 8, 11)
    assert not any(n.better_exists for n in (mandate, costs, exit_plan))
    assert review.outcome.ending == "consolidated"
    assert all(p.withdrawn_turn is None for p in review.partnerships)
    assert review.lessons == tuple(game.lessons())
    assert review.outcome.ending == game.ending and review.outcome.score == game.score
    assert len(review.turning_points) == 3


def test_json_export_keeps_the_contract_of_playthrough_format(game: Game) -> None:
    data = to_json(build_debrief(game))
    json.dumps(data)  # plain JSON data only
    for key in ("scenario", "seed", "finished", "ending", "grade", "score", "headline",
                "history", "turning_points", "negotiations", "lessons"):  # fmt: skip
        assert key in data, key
    assert data["scenario"] == "hybrid_mandate" and data["seed"] == 7 and data["finished"]
    assert data["headline"] == "stability"
    assert data["history"]["stability"] == pytest.approx(list(game.state.history["stability"]))
    point = data["turning_points"][0]
    assert {"turn", "metric", "change", "causes"} <= set(point)
    assert {"cause", "change"} <= set(point["causes"][0])
    talks = data["negotiations"][0]
    assert {"id", "agreed", "turn", "package", "nash_package", "pareto_better_exists"} <= set(talks)
    assert data["lessons"] == game.lessons()


def test_text_render_fits_a_terminal(game: Game) -> None:
    text = render_text(build_debrief(game))
    assert "WHAT WAS INTENDED" in text and "IMPROVE" in text
    assert max(len(line) for line in text.splitlines()) <= 100
