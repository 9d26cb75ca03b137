"""The save commands as a trainee types them: `accord saves`, `replay`, `continue`, `run --save`."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import types
from pathlib import Path

import pytest
from savetools import FIXTURES, play

from game import saves
from game.cli import main
from game.engine import Game
from game.saves.envelope import encode
from game.scenario import Scenario

ACCORD = Path(sys.executable).with_name("accord")


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`accord ARGS` run in this process (quicker, for the cases beyond the main ones)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def accord(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ACCORD), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def filled(hybrid: Scenario, folder: Path) -> dict[str, Path]:
    """A folder with an autosave, a finished manual save and a damaged file."""
    path = Path(hybrid.file)
    game = play(Game.new(hybrid, seed=1), random.Random(1), 20)
    auto = saves.autosave(game, folder, "g-auto", scenario_path=path, player="Ana")
    done = play(Game.new(hybrid, seed=2), random.Random(2), 400)
    manual = saves.save_game(done, folder, "Finished run", scenario_path=path)
    (folder / "broken.json").write_text('{"format":"accord-save","ver')
    return {"auto": auto, "manual": manual, "broken": folder / "broken.json"}


def test_saves_lists_name_scenario_turn_score_updated(
    filled: dict[str, Path], folder: Path
) -> None:
    result = accord("saves", "--saves", str(folder))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["SLOT", "NAME", "SCENARIO", "TURN", "SCORE", "UPDATED"]
    assert lines[1].startswith(filled["manual"].stem) and "Finished run" in lines[1]
    assert "ended" in lines[1] and "UTC" in lines[1]
    assert lines[2].startswith("g-auto") and "Autosave" in lines[2] and "Hybrid Mandate" in lines[2]
    assert lines[3].startswith("damaged: broken.json: ") and "damaged or truncated" in lines[3]
    assert lines[4] == f"2 saves in {folder}, 1 damaged"


def test_saves_shows_the_replayed_turn_and_score_and_why_a_save_does_not_replay(
    filled: dict[str, Path], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The turn and score listed are those the save's actions replay to: a save whose file
    claims others (edited by a forger who knows the format: its checksum is right) shows
    none, and says briefly why, as loading it would."""
    auto = filled["auto"]
    payload = json.loads(auto.read_text(encoding="utf-8"))["payload"]
    claimed = payload["snapshot"]
    claimed["score"], claimed["turn"] = 99.0, 12
    forged = folder / "forged.json"
    forged.write_bytes(encode({**payload, "name": "Forged run"}))
    replayed = saves.load_game(auto).game
    code, out, _ = in_process(capsys, "saves", "--saves", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["SLOT", "NAME", "SCENARIO", "TURN", "SCORE", "UPDATED", "NOTE"]
    [row] = [line for line in lines if line.startswith("forged ")]
    assert "99.0" not in row and "12/" not in row
    cells = row.split("  ")
    assert [c.strip() for c in cells if c.strip() in ("-",)] == ["-", "-"]  # no turn, no score
    assert "cannot be replayed: forged.json does not replay to the game it recorded" in row
    assert str(folder) not in row and len(row.split("cannot be replayed: ")[1]) <= 120
    [good] = [line for line in lines if line.startswith("g-auto ")]
    assert f" {replayed.turn}/{replayed.s.turns} " in good
    assert f" {replayed.score:.1f} " in good
    code, out, _ = in_process(capsys, "saves", "--json", "--saves", str(folder))
    entries = {entry["slot"]: entry for entry in json.loads(out)["saves"]}
    lie = entries["forged"]
    assert (lie["turn"], lie["score"], lie["finished"], lie["replays"]) == (None, None, None, False)
    assert lie["problem"].startswith(
        "cannot be replayed: forged.json does not replay to the game it recorded: "
    )
    truth = entries["g-auto"]
    assert (truth["turn"], truth["replays"], truth["problem"]) == (replayed.turn, True, None)
    assert truth["score"] == round(replayed.score, 2)


def test_saves_replays_only_the_newest_saves_and_says_so(
    filled: dict[str, Path],
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Listing stays quick in a folder of thousands: only the newest REPLAYED_MOST saves are
    replayed; the others are listed without a turn or score, and the listing says so."""
    import game.commands.saves as command
    import game.saves.verify as verify

    monkeypatch.setattr(verify, "REPLAYED_MOST", 1)
    monkeypatch.setattr(command, "REPLAYED_MOST", 1)
    code, out, _ = in_process(capsys, "saves", "--saves", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith(filled["manual"].stem) and "ended" in lines[1]
    assert lines[2].startswith("g-auto") and "/12" not in lines[2]
    assert lines[2].endswith("not checked: only the newest 1 saves are replayed")
    assert lines[-1] == f"2 saves in {folder}, 1 damaged (only the newest 1 are replayed)"


def test_saves_json_and_the_environment_variable(
    filled: dict[str, Path],
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_SAVES", str(folder))
    code, out, _ = in_process(capsys, "saves", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["folder"] == str(folder)
    assert [s["slot"] for s in document["saves"]] == [filled["manual"].stem, "g-auto"]
    auto = document["saves"][1]
    assert (auto["kind"], auto["player"], auto["scenario_id"]) == ("auto", "Ana", "hybrid_mandate")
    assert document["damaged"][0]["path"] == str(filled["broken"])


def test_saves_on_an_empty_or_wrong_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    none = tmp_path / "none"
    assert in_process(capsys, "saves", "--saves", str(none)) == (
        2, "", f"accord saves: the save folder {none} does not exist\n")  # fmt: skip
    none.mkdir()
    assert in_process(capsys, "saves", "--saves", str(none)) == (0, f"No saves in {none}\n", "")
    (tmp_path / "file").write_text("")
    code, out, err = in_process(capsys, "saves", "--saves", str(tmp_path / "file"))
    assert (code, out) == (1, "")
    assert err == f"accord saves: {tmp_path / 'file'} is a file, not a save folder\n"


def test_replay_exit_codes(filled: dict[str, Path], folder: Path, tmp_path: Path) -> None:
    same = accord("replay", str(filled["manual"]))
    assert same.returncode == 0 and "replays exactly: Hybrid Mandate" in same.stdout

    payload = json.loads(filled["auto"].read_bytes())["payload"]
    payload["snapshot"]["metrics"]["stability"] += 1.5
    (tmp_path / "edited.json").write_bytes(encode(payload))
    differs = accord("replay", str(tmp_path / "edited.json"))
    assert differs.returncode == 1
    assert "differs on replay: metrics.stability is" in differs.stdout

    broken = accord("replay", str(filled["broken"]))
    assert broken.returncode == 2 and broken.stdout == ""
    assert broken.stderr.startswith(f"accord replay: {filled['broken']} is damaged or truncated")
    assert broken.stderr.count("\n") == 1 and "Traceback" not in broken.stderr


def test_replay_finds_a_slot_and_an_old_save(
    filled: dict[str, Path],
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_SAVES", str(folder))
    code, out, _ = in_process(capsys, "replay", "g-auto")
    assert code == 0 and out.startswith(f"{filled['auto']} replays exactly")
    code, out, err = in_process(capsys, "replay", "g-none")
    assert (code, out) == (2, "") and "no such save file" in err
    v0 = str(FIXTURES / "v0_week5.json")
    code, out, _ = in_process(capsys, "replay", v0, "--scenarios", str(FIXTURES))
    assert code == 0 and "16 actions" in out
    code, _, err = in_process(capsys, "replay", v0)
    assert code == 2 and "'save_fixture', which is neither on the scenario search path" in err


def test_continue_without_an_autosave(tmp_path: Path) -> None:
    result = accord("continue", "--saves", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"accord: no autosave to continue in {tmp_path}\n"


def test_continue_hands_the_latest_autosave_to_the_terminal_game(
    filled: dict[str, Path], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[argparse.Namespace] = []

    def launch(args: argparse.Namespace) -> int:
        seen.append(args)
        return 0

    monkeypatch.setitem(sys.modules, "game.commands._tui", types.SimpleNamespace(launch=launch))
    assert main(["continue", "--saves", str(folder)]) == 0
    (args,) = seen
    assert args.load == str(filled["auto"])
    assert (args.scenario, args.seed, args.player, args.saves) == (None, None, None, str(folder))


def test_run_save_writes_a_loadable_save(tmp_path: Path) -> None:
    script = tmp_path / "two.play.yaml"
    script.write_text(
        f"scenario: {FIXTURES / 'save_fixture.yaml'}\nseed: 3\nturns:\n  - {{}}\n  - {{}}\n"
    )
    target = tmp_path / "out.json"
    result = accord("run", str(script), "--save", str(target))
    assert result.returncode == 0, result.stderr
    loaded = saves.load_game(target)
    assert loaded.game.turn == 3 and loaded.info.name == "out" and loaded.warnings == ()
    not_a_save = tmp_path / "notes.txt"
    not_a_save.write_text("keep me")
    result = accord("run", str(script), "--save", str(not_a_save))
    assert result.returncode == 1 and "not overwriting it" in result.stderr
    assert not_a_save.read_text() == "keep me"


def test_continue_with_only_a_finished_game_says_it_has_ended(
    hybrid: Scenario, folder: Path
) -> None:
    """`accord continue` resumes a game in progress; when the last one has ended, it says so
    and where to review it, instead of claiming there is no autosave."""
    done = play(Game.new(hybrid, seed=2), random.Random(2), 400)
    assert done.finished
    path = saves.autosave(done, folder, "g-done", scenario_path=Path(hybrid.file), name="Last")
    result = accord("continue", "--saves", str(folder))
    assert result.returncode == 1
    assert result.stderr == (
        f"accord: no game in progress; your last game, Last, has ended "
        f"(accord debrief {path} reviews it)\n"
    )
