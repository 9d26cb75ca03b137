"""The migration chain, tested on a hand-made version-0 save (tests/fixtures/saves/v0_week5.json).

Version 0 is the prototype's format: flat `scenario`/`scenario_sha256`, a `label`, a UNIX
`saved_at`, an `autosave` flag, actions as compact `log` lists and the state as `state`.
It was played on tests/fixtures/saves/save_fixture.yaml, found by id on the search path.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pytest
from savetools import FIXTURES, play

from game import saves
from game.saves.migrations import CURRENT_VERSION, MIGRATIONS, v0_to_v1

V0 = FIXTURES / "v0_week5.json"


def _v0_bytes(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload, indent=2)
    digest = hashlib.sha256(body.encode()).hexdigest()
    envelope = {"format": "accord-save", "version": 0, "sha256": digest, "payload": "@"}
    return json.dumps(envelope, indent=2).replace('"@"', body).encode()


def test_every_older_version_has_a_link() -> None:
    assert sorted(MIGRATIONS) == list(range(CURRENT_VERSION))


def test_the_hand_made_version_0_save_loads_as_the_game_it_recorded() -> None:
    before = V0.read_bytes()
    loaded = saves.load_game(V0, [FIXTURES])
    info = loaded.info
    assert (info.name, info.kind, info.player) == ("Week 5, before the summit", "auto", None)
    assert (info.scenario_id, info.turn, info.turns, info.finished) == ("save_fixture", 5, 6, False)
    assert info.created == info.updated == "2025-11-28T08:30:12.000Z"
    assert loaded.scenario_path == FIXTURES / "save_fixture.yaml"
    assert loaded.warnings == (
        f"{V0} was written in the older save format 0 and was upgraded; "
        "saving the game again writes the current format",
    )
    game = loaded.game
    assert len(game.actions) == 16 and game.turn == 5 and not game.finished
    raw = json.loads(before)["payload"]
    assert game.state.to_json() == raw["state"]
    assert saves.replay_check(V0, [FIXTURES])[0] == 0
    assert V0.read_bytes() == before  # loading an old save never rewrites it


def test_a_migrated_game_saves_in_the_current_format(folder: Path) -> None:
    loaded = saves.load_game(V0, [FIXTURES])
    play(loaded.game, random.Random(1), 6)
    path = saves.autosave(loaded.game, folder, "g-v0", scenario_path=loaded.scenario_path)
    assert json.loads(path.read_bytes())["version"] == CURRENT_VERSION
    again = saves.load_game(path)
    assert again.warnings == () and again.game.actions == loaded.game.actions


def test_the_first_link_maps_every_field() -> None:
    old = json.loads(V0.read_bytes())["payload"]
    new = v0_to_v1(old)
    assert new["scenario"] == {
        "id": "save_fixture",
        "title": "save_fixture",
        "sha256": old["scenario_sha256"],
        "path": None,
        "resolved": None,
    }
    assert new["actions"][0] == {
        "type": "allocate",
        "line": "patrols",
        "resource": "troops",
        "amount": 2,
    }
    assert new["actions"][6] == {
        "type": "propose",
        "disagreement": "patrol_plan",
        "package": {"lead": "un_lead", "hours": "day_only"},
    }
    assert new["actions"][2] == {"type": "end_turn"}
    assert new["snapshot"] is old["state"] and new["seed"] == 5


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda p: p.pop("label"), "a format-0 save needs the field 'label'"),
        (lambda p: p["log"].__setitem__(2, ["end_turn", 1]), "log entry 3 has 1 fields, not 0"),
        (lambda p: p["log"].__setitem__(0, ["dance"]), "unknown action type 'dance'"),
        (lambda p: p.update(saved_at="yesterday"), "'saved_at' is not a UNIX time"),
    ],
)
def test_a_malformed_version_0_save_is_refused(tmp_path: Path, change: Any, match: str) -> None:
    payload = json.loads(V0.read_bytes())["payload"]
    change(payload)
    bad = tmp_path / "old.json"
    bad.write_bytes(_v0_bytes(payload))
    with pytest.raises(saves.SaveError) as caught:
        saves.load_game(bad, [FIXTURES])
    assert str(caught.value).startswith(f"{bad} cannot be upgraded from save format 0: ")
    assert match in str(caught.value)


def test_a_current_save_relabelled_version_0_is_refused(tmp_path: Path, folder: Path) -> None:
    loaded = saves.load_game(V0, [FIXTURES])
    path = saves.save_game(loaded.game, folder, "x", scenario_path=loaded.scenario_path)
    relabelled = tmp_path / "relabelled.json"
    relabelled.write_bytes(path.read_bytes().replace(b'"version":1', b'"version":0', 1))
    with pytest.raises(saves.SaveError, match="cannot be upgraded from save format 0"):
        saves.load_game(relabelled)
