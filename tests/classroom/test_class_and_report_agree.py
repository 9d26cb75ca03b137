"""`accord class` and `accord report` tell an instructor the same things: the trainee's name
as first typed, the turns played, the ending by its title; the summary's scores are the
finished games'; a damaged file's note can be read on a 120-column screen."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from game.classroom.names import trainee
from game.classroom.roster import Roster
from game.classroom.seats import take_seat
from game.cli import main
from game.engine import Allocate, EndTurn, Game
from game.library import load_scenario
from game.saves import save_game_to
from game.tui.classview import ClassApp

SMALL = """
format: accord/1
id: small_class
title: Small class
turns: 3
metrics:
  calm: {label: Calm, start: 50, headline: true}
resources:
  troops: {label: Troops, per_turn: 4}
stakeholders:
  un: {name: United Nations, kind: international_org, trust: 60}
lines_of_effort:
  patrols:
    label: Patrols
    accepts: [troops]
    effects: [{metric: calm, add: "alloc.patrols.troops"}]
endings:
  calm_valley: {check: at_end, when: "true", text: Calm again.}
scoring:
  score: "final(calm)"
"""


def play(class_dir: Path, typed: str, turns: int, troops: int) -> Path:
    """`typed` joins (their seat, as `accord serve` makes it) and plays `turns` turns."""
    scenario_file = class_dir.parent / "small_class.yaml"
    if not scenario_file.exists():
        scenario_file.write_text(SMALL, encoding="utf-8")
    seat = take_seat(class_dir, trainee(typed))
    seat.release()
    game = Game.new(load_scenario(scenario_file))
    for _ in range(turns):
        assert not troops or game.apply(Allocate("patrols", "troops", troops)).ok
        assert game.apply(EndTurn()).ok
    return save_game_to(game, seat.folder / f"g-{turns}.json", player=seat.trainee.name)


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    class_dir = tmp_path / "class"
    class_dir.mkdir()
    return class_dir


def test_the_name_turns_and_ending_are_the_same_in_the_class_view_and_the_report(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play(folder, "Amina", 2, 1)  # in progress: two turns played, at turn 3 of 3
    take_seat(folder, trainee("AMINA")).release()  # she comes back, in capitals
    play(folder, "Bruno", 3, 4)  # finished: the ending without a title of its own
    lines = {line.trainee: line for line in Roster(folder).read()}
    assert sorted(lines) == ["Amina", "Bruno"]
    assert lines["Amina"].turn == "2/3"
    assert lines["Bruno"].turn == "3/3 · Calm valley"
    code, out, err = report(capsys, str(folder), "--format", "json")
    assert (code, err) == (0, "")
    games = {g["player"]: g for g in json.loads(out)["games"]}
    assert sorted(games) == ["Amina", "Bruno"]
    assert (games["Amina"]["turns"], games["Amina"]["turns_total"]) == (2, 3)
    assert (games["Bruno"]["turns"], games["Bruno"]["turns_total"]) == (3, 3)
    # The id stays in `ending` (for a program); the title is in `ending_label` (for a person).
    bruno = games["Bruno"]
    assert (bruno["ending"], bruno["ending_label"]) == ("calm_valley", "Calm valley")
    assert games["Amina"]["ending_label"] == "(in progress)"
    code, out, _ = report(capsys, str(folder))
    assert "| Bruno | g-3 | small_class | Calm valley | " in out and "calm_valley" not in out
    assert "| Turns played |" in out


def test_the_summary_scores_are_the_finished_games(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play(folder, "Amina", 3, 4)  # finished: calm 62
    play(folder, "Bruno", 3, 2)  # finished: calm 56
    play(folder, "Carla", 1, 0)  # in progress: calm 50 so far, no final score yet
    out = tmp_path / "export"
    assert report(capsys, str(folder), "--format", "csv", "--out", str(out))[0] == 0
    with (out / "summary.csv").open(newline="", encoding="utf-8") as handle:
        (summary,) = list(csv.DictReader(handle))
    assert (summary["games"], summary["finished"]) == ("3", "2")
    assert (summary["mean_score"], summary["min_score"], summary["max_score"]) == (
        "59.00",
        "56.00",
        "62.00",
    )


def test_a_truncated_save_is_said_to_be_cut_short(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play(folder, "Amina", 1, 1)
    (folder / "amina" / "g-cut.json").write_text('{"format":', encoding="utf-8")
    [problem] = [line.problem for line in Roster(folder).read() if line.save is None]
    assert problem == "g-cut.json is cut short: its JSON ends before it is complete, so it " \
        "cannot be read as a save"  # fmt: skip
    code, _, err = report(capsys, str(folder))
    assert code == 1 and "g-cut.json is cut short" in err and "JSON object" not in err


def screen_text(app: ClassApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_rows(app: ClassApp, pilot: Any, count: int) -> None:
    table = app.query_one("#class-table", DataTable)
    for _ in range(600):  # a number of looks, not a time
        await app.workers.wait_for_complete()
        await pilot.pause()
        if table.row_count == count:
            return
    raise AssertionError(table.row_count)


async def test_a_damaged_files_note_is_read_whole_on_a_120_column_screen(folder: Path) -> None:
    game = play(folder, "Amina Ferreira-Castellanos de la Vega", 1, 1)
    (game.parent / "g-bad.json").write_text("not a save", encoding="utf-8")
    app = ClassApp(folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_rows(app, pilot, 2)
        await pilot.press("down")  # the damaged file's line
        await pilot.pause()
        text = " ".join(screen_text(app).split())
    assert "g-bad.json is not an Accord save (it is not a JSON object)" in text


async def test_the_line_under_the_table_gives_the_score_and_grade_at_80_columns(
    folder: Path,
) -> None:
    """At 80 columns the Grade column is off the screen: the line under the table gives the
    chosen trainee's score and grade; a trainee with no game yet says so there."""
    play(folder, "Amina", 3, 1)  # finished: a grade
    take_seat(folder, trainee("Bertrand")).release()  # joined, no turn ended
    app = ClassApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_rows(app, pilot, 2)
        await pilot.press("home")
        await pilot.pause()
        game = Game.new(load_scenario(folder.parent / "small_class.yaml"))
        for _ in range(3):
            game.apply(Allocate("patrols", "troops", 1))
            game.apply(EndTurn())
        text = " ".join(screen_text(app).split())
        said = f"score {game.score:.1f}, grade {game.grade}"
        assert f"Amina · Small class · turns played 3/3 · Calm valley · {said}" in text
        await pilot.press("down")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Bertrand · (no game yet)" in text
