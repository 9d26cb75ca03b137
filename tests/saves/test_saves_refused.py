"""Bad saves are refused with one clear sentence naming the file, and nothing is overwritten."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from savetools import FIXTURES, files_of, play

from game import saves
from game.engine import Game
from game.library import load_scenario
from game.saves import files as save_files
from game.saves.envelope import decode, encode
from game.scenario import Scenario


@pytest.fixture
def save(hybrid: Scenario, folder: Path) -> Path:
    """A mid-game save (turn 4 or so) of the shipped scenario, in `folder`."""
    game = play(Game.new(hybrid, seed=9), random.Random(9), 30)
    return saves.save_game(game, folder, "good", scenario_path=Path(hybrid.file))


@pytest.fixture
def untouched(folder: Path, save: Path) -> Iterator[None]:
    """Every test below ends by checking that no file in the save folder changed."""
    before = files_of(folder)
    yield
    assert files_of(folder) == before


def refused(path: Path, match: str, search: list[Path] | None = None) -> str:
    """Loading `path` fails with a message naming the file and matching `match`."""
    with pytest.raises(saves.SaveError) as caught:
        saves.load_game(path, search)
    message = str(caught.value)
    assert str(path) in message, message
    assert "\n" not in message and "Traceback" not in message
    assert match in message, message
    return message


def rewrite(source: Path, target: Path, change: Any) -> Path:
    """Copy a save with its payload changed by `change(payload)` and a valid checksum."""
    payload = json.loads(source.read_text("utf-8"))["payload"]
    change(payload)
    target.write_bytes(encode(payload))
    return target


def test_every_flipped_byte_is_refused(save: Path, tmp_path: Path, untouched: None) -> None:
    data = save.read_bytes()
    rng = random.Random(1)
    positions = sorted({*range(160), *rng.sample(range(len(data)), 400), len(data) - 2})
    damaged = tmp_path / "damaged.json"
    for n, position in enumerate(positions):
        mask = (0x01, 0x20, 0x80, 0xFF, 0x04)[n % 5]
        flipped = bytearray(data)
        flipped[position] ^= mask
        with pytest.raises(saves.SaveError) as caught:
            decode(bytes(flipped), str(damaged))  # what read_record does after reading
        assert str(caught.value).startswith(str(damaged)), (position, mask)
    damaged.write_bytes(bytes(flipped))
    refused(damaged, "")
    assert saves.replay_check(damaged)[0] == 2


def test_truncated_files_are_refused(save: Path, tmp_path: Path, untouched: None) -> None:
    data = save.read_bytes()
    cut = tmp_path / "cut.json"
    for length in (1, 30, 100, len(data) // 3, len(data) // 2, len(data) - 2):
        cut.write_bytes(data[:length])
        message = refused(cut, "")
        # Cut before its format marker, it is not known to be a save: it is said to be cut short.
        assert any(w in message for w in ("damaged or truncated", "not an Accord save",
                                          "is cut short"))  # fmt: skip
    cut.write_bytes(data[: len(data) // 2])
    refused(cut, "is damaged or truncated: its JSON is broken at line 1")
    assert saves.replay_check(cut)[0] == 2


def test_empty_file_and_whitespace(tmp_path: Path, untouched: None) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    refused(empty, "is an empty file, not a save")
    empty.write_bytes(b"\n  \n")
    refused(empty, "is an empty file, not a save")


def test_foreign_files_are_refused(tmp_path: Path, untouched: None) -> None:
    other = tmp_path / "other.json"
    for content in (
        b'{"hello": "world"}',
        b"[1, 2, 3]",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        (FIXTURES / "save_fixture.yaml").read_bytes(),
        b'{"format": "accord-save", "version": 1}',
    ):
        other.write_bytes(content)
        message = refused(other, "")
        assert "not an Accord save" in message or "lacks a payload" in message


@pytest.mark.parametrize(
    ("version", "match"),
    [
        ("2", "was written by a newer version of Accord (save format 2; this version reads"),
        ("99", "newer version of Accord (save format 99"),
        ("-1", "has an unknown save format version -1"),
        ('"1"', "has an unknown save format version '1'"),
        ("true", "has an unknown save format version True"),
    ],
)
def test_wrong_versions_are_refused(
    save: Path, tmp_path: Path, version: str, match: str, untouched: None
) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_bytes(save.read_bytes().replace(b'"version":1', f'"version":{version}'.encode(), 1))
    refused(wrong, match)
    assert saves.replay_check(wrong)[0] == 2


def _scenario_copy(tmp_path: Path, new_id: str, edit: Any = None) -> Path:
    text = (FIXTURES / "save_fixture.yaml").read_text("utf-8")
    text = text.replace("id: save_fixture", f"id: {new_id}")
    path = tmp_path / "mine" / f"{new_id}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(edit(text) if edit else text, "utf-8")
    return path


def _save_on(scenario_path: Path, folder: Path, actions: int = 14) -> tuple[Path, Game]:
    game = play(Game.new(load_scenario(scenario_path), seed=2), random.Random(4), actions)
    return saves.save_game(game, folder, "mine", scenario_path=scenario_path), game


def test_a_save_whose_scenario_file_now_holds_another_scenario(
    tmp_path: Path, folder: Path
) -> None:
    mine = _scenario_copy(tmp_path, "my_valley")
    path, _ = _save_on(mine, folder)
    before = files_of(folder)
    mine.write_bytes((FIXTURES / "save_fixture.yaml").read_bytes())  # id save_fixture now
    refused(path, "was played on scenario 'my_valley', but")
    assert "now holds 'save_fixture'" in refused(path, "no scenario 'my_valley' is on the")
    code, message = saves.replay_check(path)
    assert code == 2 and "my_valley" in message
    mine.unlink()
    refused(path, "which is neither at")
    assert files_of(folder) == before


def test_a_changed_scenario_loads_with_a_warning_when_the_log_still_replays(
    tmp_path: Path, folder: Path
) -> None:
    mine = _scenario_copy(tmp_path, "my_valley")
    path, game = _save_on(mine, folder)
    before = files_of(folder)
    mine.write_text(mine.read_text("utf-8").replace("Valley stability", "Stability"), "utf-8")
    loaded = saves.load_game(path)
    assert len(loaded.warnings) == 1
    assert f"The scenario file {mine} has changed since this game was saved" in loaded.warnings[0]
    assert loaded.game.actions == game.actions
    assert "differs" not in loaded.warnings[0]  # a label changed, not a rule
    code, message = saves.replay_check(path)
    assert code == 0 and "has changed since it was saved" in message
    # A changed number: still legal, but the game now differs; the warning says how.
    text = mine.read_text("utf-8").replace("add: -2}]}", "add: -3}]}")
    mine.write_text(text, "utf-8")
    loaded = saves.load_game(path)
    assert "now differs from the save (stability at the end of turn 1 is" in loaded.warnings[0]
    assert saves.replay_check(path)[0] == 1
    assert files_of(folder) == before


def test_a_changed_scenario_that_no_longer_replays_is_refused(tmp_path: Path, folder: Path) -> None:
    mine = _scenario_copy(tmp_path, "my_valley")
    game = Game.new(load_scenario(mine), seed=2)
    from game.engine import Allocate

    assert game.apply(Allocate("village_aid", "funding", 3)).ok
    path = saves.save_game(game, folder, "mine", scenario_path=mine)
    mine.write_text(mine.read_text("utf-8").replace("village_aid", "village_help"), "utf-8")
    message = refused(path, f"its scenario file {mine} has changed since the game was saved")
    assert "action 1 of 1 on turn 1 (allocate 3 funding to village_aid) is refused" in message
    code, message = saves.replay_check(path)
    assert code == 1 and "There is no line of effort 'village_aid'" in message


def test_a_tampered_snapshot_does_not_replay(save: Path, tmp_path: Path, untouched: None) -> None:
    def change(payload: dict[str, Any]) -> None:
        payload["snapshot"]["history"]["stability"][1] += 5
        payload["snapshot"]["trust"]["un"] = 99

    tampered = rewrite(save, tmp_path / "tampered.json", change)
    message = refused(tampered, "does not replay to the game it recorded")
    assert "stability at the end of turn 2 is" in message and "in the save but" in message
    code, message = saves.replay_check(tampered)
    assert code == 1 and "stability at the end of turn 2" in message


def test_a_log_with_an_illegal_action_does_not_replay(
    save: Path, tmp_path: Path, untouched: None
) -> None:
    def change(payload: dict[str, Any]) -> None:
        payload["actions"].insert(
            0, {"type": "allocate", "line": "security_ops", "resource": "troops", "amount": 999}
        )

    bad = rewrite(save, tmp_path / "illegal.json", change)
    message = refused(bad, "does not replay: action 1 of")
    assert "Not enough" in message
    assert saves.replay_check(bad)[0] == 1


def test_malformed_payloads_are_refused(save: Path, tmp_path: Path, untouched: None) -> None:
    cases: list[tuple[Any, str]] = [
        (lambda p: p.update(seed="7"), "'seed' must be a whole number"),
        (lambda p: p.update(kind="other"), "'kind' must be 'auto' or 'manual'"),
        (
            lambda p: p["actions"].append({"type": "dance"}),
            "action 31 is malformed (unknown action type",
        ),
        (lambda p: p["snapshot"].pop("metrics"), "the snapshot lacks 'metrics'"),
        (lambda p: p["scenario"].update(sha256="abc"), "'scenario.sha256' must be 64 hex"),
    ]
    for change, match in cases:
        refused(rewrite(save, tmp_path / "bad.json", change), f"is damaged: {match}")


def test_a_folder_where_a_file_should_be(
    hybrid: Scenario, folder: Path, tmp_path: Path, untouched: None
) -> None:
    game = Game.new(hybrid, seed=1)
    refused(folder, "is a folder, not a save file")
    assert saves.replay_check(folder)[0] == 2
    with pytest.raises(saves.SaveError, match="is a folder, not a save file"):
        saves.save_game_to(game, folder)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(saves.SaveError, match=f"{not_a_folder} is a file, not a save folder"):
        saves.autosave(game, not_a_folder, "g-a", scenario_path=Path(hybrid.file))
    with pytest.raises(saves.SaveError, match="is a file, not a save folder"):
        saves.list_saves(not_a_folder)
    assert not_a_folder.read_text() == "x"


def test_an_autosave_slot_taken_by_a_folder_is_left_alone(
    hybrid: Scenario, folder: Path, untouched: None
) -> None:
    (folder / "g-dir.json").mkdir()
    path = saves.autosave(
        Game.new(hybrid, seed=1), folder, "g-dir", scenario_path=Path(hybrid.file)
    )
    assert path.name == "g-dir-2.json" and (folder / "g-dir.json").is_dir()
    path.unlink()  # keep the folder as it was for `untouched`
    (folder / "g-dir.json").rmdir()


@pytest.mark.parametrize(
    "slot", ["../evil", "a/b", "/etc/passwd", "", ".hidden", "UP", "x" * 65, "a\x00b"]
)
def test_slot_names_cannot_leave_the_folder(
    hybrid: Scenario, folder: Path, tmp_path: Path, slot: str, untouched: None
) -> None:
    with pytest.raises(saves.SaveError, match="is not a save slot name"):
        saves.autosave(Game.new(hybrid, seed=1), folder, slot, scenario_path=Path(hybrid.file))
    assert not (tmp_path / "evil.json").exists()


def test_display_names_are_never_paths(hybrid: Scenario, folder: Path, tmp_path: Path) -> None:
    for name in ("../../evil", "/etc/passwd", "..", "a/b\\c", "con", "x" * 500):
        path = saves.save_game(
            Game.new(hybrid, seed=1), folder, name, scenario_path=Path(hybrid.file)
        )
        assert path.parent == folder and saves.files.SLOT.fullmatch(path.stem)
        assert saves.read_info(path).name == name[:120]
    assert not (tmp_path / "evil").exists() and sorted(tmp_path.iterdir()) == [folder]


def test_save_game_to_never_overwrites_a_file_that_is_not_a_save(
    hybrid: Scenario, tmp_path: Path
) -> None:
    scenario_copy = tmp_path / "scenario.yaml"
    scenario_copy.write_bytes((FIXTURES / "save_fixture.yaml").read_bytes())
    before = scenario_copy.read_bytes()
    with pytest.raises(saves.SaveError, match="exists and is not an Accord save; not overwriting"):
        saves.save_game_to(Game.new(hybrid, seed=1), scenario_copy)
    assert scenario_copy.read_bytes() == before
    with pytest.raises(saves.SaveError, match=r"the folder .* does not exist"):
        saves.save_game_to(Game.new(hybrid, seed=1), tmp_path / "nope" / "x.json")


def test_a_failed_write_keeps_the_previous_save(
    hybrid: Scenario, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    game = play(Game.new(hybrid, seed=3), random.Random(3), 10)
    path = saves.autosave(game, folder, "g-keep", scenario_path=Path(hybrid.file))
    before = path.read_bytes()
    play(game, random.Random(4), 10)

    def disk_full(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(saves.SaveError, match=f"cannot write {path}: No space left on device"):
        saves.autosave(game, folder, "g-keep", scenario_path=Path(hybrid.file))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [".accord.lock", "g-keep.json"]


def test_leftover_temporary_files_are_ignored_then_swept(hybrid: Scenario, folder: Path) -> None:
    folder.mkdir()
    stale = [folder / ".g-a.json.k2j4h5g6.tmp", folder / ".g-b.json.abc_1234.tmp"]
    for path in stale:
        path.write_bytes(b'{"format":"accord-save","ver')
    keep = folder / ".keep"
    keep.write_text("")
    assert saves.scan_saves(folder) == ([], [])
    saves.autosave(Game.new(hybrid, seed=1), folder, "g-a", scenario_path=Path(hybrid.file))
    assert not any(path.exists() for path in stale) and keep.exists()


def test_a_held_lock_times_out_with_a_clear_error(
    hybrid: Scenario, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    folder.mkdir()
    monkeypatch.setattr(save_files, "LOCK_TIMEOUT", 0.2)
    with (
        FileLock(folder / save_files.LOCK_NAME),
        pytest.raises(saves.SaveError, match="stayed locked by another Accord process"),
    ):
        saves.save_game(Game.new(hybrid, seed=1), folder, "x", scenario_path=Path(hybrid.file))
    assert saves.list_saves(folder) == []
