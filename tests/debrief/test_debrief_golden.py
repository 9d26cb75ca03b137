"""The Markdown export of a scripted hybrid_mandate game, compared with a golden file.

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
from game.engine import Action, Activate, Allocate, Choose, EndTurn, Game, Propose
from game.library import SHIPPED, load_scenario

GOLDEN = Path(__file__).parent / "golden" / "hybrid_mandate.md"
UPDATE = os.environ.get("ACCORD_UPDATE_GOLDEN") == "1"


def A(line: str, resource: str, amount: int) -> Allocate:
    return Allocate(line, resource, amount)


def P(disagreement: str, package: dict[str, str]) -> Propose:
    return Propose.of(disagreement, package)


PLAN: list[list[Action]] = [
    [  # month 1
        A("security_ops", "troops", 3),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 2),
        Activate("hybrid_framework"),
        A("humanitarian_aid", "funding", 10),
        A("joint_training", "funding", 10),
        A("community_dialogue", "funding", 10),
    ],
    [  # month 2
        A("security_ops", "troops", 4),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 1),
        Activate("relief_compact"),
        A("humanitarian_aid", "funding", 8),
        A("joint_training", "funding", 8),
        A("community_dialogue", "funding", 10),
        Choose("militia_raid", "joint_inquiry"),
    ],
    [  # month 3
        A("security_ops", "troops", 4),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 2),
        P("mandate_scope", {"posture": "balanced", "poc": "areas"}),
        A("humanitarian_aid", "funding", 7),
        A("joint_training", "funding", 7),
        A("community_dialogue", "funding", 8),
        A("community_dialogue", "political_capital", 2),
        Choose("refugee_surge", "ngo_lead"),
    ],
    [  # month 4
        A("security_ops", "troops", 4),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 1),
        Activate("joint_assessment_cell"),
        A("humanitarian_aid", "funding", 7),
        A("joint_training", "funding", 7),
        A("community_dialogue", "funding", 7),
        A("community_dialogue", "political_capital", 1),
    ],
    [  # month 5
        A("security_ops", "troops", 4),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 1),
        P("cost_sharing", {"budget": "mixed", "audit": "joint"}),
        A("humanitarian_aid", "funding", 6),
        A("joint_training", "funding", 6),
        A("community_dialogue", "funding", 7),
        A("community_dialogue", "political_capital", 2),
    ],
    [  # month 6
        A("security_ops", "troops", 4),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 1),
        A("humanitarian_aid", "logistics", 1),
        P("mandate_scope", {"posture": "balanced", "poc": "areas"}),
        A("humanitarian_aid", "funding", 5),
        A("joint_training", "funding", 5),
        A("community_dialogue", "funding", 7),
        A("community_dialogue", "political_capital", 2),
    ],
    [  # month 7
        A("security_ops", "troops", 5),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 1),
        A("humanitarian_aid", "funding", 6),
        A("joint_training", "funding", 6),
        A("community_dialogue", "funding", 6),
        A("community_dialogue", "political_capital", 3),
        Choose("peace_talks", "host_talks"),
    ],
    [  # month 8
        A("security_ops", "troops", 5),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 1),
        A("humanitarian_aid", "logistics", 1),
        P("cost_sharing", {"budget": "mixed", "audit": "joint"}),
        A("humanitarian_aid", "funding", 6),
        A("joint_training", "funding", 6),
        A("community_dialogue", "funding", 6),
        A("community_dialogue", "political_capital", 2),
    ],
    [  # month 9
        A("security_ops", "troops", 6),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 1),
        A("humanitarian_aid", "funding", 8),
        A("joint_training", "funding", 8),
        A("community_dialogue", "funding", 8),
        A("community_dialogue", "political_capital", 3),
    ],
    [  # month 10
        A("security_ops", "troops", 6),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 1),
        A("humanitarian_aid", "funding", 8),
        A("joint_training", "funding", 8),
        A("community_dialogue", "funding", 8),
        A("community_dialogue", "political_capital", 3),
    ],
    [  # month 11
        A("security_ops", "troops", 6),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 1),
        A("humanitarian_aid", "funding", 8),
        A("joint_training", "funding", 8),
        A("community_dialogue", "funding", 8),
        A("community_dialogue", "political_capital", 3),
    ],
    [  # month 12
        A("security_ops", "troops", 6),
        A("joint_training", "troops", 2),
        A("security_ops", "logistics", 2),
        A("humanitarian_aid", "logistics", 1),
        A("humanitarian_aid", "funding", 7),
        A("joint_training", "funding", 7),
        A("community_dialogue", "funding", 9),
        A("community_dialogue", "political_capital", 3),
        Choose("access_denied", "quiet_diplomacy"),
    ],
]


@pytest.fixture(scope="module")
def game() -> Game:
    game = Game.new(load_scenario(SHIPPED / "hybrid_mandate.yaml"), seed=7)
    for turn, actions in enumerate(PLAN, 1):
        for action in actions:
            outcome = game.apply(action)
            assert outcome.ok, f"month {turn}: {action}: {outcome.reason}"
        assert game.apply(EndTurn()).ok, f"month {turn} did not end"
    assert game.finished
    return game


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
    and agreed in month 6, cost sharing refused in month 5 and agreed in month 8, both
    leaving nothing better for every party; the mission consolidates; no partner leaves."""
    review = build_debrief(game)
    mandate, costs = review.negotiations
    assert [p.agreed for p in mandate.proposals] == [False, True]
    assert [p.agreed for p in costs.proposals] == [False, True]
    assert (mandate.agreed_turn, costs.agreed_turn) == (6, 8)
    assert not mandate.better_exists and not costs.better_exists
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
