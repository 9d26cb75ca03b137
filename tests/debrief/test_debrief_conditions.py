"""The review writes conditions and the score as the briefing does: names, never ids.

A trainee reads 'Mission stability ≥ 65' in the briefing; the review, on screen, in the
Markdown export and in `accord debrief`, must say the same, not 'stability >= 65'. The JSON
output keeps the expression as written under its own key, beside the words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.debrief import build_debrief, render_markdown, render_text, to_json
from game.engine import Game
from game.playtest.script import run_file
from game.saves import save_game_to

SCRIPT = Path(__file__).parent / "golden" / "hybrid_mandate.play.yaml"

# What the hybrid_mandate review said before: the ids of its endings and score.
RAW = ("stability >= 65", "local_support", "withdrawn.un", "stability <= 12", "0.4 * mean(")
WORDS = (
    "Mission stability ≥ 65 and Legitimacy ≥ 60 and Local support ≥ 50",
    "Mission stability ≤ 12",
    "United Nations withdrawn or African Union withdrawn or Government of Qaraba withdrawn",
    "0.4 × mean(Mission stability)",
)


@pytest.fixture(scope="module")
def game() -> Game:
    result = run_file(SCRIPT)
    assert result.ok and result.game is not None and result.game.finished
    return result.game


def flat(text: str) -> str:
    return " ".join(text.split())


def test_text_and_markdown_show_endings_and_score_in_words(game: Game) -> None:
    review = build_debrief(game)
    for text in (render_text(review), render_markdown(review)):
        for raw in RAW:
            assert raw not in text, raw
        for words in WORDS:
            assert words in flat(text), words


def test_json_keeps_the_expressions_as_written_beside_the_words(game: Game) -> None:
    data = to_json(build_debrief(game))
    exit_goal = next(g for g in data["intent"]["avoid"] if g["id"] == "partner_exit")
    assert exit_goal["when"] == "withdrawn.un or withdrawn.au or withdrawn.host_gov"
    assert exit_goal["when_text"] == WORDS[2]
    outcome = data["outcome"]
    assert outcome["score_expression"].startswith("0.4 * mean(stability)")
    assert outcome["score_expression_text"].startswith("0.4 × mean(Mission stability)")
    assert outcome["score_terms"][0]["term"] == "0.4 * mean(stability)"
    assert outcome["score_terms"][0]["text"] == "0.4 × mean(Mission stability)"


@pytest.mark.parametrize("form", ["text", "md"])
def test_accord_debrief_prints_names_not_ids(
    game: Game, form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save = save_game_to(game, tmp_path / "golden.json", player="Golden Trainee")
    code = main(["debrief", str(save), "--format", form, "--benchmark-runs", "0"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    for raw in RAW:
        assert raw not in out, raw
    for words in WORDS:
        assert words in flat(out), words


def test_accord_debrief_json_still_parses(
    game: Game, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save = save_game_to(game, tmp_path / "golden.json")
    code = main(["debrief", str(save), "--format", "json", "--benchmark-runs", "0"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    aim = data["intent"]["aim"][0]
    assert (aim["when"], aim["when_text"]) == (
        "stability >= 65 and legitimacy >= 60 and local_support >= 50",
        WORDS[0],
    )
