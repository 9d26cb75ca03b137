"""Hostile save files and folders: numbers no float can hold, text UTF-8 cannot carry,
control characters, scenario paths no file can have, pipes, and files `run --save` must
not overwrite. Each is one sentence naming the file; nothing crashes, hangs or is lost."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from savetools import FIXTURES, files_of, play

from game import saves
from game.cli import main
from game.engine import Game
from game.saves import files as save_files
from game.saves.envelope import decode, encode
from game.saves.verify import first_difference
from game.scenario import Scenario

ACCORD = Path(sys.executable).with_name("accord")


def accord(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`accord ARGS` in a fresh process: its real stdout encoding, exit status and stderr.
    The timeout turns a hang into a failure."""
    return subprocess.run(
        [str(ACCORD), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


def one_sentence(err: str) -> None:
    assert "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err


@pytest.fixture
def good(hybrid: Scenario, folder: Path) -> Path:
    game = play(Game.new(hybrid, seed=5), random.Random(5), 25)
    return saves.save_game(game, folder, "good", scenario_path=Path(hybrid.file))


def payload_of(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))["payload"]  # type: ignore[no-any-return]


def write_ascii(path: Path, payload: dict[str, Any]) -> Path:
    """A save written with JSON escapes for every non-ASCII character, as another tool might
    write it: "\\ud800" stays a lone surrogate. The checksum is right."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
    digest = hashlib.sha256(body.encode()).hexdigest()
    head = f'{{"format":"accord-save","version":1,"sha256":"{digest}","payload":'
    path.write_bytes(f"{head}{body}}}\n".encode())
    return path


# 3. Numbers a float cannot hold


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("score", 10**400, "'snapshot.score' must be a number from 0 to 100, found 1000"),
        ("score", float("inf"), "'snapshot.score' must be a number from 0 to 100, found inf"),
        ("score", float("nan"), "'snapshot.score' must be a number from 0 to 100, found nan"),
        ("score", 1e308, "'snapshot.score' must be a number from 0 to 100, found 1e+308"),
        ("score", -1, "'snapshot.score' must be a number from 0 to 100, found -1"),
        ("turn", 10**400, "'snapshot.turn' must be a whole number from 0 to 100000, found 1000"),
        ("turns", -1, "'snapshot.turns' must be a whole number from 0 to 100000, found -1"),
    ],
)
def test_a_snapshot_number_no_float_can_hold_is_damage(
    good: Path, folder: Path, key: str, value: Any, words: str
) -> None:
    payload = payload_of(good)
    payload["snapshot"][key] = value
    bad = folder / "huge.json"
    bad.write_bytes(encode(payload))
    with pytest.raises(saves.SaveError) as caught:
        saves.read_record(bad)
    assert str(caught.value).startswith(f"{bad} is damaged: {words}")
    code, message = saves.replay_check(bad)
    assert code == 2 and message.startswith(f"{bad} is damaged: ")
    infos, damaged = saves.scan_saves(folder)  # the other save still lists
    assert [i.path for i in infos] == [good] and [p for p, _ in damaged] == [bad]
    assert saves.latest_autosave(folder, unfinished_only=False) is None  # no crash


def test_the_listing_and_continue_survive_a_huge_score(good: Path, folder: Path) -> None:
    payload = payload_of(good)
    payload["snapshot"]["score"] = 10**400
    (folder / "huge.json").write_bytes(encode(payload))
    listing = accord("saves", "--saves", str(folder))
    assert listing.returncode == 0 and listing.stderr == ""
    assert f"{good.stem}  good" in listing.stdout
    assert "damaged: huge.json: " in listing.stdout and "from 0 to 100" in listing.stdout
    document = json.loads(accord("saves", "--json", "--saves", str(folder)).stdout)
    assert [s["slot"] for s in document["saves"]] == [good.stem]
    continued = accord("continue", "--saves", str(folder))
    assert continued.returncode == 1 and continued.stdout == ""
    assert continued.stderr == f"accord: no autosave to continue in {folder}\n"


def test_a_difference_in_a_huge_number_is_reported_not_raised() -> None:
    saved = {"turn": 3, "metrics": {"calm": 10**400}}
    assert first_difference(saved, {"turn": 3, "metrics": {"calm": 55.0}}) == (
        "metrics.calm is 100000000000… (401 digits) in the save but 55 on replay"
    )
    assert first_difference({"score": 54.2841997202655}, {"score": 44.16666666666667}) == (
        "score is 54.28 in the save but 44.17 on replay"
    )
    assert first_difference(saved, {"turn": 3, "metrics": {"calm": 10**400}}) is None


# 5. Text that UTF-8 cannot carry


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p.update(name="bad\ud800name"), "name"),
        (lambda p: p.update(player="P\udcff"), "player"),
        (lambda p: p["scenario"].update(title="T\udfff"), "scenario.title"),
        (lambda p: p["snapshot"]["metrics"].update({"x\ud800": 1}), "snapshot.metrics.<key>"),
    ],
)
def test_a_lone_surrogate_is_refused_when_the_save_is_read(
    good: Path, folder: Path, change: Any, field: str
) -> None:
    payload = payload_of(good)
    change(payload)
    bad = write_ascii(folder / "surrogate.json", payload)
    with pytest.raises(saves.SaveError) as caught:
        saves.read_record(bad)
    assert str(caught.value) == (
        f"{bad} is damaged: '{field}' holds a lone UTF-16 surrogate, which is not a character"
    )


def test_escaped_characters_and_surrogate_pairs_still_read(good: Path, folder: Path) -> None:
    payload = payload_of(good)
    payload["name"] = "Amélie 😀"  # written as \u00e9 and the pair \ud83d\ude00
    payload["player"] = "\\ud800 is six characters here"
    fine = write_ascii(folder / "escaped.json", payload)
    assert b"\\ud83d\\ude00" in fine.read_bytes()
    record = saves.read_record(fine)
    assert (record.name, record.player) == ("Amélie 😀", "\\ud800 is six characters here")


def test_no_command_crashes_on_a_lone_surrogate(good: Path, folder: Path) -> None:
    payload = payload_of(good)
    payload["player"] = "P\ud800"
    bad = write_ascii(folder / "player.json", payload)
    listing = accord("saves", "--saves", str(folder))
    assert listing.returncode == 0 and listing.stderr == ""
    assert "damaged: player.json: " in listing.stdout and good.stem in listing.stdout
    document = accord("saves", "--json", "--saves", str(folder))
    assert document.returncode == 0 and document.stderr == ""
    assert json.loads(document.stdout)["damaged"][0]["path"] == str(bad)
    for args in (["replay", str(bad)], ["debrief", str(bad), "--benchmark-runs", "0"]):
        result = accord(*args)
        assert result.returncode in (1, 2) and result.stdout == ""
        one_sentence(result.stderr)
        assert "'player' holds a lone UTF-16 surrogate" in result.stderr


def test_text_utf8_cannot_carry_is_saved_as_a_replacement_character(
    hybrid: Scenario, folder: Path
) -> None:
    # A player name from a command line that is not UTF-8 arrives with lone surrogates.
    path = saves.save_game(
        Game.new(hybrid, seed=1), folder, "x\udcffy", scenario_path=Path(hybrid.file),
        player="P\udcff",
    )  # fmt: skip
    info = saves.read_info(path)
    assert (info.name, info.player) == ("x\ufffdy", "P\ufffd")


# 6. Control characters never reach the terminal raw


def test_control_characters_in_a_listing_are_escaped(good: Path, folder: Path) -> None:
    payload = payload_of(good)
    payload["name"] = "e\x1b[31m\nl\x9b\u202e"
    evil = folder / "evil.json"
    evil.write_bytes(encode(payload))
    (folder / "bad\x1b[2J.json").write_text("not json")
    result = accord("saves", "--saves", str(folder))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for raw in ("\x1b", "\x9b", "\u202e", "\nl"):
        assert raw not in out
    assert "e\\x1b[31m\\x0al\\x9b\\u202e" in out
    assert "damaged: bad\\x1b[2J.json: " in out
    assert len(out.splitlines()) == 5  # header, two saves, the damaged file, the count
    document = accord("saves", "--json", "--saves", str(folder)).stdout
    for raw in ("\x1b", "\x9b", "\u202e"):
        assert raw not in document
    names = {s["slot"]: s["name"] for s in json.loads(document)["saves"]}
    assert names["evil"] == payload["name"]  # JSON escapes read back as they were


# 4. Scenario paths no file can have


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        ("/tmp/a\x00b.yaml", "because it holds a NUL byte"),
        ("/tmp/" + "a" * 5000 + ".yaml", "because a name in it is too long for the file system"),
    ],
    ids=["nul", "long"],
)
def test_a_scenario_path_that_cannot_be_opened(
    good: Path, folder: Path, stored: str, why: str
) -> None:
    payload = payload_of(good)
    payload["scenario"].update(path=stored, resolved=stored)
    found = folder / "found.json"
    found.write_bytes(encode(payload))
    loaded = saves.load_game(found)  # found by its id: nothing lost, but said once
    (warning,) = loaded.warnings
    assert warning.startswith(f"{found}: the scenario path it names, /tmp/a")
    assert f"cannot be opened {why}; the game was replayed on" in warning
    assert "\x00" not in warning and len(warning) < 400
    code, message = saves.replay_check(found)
    assert code == 0 and f"cannot be opened {why}" in message

    payload["scenario"]["id"] = "nowhere"
    lost = folder / "lost.json"
    lost.write_bytes(encode(payload))
    with pytest.raises(saves.SaveError) as caught:
        saves.load_game(lost)
    message = str(caught.value)
    assert message.startswith(f"{lost} names a scenario path, /tmp/a")
    assert f"that cannot be opened {why}, and no scenario 'nowhere' is on the" in message
    assert "\x00" not in message and "\n" not in message
    assert saves.replay_check(lost) == (2, message)
    for args, code in (
        (["replay", str(lost)], 2),
        (["debrief", str(lost), "--benchmark-runs", "0"], 1),
    ):
        result = accord(*args)
        assert result.returncode == code
        one_sentence(result.stderr)
        assert "cannot be opened" in result.stderr and "\x00" not in result.stderr
    report = accord("report", str(lost), str(good))
    assert report.returncode == 1 and "| good |" in report.stdout
    one_sentence(report.stderr)
    assert report.stderr.startswith(f"accord report: skipped: {lost} names a scenario path")


# 9. Pipes are never opened


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_skipped_in_a_listing_and_refused_by_replay(
    good: Path, folder: Path
) -> None:
    pipe = folder / "pipe.json"
    os.mkfifo(pipe)
    listing = accord("saves", "--saves", str(folder))  # a hang fails on the timeout
    assert listing.returncode == 0 and listing.stderr == ""
    assert good.stem in listing.stdout and "pipe.json" not in listing.stdout
    assert listing.stdout.endswith(f"1 save in {folder}\n")
    assert saves.scan_saves(folder) == ([saves.read_info(good)], [])
    for args, code in (
        (["replay", str(pipe)], 2),
        (["debrief", str(pipe), "--benchmark-runs", "0"], 1),
    ):
        result = accord(*args)
        assert result.returncode == code
        one_sentence(result.stderr)
        assert f"{pipe} is a named pipe, not a save file" in result.stderr
    with pytest.raises(saves.SaveError, match="is a named pipe, not a save file"):
        save_files.read_bytes(pipe)


# 7. A mistyped folder is a usage error; a folder not made yet is no saves yet


def test_a_save_folder_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "mistyped"
    assert main(["saves", "--saves", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"accord saves: the save folder {missing} does not exist\n")
    assert main(["saves", "--json", "--saves", str(missing)]) == 2
    assert capsys.readouterr().out == ""

    monkeypatch.delenv("ACCORD_SAVES", raising=False)
    monkeypatch.setattr(save_files, "default_saves", lambda: tmp_path / "fresh")  # none yet
    assert main(["saves"]) == 0
    assert capsys.readouterr() == (f"No saves yet in {tmp_path / 'fresh'}\n", "")
    monkeypatch.setenv("ACCORD_SAVES", str(tmp_path / "later"))
    assert main(["saves", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == {"folder": str(tmp_path / "later"), "saves": [], "damaged": []}


# 1. `run --save` never overwrites what it should not


def test_save_game_to_replaces_only_a_save_of_this_same_game(
    hybrid: Scenario, tmp_path: Path
) -> None:
    game = Game.new(hybrid, seed=4)
    play(game, random.Random(4), 10)
    target = tmp_path / "out.json"
    saves.save_game_to(game, target)
    created = saves.read_info(target).created
    play(game, random.Random(5), 10)  # the same game, played further: replaced
    saves.save_game_to(game, target)
    assert saves.read_record(target).actions == game.actions
    assert saves.read_info(target).created == created

    def refused(path: Path, other: Game, words: str) -> None:
        before = path.read_bytes()
        with pytest.raises(saves.SaveError) as caught:
            saves.save_game_to(other, path)
        assert str(caught.value).startswith(str(path)) and words in str(caught.value)
        assert str(caught.value).endswith("; not overwriting it")
        assert path.read_bytes() == before

    refused(target, Game.new(hybrid, seed=4), "holds this game played further (20 actions")
    refused(target, Game.new(hybrid, seed=5), "holds another game (scenario 'hybrid_mandate'")
    data = bytearray(target.read_bytes())
    data[300] ^= 0x01
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(bytes(data))
    refused(damaged, game, "is damaged")
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(target.read_bytes()[:500])
    refused(truncated, game, "is damaged or truncated")
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    saves.save_game_to(game, empty)  # an empty file holds nothing to lose
    assert saves.read_record(empty).actions == game.actions
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "damaged.json", "empty.json", "out.json", "truncated.json"]  # fmt: skip


def test_run_save_refuses_a_damaged_save_and_another_game(tmp_path: Path) -> None:
    script = tmp_path / "two.play.yaml"
    script.write_text(
        f"scenario: {FIXTURES / 'save_fixture.yaml'}\nseed: 3\nturns:\n  - {{}}\n  - {{}}\n"
    )
    other = tmp_path / "other.play.yaml"
    other.write_text(f"scenario: {FIXTURES / 'save_fixture.yaml'}\nseed: 4\nturns:\n  - {{}}\n")
    target = tmp_path / "out.json"
    first = accord("run", str(script), "--save", str(target))
    assert first.returncode == 0, first.stderr
    again = accord("run", str(script), "--save", str(target))  # the same game: fine
    assert again.returncode == 0, again.stderr
    before = files_of(tmp_path)
    result = accord("run", str(other), "--save", str(target))
    assert result.returncode == 1
    assert result.stderr == (
        f"accord run: {target} holds another game (scenario 'save_fixture', seed 3, "
        "2 actions); not overwriting it\n"
    )
    data = target.read_bytes()
    broken = tmp_path / "broken.json"
    broken.write_bytes(data[: len(data) // 2])
    before = files_of(tmp_path)
    result = accord("run", str(script), "--save", str(broken))
    assert result.returncode == 1 and "PASS" in result.stdout
    assert result.stderr.startswith(f"accord run: {broken} is damaged or truncated")
    one_sentence(result.stderr)
    assert files_of(tmp_path) == before


# 8. A format-0 save is described in its own words


def _v0(payload: dict[str, Any], path: Path) -> Path:
    body = json.dumps(payload, indent=2)
    digest = hashlib.sha256(body.encode()).hexdigest()
    head = f'{{"format": "accord-save", "version": 0, "sha256": "{digest}", "payload": '
    path.write_bytes(f"{head}{body}}}\n".encode())
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda p: p.update(label=None), "cannot be upgraded from save format 0: 'label' must"),
        (lambda p: p.update(scenario=["x"]), "format 0: 'scenario' must be text, found ['x']"),
        (lambda p: p.update(seed=None), "format 0: 'seed' must be a whole number, found None"),
        (lambda p: p.update(state=[]), "format 0: 'state' must be an object, found []"),
        (lambda p: p.update(saved_at=1e300), "format 0: 'saved_at' is not a UNIX time in range"),
        (lambda p: p.update(saved_at=float("nan")), "'saved_at' is not a UNIX time in range"),
        (lambda p: p["state"].pop("turn"), "is damaged: the state lacks 'turn'"),
        (lambda p: p["log"][0].__setitem__(3, "two"), "is damaged: log entry 1 is malformed"),
    ],
)
def test_a_malformed_version_0_save_names_its_own_fields(
    tmp_path: Path, change: Any, words: str
) -> None:
    payload = json.loads((FIXTURES / "v0_week5.json").read_bytes())["payload"]
    change(payload)
    bad = _v0(payload, tmp_path / "old.json")
    with pytest.raises(saves.SaveError) as caught:
        decode(bad.read_bytes(), str(bad))
    message = str(caught.value)
    assert message.startswith(f"{bad} ") and words in message, message
    assert "'name'" not in message and "snapshot" not in message
    assert not message.split(": ", 1)[1].startswith("action ")
    assert message.count("upgrade") <= 1, message


def test_a_seed_beyond_the_bound_is_damage(good: Path, folder: Path) -> None:
    """A seed is within ±10^15 in a scenario and on the command line: a save's too."""
    payload = payload_of(good)
    payload["seed"] = 10**400
    bad = folder / "seed.json"
    bad.write_bytes(encode(payload))
    with pytest.raises(
        saves.SaveError, match=r"'seed' must be a whole number from -10\^15 to 10\^15"
    ):
        saves.load_game(bad)
