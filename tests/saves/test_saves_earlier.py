"""A game saved on a version of a scenario since changed replays exactly when that version is
kept beside it, in `earlier/<id>.<first 12 hex digits of its sha256>.yaml`."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from savetools import FIXTURES, ROOT, play

from game import saves
from game.engine import Game
from game.library import load_scenario
from game.scenario import check_scenario

SHIPPED = ROOT / "scenarios"
KEPT = sorted((SHIPPED / "earlier").glob("*.yaml"))


def _finished_on(path: Path, seed: int) -> Game:
    """A whole game of random legal actions on the scenario at `path`."""
    game = Game.new(load_scenario(path), seed=seed)
    rng = random.Random(seed)
    while not game.finished:
        play(game, rng, 50)
    return game


def test_a_save_on_an_earlier_version_replays_on_the_kept_copy(
    tmp_path: Path, folder: Path
) -> None:
    mine = tmp_path / "mine" / "my_valley.yaml"
    mine.parent.mkdir()
    old = (
        (FIXTURES / "save_fixture.yaml")
        .read_text("utf-8")
        .replace("id: save_fixture", "id: my_valley")
    )
    mine.write_text(old, "utf-8")
    game = _finished_on(mine, seed=3)
    path = saves.save_game(game, folder, "mine", scenario_path=mine)
    # The scenario changes (a rule is harder), and its earlier version is kept beside it.
    mine.write_text(old.replace("add: -2}]}", "add: -3}]}"), "utf-8")
    changed = saves.load_game(path)
    assert "now differs from the save" in changed.warnings[0]
    sha = hashlib.sha256(old.encode("utf-8")).hexdigest()
    kept = mine.parent / "earlier" / f"my_valley.{sha[:12]}.yaml"
    kept.parent.mkdir()
    kept.write_text(old, "utf-8")
    loaded = saves.load_game(path)  # found beside the file the save names
    assert loaded.warnings == () and loaded.scenario_path == kept
    assert loaded.game.actions == game.actions and loaded.game.score == game.score
    assert saves.replay_check(path, search=[mine.parent])[0] == 0
    # A kept file whose text is not that version is not taken for it.
    kept.write_text(old.replace("Valley stability", "Stability"), "utf-8")
    assert saves.load_game(path, search=[mine.parent]).warnings != ()


def test_every_kept_version_is_named_by_its_own_id_and_hash_and_still_loads() -> None:
    assert KEPT, "scenarios/earlier holds the versions before the last change of each mission"
    for path in KEPT:
        scenario, problems = check_scenario(path.read_bytes(), str(path))
        assert scenario is not None and not [p for p in problems if p.severity == "error"]
        sid, short = path.name.removesuffix(".yaml").split(".")
        assert scenario.id == sid and (SHIPPED / f"{sid}.yaml").is_file()
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:12] == short


@pytest.mark.parametrize("kept", KEPT, ids=[p.name for p in KEPT])
def test_a_whole_game_on_the_earlier_shipped_version_loads_exactly(
    kept: Path, folder: Path
) -> None:
    """As a trainee's save from before the change: it names the shipped file, whose text has
    changed since, and replays on the kept copy without a warning."""
    sid = kept.name.split(".")[0]
    game = _finished_on(kept, seed=5)
    path = saves.save_game(game, folder, "before", scenario_path=SHIPPED / f"{sid}.yaml")
    loaded = saves.load_game(path)
    assert loaded.warnings == () and loaded.scenario_path == kept
    assert loaded.game.actions == game.actions and loaded.game.score == game.score
