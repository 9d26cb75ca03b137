"""Round trips: a saved game loads as exactly the game that was played, and plays on the same."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from savetools import FIXTURES, ROOT, play, random_action

from game import saves
from game.engine import EndTurn, Game, Propose
from game.library import load_scenario
from game.saves.envelope import FORMAT
from game.scenario import Scenario, ScenarioError

SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def _shipped(path: Path) -> Scenario:
    try:
        return load_scenario(path)
    except ScenarioError as exc:  # a scenario being written: its own tests report it
        pytest.skip(f"{path.name} does not load: {exc}")


def _same_game(a: Game, b: Game) -> None:
    assert b.actions == a.actions
    assert b.state.to_json() == a.state.to_json()
    assert (b.turn, b.finished, b.ending, b.grade) == (a.turn, a.finished, a.ending, a.grade)
    assert b.score == pytest.approx(a.score, abs=1e-12)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_round_trip_on_every_shipped_scenario_at_several_points(path: Path, folder: Path) -> None:
    """Saved at the start, mid-turn, between turns and at the end, each save loads as the same
    game, its replay equals its snapshot, and both copies play on identically."""
    scenario = _shipped(path)
    seed = len(path.stem)
    rng = random.Random(seed)
    game = Game.new(scenario, seed=seed)
    points: list[tuple[Path, Game]] = []
    slot = saves.new_slot()
    for step in range(400):
        if step in (1, 5) or step % 12 == 0 or game.finished:
            points.append(
                (saves.save_game(game, folder, f"step {step}", scenario_path=path), game.copy())
            )
            saves.autosave(game, folder, slot, scenario_path=path)
        if game.finished:
            break
        assert game.apply(random_action(game, rng)).ok
    assert game.finished, "a random game should end within 400 actions"
    assert len(points) >= 4
    for file, at_save in points:
        loaded = saves.load_game(file)
        assert loaded.warnings == ()
        assert loaded.scenario_path == path
        _same_game(at_save, loaded.game)
        assert saves.replay_check(file)[0] == 0
        # The seeded generator is part of the game: both copies must go on identically.
        if not at_save.finished:
            further = random.Random(seed * 7)
            for _ in range(30):
                if at_save.finished:
                    break
                action = random_action(at_save, further)
                assert at_save.apply(action).ok
                assert loaded.game.apply(action).ok
            _same_game(at_save, loaded.game)
    auto = saves.load_game(folder / f"{slot}.json")
    _same_game(game, auto.game)
    assert auto.info.kind == "auto" and auto.info.finished


def test_info_describes_the_save(hybrid: Scenario, folder: Path) -> None:
    game = play(Game.new(hybrid, seed=4), random.Random(4), 25)
    path = saves.save_game(
        game,
        folder,
        "  Before the\nvote  ",
        scenario_path=ROOT / "scenarios" / "hybrid_mandate.yaml",
        player="Ana",
    )
    info = saves.load_game(path).info
    assert info.path == path and info.slot == path.stem
    assert info.name == "Before the vote"  # control characters and edges cleaned
    assert info.player == "Ana"
    assert (info.scenario_id, info.scenario_title) == ("hybrid_mandate", hybrid.title)
    assert (info.turn, info.turns) == (game.turn, hybrid.turns)
    assert info.score == pytest.approx(game.score)
    assert (info.finished, info.ending, info.kind) == (game.finished, game.ending, "manual")
    assert info.created == info.updated and info.created.endswith("Z")


def test_file_format_is_the_documented_envelope(hybrid: Scenario, folder: Path) -> None:
    game = play(Game.new(hybrid, seed=2), random.Random(2), 12)
    path = saves.save_game(game, folder, "x", scenario_path=Path(hybrid.file))
    assert path.parent == folder and saves.new_slot()[:2] == path.name[:2] == "g-"
    document = json.loads(path.read_text("utf-8"))
    assert list(document) == ["format", "version", "sha256", "payload"]
    assert (document["format"], document["version"]) == (FORMAT, saves.CURRENT_VERSION)
    payload = document["payload"]
    assert payload["seed"] == 2 and payload["name"] == "x" and payload["player"] is None
    assert payload["scenario"]["id"] == "hybrid_mandate"
    assert payload["scenario"]["sha256"] == hybrid.sha256
    assert payload["scenario"]["path"] == hybrid.file
    assert len(payload["actions"]) == len(game.actions)
    snapshot = payload["snapshot"]
    for key in ("turn", "metrics", "trust", "resources", "history", "score"):
        assert key in snapshot


def test_a_proposal_keeps_its_package_order(folder: Path) -> None:
    """Outcomes apply in the order of the proposal's package, so the log must keep it."""
    scenario = load_scenario(FIXTURES / "save_fixture.yaml")
    game = Game.new(scenario, seed=1)
    for _ in range(2):
        assert game.apply(EndTurn()).ok
    proposal = Propose.of("patrol_plan", {"lead": "joint", "hours": "night_too"})
    reversed_ = Propose.of("patrol_plan", {"hours": "night_too", "lead": "joint"})
    assert game.apply(reversed_).ok
    path = saves.save_game(game, folder, "order", scenario_path=Path(scenario.file))
    loaded = saves.load_game(path).game.actions[-1]
    assert loaded == reversed_ and loaded != proposal


def test_autosave_overwrites_its_slot_and_keeps_the_start_time(
    hybrid: Scenario, folder: Path
) -> None:
    game = Game.new(hybrid, seed=5)
    rng = random.Random(5)
    first = saves.autosave(game, folder, "g-test", scenario_path=Path(hybrid.file))
    created = saves.read_info(first).created
    for _ in range(3):
        play(game, rng, 6)
        path = saves.autosave(game, folder, "g-test", scenario_path=Path(hybrid.file))
        assert path == first
    info = saves.read_info(path)
    assert info.created == created and info.updated >= created
    assert len(saves.load_game(path).game.actions) == len(game.actions)
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == ["g-test.json"]


def test_autosave_never_overwrites_another_game(hybrid: Scenario, folder: Path) -> None:
    """Two processes playing on from one save each keep their game: the second goes to a fork."""
    base = play(Game.new(hybrid, seed=6), random.Random(6), 10)
    scenario_path = Path(hybrid.file)
    saves.autosave(base, folder, "g-one", scenario_path=scenario_path)
    a, b = base.copy(), base.copy()
    play(a, random.Random(1), 8)
    play(b, random.Random(2), 8)
    assert a.actions != b.actions
    path_a = saves.autosave(a, folder, "g-one", scenario_path=scenario_path)
    path_b = saves.autosave(b, folder, "g-one", scenario_path=scenario_path)
    assert (path_a.name, path_b.name) == ("g-one.json", "g-one-2.json")
    play(b, random.Random(3), 4)  # b plays on: it finds its own fork again
    assert saves.autosave(b, folder, "g-one", scenario_path=scenario_path) == path_b
    assert saves.load_game(path_a).game.actions == a.actions
    assert saves.load_game(path_b).game.actions == b.actions


def test_listing_is_newest_first_and_latest_autosave(hybrid: Scenario, folder: Path) -> None:
    scenario_path = Path(hybrid.file)
    assert saves.list_saves(folder) == [] and saves.latest_autosave(folder) is None
    game = Game.new(hybrid, seed=1)
    older = saves.autosave(game, folder, "g-old", scenario_path=scenario_path)
    manual = saves.save_game(game, folder, "manual", scenario_path=scenario_path)
    newer = saves.autosave(Game.new(hybrid, seed=2), folder, "g-new", scenario_path=scenario_path)
    finished = play(Game.new(hybrid, seed=3), random.Random(3), 1000)
    done = saves.autosave(finished, folder, "g-done", scenario_path=scenario_path)
    (folder / "notes.txt").write_text("not a save")
    (folder / "broken.json").write_text("{")
    listed = [info.path for info in saves.list_saves(folder)]
    assert listed == [done, newer, manual, older]
    latest = saves.latest_autosave(folder)  # a finished game is not continued
    assert latest is not None and latest.path == newer
    latest = saves.latest_autosave(folder, unfinished_only=False)
    assert latest is not None and latest.path == done
    _, damaged = saves.scan_saves(folder)
    assert [p.name for p, _ in damaged] == ["broken.json"]
    assert "broken.json" in damaged[0][1]


def test_find_save_by_path_slot_or_name(hybrid: Scenario, folder: Path, tmp_path: Path) -> None:
    game = Game.new(hybrid, seed=1)
    path = saves.save_game(game, folder, "Before the vote", scenario_path=Path(hybrid.file))
    assert saves.find_save(str(path), folder) == path
    assert saves.find_save(path.stem, folder) == path
    assert saves.find_save(path.name, folder) == path
    assert saves.find_save("before the VOTE", folder) == path
    with pytest.raises(saves.SaveError, match="no such save file"):
        saves.find_save(f"../{path.stem}", folder)


def test_save_game_to_writes_an_explicit_file(hybrid: Scenario, tmp_path: Path) -> None:
    game = play(Game.new(hybrid, seed=8), random.Random(8), 20)
    target = tmp_path / "out" / "final.json"
    target.parent.mkdir()
    assert saves.save_game_to(game, target) == target
    loaded = saves.load_game(target)
    assert loaded.info.name == "final" and loaded.scenario_path == Path(hybrid.file)
    assert [p.name for p in target.parent.iterdir()] == ["final.json"]  # no lock file left
    play(game, random.Random(9), 5)
    saves.save_game_to(game, target)  # replacing one's own save is fine
    assert saves.load_game(target).game.actions == game.actions
