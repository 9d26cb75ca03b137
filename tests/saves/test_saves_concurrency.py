"""Two game processes saving into one folder at the same time: no save is lost."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from savetools import SHIPPED, LineProcess, play

from game import saves
from game.engine import Game, action_to_json
from game.scenario import Scenario

RIVAL = Path(__file__).resolve().parent / "_rival.py"
SAVES_EACH = 25
RACES = 8


def start_rivals(folder: Path, *flags: str) -> list[LineProcess]:
    rivals = [LineProcess(str(RIVAL), str(folder), str(SHIPPED), tag, *flags) for tag in "ab"]
    for rival in rivals:
        assert rival.line() == "ready"
    return rivals


@pytest.fixture
def rivals(tmp_path: Path) -> Iterator[list[LineProcess]]:
    (tmp_path / "saves").mkdir()
    started = start_rivals(tmp_path / "saves", "--few-names")
    yield started
    for rival in started:
        rival.close()


def test_two_processes_saving_to_one_folder_lose_nothing(
    tmp_path: Path, rivals: list[LineProcess]
) -> None:
    """Both autosave their own slot and one shared slot and make manual saves whose slot
    ids collide often (256 names): every save survives, each game in its own file."""
    folder = tmp_path / "saves"
    for rival in rivals:
        rival.send(f"bulk {SAVES_EACH}")
    a, b = (json.loads(rival.line()) for rival in rivals)
    infos, damaged = saves.scan_saves(folder)
    assert damaged == []
    manual = sorted(info.name for info in infos if info.kind == "manual")
    assert manual == sorted(a["manual"] + b["manual"])
    for tag, report in (("a", a), ("b", b)):
        record = saves.read_record(folder / f"p-{tag}.json")
        assert [record.seed, len(record.actions)] == report["own"]
    shared = sorted(folder.glob("shared*.json"))
    assert [p.name for p in shared] == ["shared-2.json", "shared.json"]
    games = {(r.seed, len(r.actions)) for r in map(saves.read_record, shared)}
    assert games == {tuple(a["shared"]), tuple(b["shared"])}
    for info in infos:
        if info.kind == "auto":
            assert saves.load_game(info.path).warnings == ()


def race(folder: Path, rivals: list[LineProcess], base: Game, n: int) -> list[list[object]]:
    """Both rivals play on from one autosave and save back to its slot at the same moment;
    returns the action logs found in the slot's files."""
    for old in folder.glob("g-base*.json"):
        old.unlink()
    saves.autosave(base, folder, "g-base", scenario_path=SHIPPED)
    for i, rival in enumerate(rivals):
        rival.send(f"race g-base {2 * n + i}")
    for rival in rivals:
        assert rival.line() == "armed"
    for rival in rivals:
        rival.send("fire")
    reports = [json.loads(rival.line()) for rival in rivals]
    on_disk = [
        [action_to_json(a) for a in saves.read_record(path).actions]
        for path in folder.glob("g-base*.json")
    ]
    return [r["actions"] for r in reports if r["actions"] not in on_disk]


def test_two_processes_playing_on_from_one_autosave_keep_both_games(
    tmp_path: Path, hybrid: Scenario, rivals: list[LineProcess]
) -> None:
    """Two terminals continue the same autosave and save at the same instant: neither
    game overwrites the other (one goes to the fork `g-base-2`)."""
    base = play(Game.new(hybrid, seed=12), random.Random(12), 10)
    for n in range(RACES):
        lost = race(tmp_path / "saves", rivals, base, n)
        assert lost == [], f"race {n}: a game was lost"
