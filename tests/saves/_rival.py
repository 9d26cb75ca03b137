"""One of two game processes saving into one folder at once, for the concurrency test.

Run as `python _rival.py FOLDER SCENARIO TAG [--few-names] [--no-lock]`; it prints
`ready` and then answers commands on stdin, one JSON line each:

- `bulk N`: N times, play a little, autosave its own game to slot `p-TAG`, autosave a
  second game to the slot `shared` that the other process also uses, and make a
  manual save named `TAG I`.
- `race SLOT SEED`: load the autosave SLOT, play on from it, print `armed`, wait for
  `fire`, then autosave to SLOT at the same moment as the other process.

`--few-names` draws manual slot ids from 256 names so that the two processes collide
often; `--no-lock` removes the folder lock and the sweep (for the benchmark only).
"""

from __future__ import annotations

import json
import random
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from savetools import play

from game import saves
from game.engine import Game, action_to_json
from game.saves import store
from game.saves.verify import load_scenario_cached


def bulk(folder: Path, scenario_path: Path, tag: str, count: int) -> dict[str, Any]:
    rng = random.Random(tag)
    scenario = load_scenario_cached(scenario_path)
    own = Game.new(scenario, seed=rng.randrange(1 << 20))
    shared = Game.new(scenario, seed=rng.randrange(1 << 20))
    manual: list[str] = []
    for i in range(count):
        play(own, rng, rng.randint(1, 3))
        play(shared, rng, 1)
        saves.autosave(own, folder, f"p-{tag}", scenario_path=scenario_path)
        saves.autosave(shared, folder, "shared", scenario_path=scenario_path)
        saves.save_game(own, folder, f"{tag} {i}", scenario_path=scenario_path)
        manual.append(f"{tag} {i}")
    return {
        "own": [own.seed, len(own.actions)],
        "shared": [shared.seed, len(shared.actions)],
        "manual": manual,
    }


def race(folder: Path, scenario_path: Path, slot: str, seed: int) -> dict[str, Any]:
    game = saves.load_game(folder / f"{slot}.json").game
    play(game, random.Random(seed), 4)
    print("armed", flush=True)
    sys.stdin.readline()  # "fire"
    path = saves.autosave(game, folder, slot, scenario_path=scenario_path)
    return {"path": path.name, "actions": [action_to_json(a) for a in game.actions]}


def main() -> None:
    folder, scenario_path, tag = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    if "--few-names" in sys.argv:
        names = random.Random(tag)
        store.new_slot = lambda: f"g-few-{names.randrange(256):03d}"  # type: ignore[assignment]
    if "--no-lock" in sys.argv:
        # Sweeping is safe only under the lock: without it, it would delete live temp files.
        store.locked = lambda folder: nullcontext()  # type: ignore[assignment]
        store.sweep = lambda *args, **kwargs: 0  # type: ignore[assignment]
    load_scenario_cached(scenario_path)
    import filelock  # noqa: F401 - imported now so that both processes start a race equal

    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[0] == "bulk":
            report = bulk(folder, scenario_path, tag, int(words[1]))
        elif words[0] == "race":
            report = race(folder, scenario_path, words[1], int(words[2]))
        else:
            return
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
