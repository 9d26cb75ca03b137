"""One debrief (issue 21): an unfinished game read as unfinished, names never cut, no empty
sections, and Sustain/Improve naming the decisions that moved the headline, through
`accord debrief` as an instructor runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_debrief_cli import accord

from game.debrief import build_debrief, render_markdown, render_text
from game.debrief.decisions import headline_decisions
from game.engine import Activate, Allocate, EndTurn, Game
from game.library import load_scenario
from game.saves import save_game_to

LONG = "Federal Government of Southern Qaraba and the Associated Territories"
CALM = "Calm in the northern provinces after the ceasefire monitoring agreement"

SCENARIO = f"""
format: accord/1
id: long_names
title: Long names
turns: 4
metrics:
  calm: {{label: "{CALM}", start: 50, headline: true}}
resources:
  troops: {{label: Troops, per_turn: 4}}
  capital: {{label: Political capital, per_turn: 1}}
stakeholders:
  gov: {{name: "{LONG}", kind: nation, trust: 50}}
  un: {{name: United Nations, kind: international_org, trust: 60}}
lines_of_effort:
  patrols:
    label: Patrols
    accepts: [troops]
    effects: [{{metric: calm, add: "alloc.patrols.troops"}}]
strategies:
  liaison:
    label: Liaison office
    kind: bilateral
    partners: [gov]
    cost: {{capital: 1}}
    each_turn: [{{metric: calm, add: -1}}]
disagreements:
  mandate:
    label: Mandate
    parties: [gov, un]
    deadline: 3
    pressure: {{metric: calm, add: -3}}
    issues:
      posture: {{label: Posture, options: {{robust: Robust, balanced: Balanced}}}}
    preferences:
      gov: {{weights: {{posture: 1}}, values: {{posture: {{robust: 0.2, balanced: 1}}}},
             reservation: 0.5}}
      un: {{weights: {{posture: 1}}, values: {{posture: {{robust: 1, balanced: 0.6}}}},
            reservation: 0.5}}
rules:
  - {{label: Unrest, effects: [{{metric: calm, add: -1}}]}}
endings:
  quiet: {{check: at_end, when: "calm >= 55", title: Quiet, text: Calm again.}}
  over: {{check: at_end, when: "true", text: Over.}}
lessons:
  - {{when: "true", text: "Patrols keep the peace."}}
scoring:
  score: "final(calm)"
"""


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "long_names.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def play(scenario_file: Path, turns: int) -> Game:
    """Patrols with every troop, the liaison office from turn 1, no proposal."""
    game = Game.new(load_scenario(scenario_file))
    assert game.apply(Activate("liaison")).ok
    while not game.finished and len(game.reports) < turns:
        assert game.apply(Allocate("patrols", "troops", 4)).ok
        assert game.apply(EndTurn()).ok
    return game


def test_an_unfinished_game_is_debriefed_as_unfinished(scenario_file: Path, tmp_path: Path) -> None:
    """3 of 4 turns: no lessons, no grade, no comparison with bots' whole games (even when
    asked for), and the review says where the game stands."""
    game = play(scenario_file, 2)
    assert not game.finished
    save = save_game_to(game, tmp_path / "half.json", player="Amina")
    done = accord("debrief", str(save), "--benchmark-runs", "4")
    assert (done.returncode, done.stderr) == (0, "")
    text = done.stdout
    assert "Seed 1 · game in progress at turn 3 of 4 (2 turns played)" in text
    assert "Game in progress at turn 3 of 4 (2 turns played): no ending and no grade yet" in text
    for absent in ("Grades:", "Grade ", "Lessons", "Patrols keep the peace", "BENCHMARK",
                   "percentile"):  # fmt: skip
        assert absent not in text, absent
    assert "How the score so far was computed" in text and "SUSTAIN (SO FAR)" in text
    data = json.loads(accord("debrief", str(save), "--format", "json").stdout)
    assert (data["finished"], data["in_progress_turn"], data["grade"]) == (False, 3, None)
    assert (data["lessons"], data["benchmark"]) == ([], None)
    markdown = accord("debrief", str(save), "--format", "md", "--benchmark-runs", "0").stdout
    assert "## Lessons" not in markdown and "Grade" not in markdown
    assert "game in progress at turn 3 of 4" in markdown

    # The same save played to the end: lessons, grade and the comparison come back.
    finished = play(scenario_file, 4)
    assert finished.finished
    whole = accord("debrief", str(save_game_to(finished, tmp_path / "whole.json")),
                   "--benchmark-runs", "4").stdout  # fmt: skip
    assert "4 of 4 turns played" in whole and "Patrols keep the peace" in whole
    assert "Grade " in whole and "percentile of 4 bot games" in whole


def test_names_are_never_cut(scenario_file: Path, tmp_path: Path) -> None:
    save = save_game_to(play(scenario_file, 4), tmp_path / "g.json")
    text = accord("debrief", str(save), "--benchmark-runs", "0").stdout
    lines = text.splitlines()
    # The party's and the measure's whole names, each on a line, in every table they lead.
    assert sum(line.strip() == LONG for line in lines) == 2  # partnerships and Mandate
    assert any(line.strip() == CALM for line in lines)
    assert "Federal Government of So " not in text
    # Figures follow on the next line, in the column they would have had.
    at = next(i for i, line in enumerate(lines) if line.strip() == LONG)
    assert lines[at + 1].split()[:2] == ["50", "→"]
    assert max(len(line) for line in lines) <= 90


def test_no_section_is_printed_empty(tmp_path: Path) -> None:
    """A scenario with no partner, strategy, disagreement, lesson or Improve finding: no
    heading stands alone, in text or Markdown."""
    bare = tmp_path / "bare.yaml"
    bare.write_text(
        """
format: accord/1
id: bare
title: Bare
turns: 2
metrics:
  calm: {label: Calm, start: 50, headline: true}
resources:
  troops: {label: Troops, per_turn: 2}
lines_of_effort:
  patrols:
    label: Patrols
    accepts: [troops]
    effects: [{metric: calm, add: "alloc.patrols.troops"}]
endings:
  over: {check: at_end, when: "true", text: Over.}
scoring:
  score: "final(calm)"
""",
        encoding="utf-8",
    )
    game = Game.new(load_scenario(bare))
    for _ in range(2):
        assert game.apply(Allocate("patrols", "troops", 2)).ok
        assert game.apply(EndTurn()).ok
    review = build_debrief(game)
    assert review.improve == () and review.lessons == ()
    text = render_text(review)
    for heading in ("IMPROVE", "Lessons", "Partnerships", "Strategies", "Negotiations", "Avoid"):
        assert heading not in text, heading
    assert "none" not in text.split()
    lines = text.splitlines()
    for i, line in enumerate(lines):  # every heading is followed by something under it
        if line and line == line.upper() and line.strip() and not line.startswith(" "):
            assert i + 1 < len(lines) and lines[i + 1].strip(), line
    assert "Allocating to Patrols raised Calm by 4 in all (turns 1–2)." in text
    markdown = render_markdown(review)
    chunks = markdown.split("\n## ")
    for chunk in chunks[1:]:
        heading, _, body = chunk.partition("\n")
        assert body.strip(), heading
    assert "None." not in markdown


def test_sustain_and_improve_name_the_decisions_that_moved_the_headline(
    scenario_file: Path,
) -> None:
    """Patrols added 4 a turn, the liaison office cost 1 a turn, the open Mandate 3 a turn:
    each named as a decision with its total, from the ledger; the unrest rule (no one's
    decision) is not."""
    game = play(scenario_file, 4)
    decisions = {d.what: (d.kind, d.change, d.turns) for d in headline_decisions(game)}
    assert decisions == {
        "Allocating to Patrols": ("allocation", 16.0, (1, 2, 3, 4)),
        "Leaving Mandate unresolved": ("unresolved", -9.0, (1, 2, 3)),
        "Running Liaison office": ("strategy", -4.0, (1, 2, 3, 4)),
    }
    # Their totals and the rule's add up to the headline's whole movement in the ledger.
    series = build_debrief(game).metric("calm")
    assert series.final - series.start == pytest.approx(16 - 9 - 4 - 4)
    review = build_debrief(game)
    label = CALM
    assert review.sustain[0] == f"Allocating to Patrols raised {label} by 16 in all (turns 1–4)."
    assert review.improve[:2] == (
        f"Leaving Mandate unresolved cost {label} 9 in all (turns 1–3).",
        f"Running Liaison office lowered {label} by 4 in all (turns 1–4).",
    )
    assert not any("rose from" in line or "fell from" in line for line in review.sustain)
