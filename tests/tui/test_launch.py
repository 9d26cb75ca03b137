"""`accord play` before the screen opens: a bad scenario or save is a sentence and exit 1."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from tuitools import ROOT

from game.commands._tui import launch

ACCORD = Path(sys.executable).parent / "accord"


def args(**given: object) -> argparse.Namespace:
    base = {"scenario": None, "seed": None, "load": None, "player": None, "scenarios": None}
    return argparse.Namespace(**{**base, "saves": None, **given})


def test_an_unknown_scenario_is_one_sentence_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert launch(args(scenario="no_such_mission")) == 1
    err = capsys.readouterr().err
    first, *rest = err.strip().splitlines()
    assert first.startswith("accord: cannot play no_such_mission: 1 problem")
    assert len(rest) == 1
    assert rest[0].startswith("no_such_mission: error: no scenario with this id")
    assert "Traceback" not in err


def test_a_scenario_with_errors_lists_them_with_their_places(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: accord/1\nid: bad\ntitle: Bad\nturns: 0\n", encoding="utf-8")
    assert launch(args(scenario=str(bad))) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"accord: cannot play {bad}:")
    assert any(": error: " in line for line in lines[1:])
    for line in lines[1:]:
        assert line.startswith(f"{bad}:") and (": error: " in line or ": warning: " in line)


def test_a_missing_or_damaged_save_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("game.saves")
    assert launch(args(load=str(tmp_path / "nothing.json"), saves=str(tmp_path))) == 1
    err = capsys.readouterr().err
    assert err.startswith("accord: ") and "nothing.json" in err and "Traceback" not in err
    damaged = tmp_path / "damaged.json"
    damaged.write_text("{truncated", encoding="utf-8")
    assert launch(args(load=str(damaged), saves=str(tmp_path))) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "damaged.json" in err


@pytest.mark.skipif(not ACCORD.exists(), reason="the accord command is not installed")
def test_the_installed_command_exits_1_without_a_traceback(tmp_path: Path) -> None:
    run = subprocess.run(
        [str(ACCORD), "play", str(tmp_path / "missing.yaml"), "--saves", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("accord: cannot play")


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("N" * 100_000, "A name is at most 40 characters."),
        ("N" * 41, "A name is at most 40 characters."),
        ("Ann\x1b[31m", "not '\\x1b'"),
        ("Ann\nBob", "not '\\n'"),
        ("[b]Ann", "not '['"),
        ("", "A name needs at least one letter."),
    ],
)
def test_a_player_name_the_browser_would_refuse_is_refused_before_the_game(
    capsys: pytest.CaptureFixture[str], typed: str, why: str
) -> None:
    """`accord play --player` takes a name under the rule of a class in the browser
    (game/classroom/names.py): one sentence on stderr and exit 2, before any game starts."""
    from game.cli import build_parser

    with pytest.raises(SystemExit) as ended:
        build_parser().parse_args(["play", "tutorial", "--player", typed])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("accord: argument --player: ") and why in err
    assert len(err.strip().splitlines()) == 1 and len(err) < 200


def test_a_player_name_is_kept_as_a_class_would_keep_it() -> None:
    from game.classroom.names import MAX_LENGTH
    from game.cli import build_parser

    parse = build_parser().parse_args
    assert parse(["play", "--player", "  Zoë   O’Neil "]).player == "Zoë O'Neil"
    assert parse(["play", "--player", "N" * MAX_LENGTH]).player == "N" * MAX_LENGTH


@pytest.mark.skipif(not ACCORD.exists(), reason="the accord command is not installed")
def test_the_installed_command_refuses_a_long_player_name_with_exit_2(tmp_path: Path) -> None:
    run = subprocess.run(
        [str(ACCORD), "play", "tutorial", "--saves", str(tmp_path), "--player", "N" * 100_000],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("accord: argument --player: A name is at most 40 characters.")
    assert run.stdout == "" and not list(tmp_path.iterdir())
