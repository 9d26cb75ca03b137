"""A path to an ending: the script written by --path-to, run with `accord run`, reaches it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from playtest_scenarios import ACCORD, DOMINANT

from game.cli import main
from game.playtest import play_game
from game.playtest.paths import script_text, turns_of
from game.playtest.script import read_script, run_script
from game.scenario import Scenario


def _accord(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [str(ACCORD), *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)


def test_path_to_script_reaches_its_ending_with_accord_run(
    lopsided_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "scripts" / "won.play.yaml"
    out.parent.mkdir()
    done = _accord("playtest", lopsided_file, "--path-to", "won", "--runs", "50", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "random, seed 1 " in done.stdout  # run 0 of seed 1 is the first to win
    script = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert script["expect"] == {"ending": "won"}
    assert script["scenario"] == "../lopsided.yaml"
    assert len(script["turns"]) == 4
    check = _accord("run", out)
    assert check.returncode == 0, check.stdout
    assert "PASS" in check.stdout and "ending won" in check.stdout


def test_path_to_prints_the_script_without_out(
    lopsided_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["playtest", str(lopsided_file), "--path-to", "done", "--runs", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["ending"], data["policy"], data["script"]) == ("done", "random", None)
    assert "ending: done" in data["text"]


def test_an_unreached_ending_is_a_clear_failure(
    lopsided_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """fixed:idle never wins: exit 1 and one sentence, no script."""
    out = tmp_path / "x.play.yaml"
    argv = ["playtest", str(lopsided_file), "--path-to", "won", "--policy", "fixed:idle",
            "--runs", "3", "--out", str(out)]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "reached 'won'" in err
    assert not out.exists()


def test_script_text_replays_the_game_in_process(lopsided: Scenario) -> None:
    game = play_game(lopsided, "random", 11)
    assert game.ending is not None
    text = script_text(game, "lopsided.yaml", game.ending, "t", "d")
    result = run_script(read_script(text, "x.play.yaml"), lambda _name: lopsided)
    assert result.ok, result.failures
    assert result.game is not None and result.game.actions == game.actions


def test_turns_of_merges_allocations_and_keeps_empty_turns(tiny: Scenario) -> None:
    game = play_game(tiny, "fixed:idle", 1)
    turns = turns_of(game)
    assert len(turns) == 3
    assert turns[0] == {"choose": {"opening": "go"}}
    assert turns[1:] == [{}, {}]


def test_names_yaml_would_misread_are_quoted(lopsided: Scenario) -> None:
    game = play_game(lopsided, "fixed:idle", 1)
    text = script_text(game, "no", "done", "yes: a title", "d")
    data = yaml.safe_load(text)
    assert data["scenario"] == "no" and data["title"] == "yes: a title"


def test_out_never_overwrites_a_file_it_did_not_write(lopsided_file: Path, tmp_path: Path) -> None:
    """--out replaces only a script it wrote before; anything else is refused, untouched."""
    notes = tmp_path / "notes.play.yaml"
    notes.write_text("my own notes\n", encoding="utf-8")
    refused = _accord("playtest", lopsided_file, "--path-to", "won", "--out", notes)
    assert refused.returncode == 2
    assert "exists and was not written by accord playtest" in refused.stderr
    assert notes.read_text(encoding="utf-8") == "my own notes\n"
    scenario_text = lopsided_file.read_text(encoding="utf-8")
    wrong = _accord("playtest", lopsided_file, "--path-to", "won", "--out", lopsided_file)
    assert wrong.returncode == 2 and "ends in .play.yaml" in wrong.stderr
    assert lopsided_file.read_text(encoding="utf-8") == scenario_text
    mine = tmp_path / "won.play.yaml"
    for _ in range(2):  # the second run replaces the script the first one wrote
        done = _accord("playtest", lopsided_file, "--path-to", "won", "--runs", "50", "--out", mine)
        assert done.returncode == 0, done.stderr
    # No trial file is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [notes.name, mine.name, lopsided_file.name]
    )


def test_out_is_not_fooled_by_its_words_in_a_comment(lopsided_file: Path, tmp_path: Path) -> None:
    hand = tmp_path / "hand.play.yaml"
    hand.write_text("# Found by accord playtest: no, written by hand\nscenario: x\n", "utf-8")
    refused = _accord("playtest", lopsided_file, "--path-to", "won", "--out", hand)
    assert refused.returncode == 2 and "was not written by accord playtest" in refused.stderr
    assert hand.read_text("utf-8").startswith("# Found by accord playtest: no")


def test_a_scenario_file_name_that_is_not_text_is_refused_clearly(tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"lop\xffsided.yaml")
    odd.write_text(DOMINANT, encoding="utf-8")
    out = tmp_path / "won.play.yaml"
    done = _accord("playtest", odd, "--path-to", "won", "--runs", "50", "--out", out)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "rename the file" in done.stderr and not out.exists()


def test_the_report_suggests_a_path_command_that_works_as_written(
    lopsided_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ending's command names the policy and seed that reached it: run as written, it
    writes the script (idling never reaches `won`; the good line does)."""
    import shlex

    from game.cli import main
    from game.library import load_scenario
    from game.playtest import batches
    from game.playtest.text import paths

    scenario = load_scenario(lopsided_file)
    results = batches(scenario, ["fixed:idle", "fixed:line=good"], 6, 1, 1)
    assert "won" not in results[0].endings and "won" in results[1].endings
    lines = paths(results)
    row = lines.index(next(x for x in lines if x.strip().startswith("won ")))
    command = lines[row + 1].strip()
    assert "--policy fixed:line=good --seed" in command
    monkeypatch.chdir(tmp_path)
    assert main([*shlex.split(command)[1:], "--workers", "1"]) == 0
    assert (tmp_path / "won.play.yaml").is_file()
