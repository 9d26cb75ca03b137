"""A game process that autosaves after every action, for the SIGKILL test.

Run as `python _writer.py FOLDER SCENARIO`. It imports everything and checks the
scenario once, prints `ready`, then for each `go SEED` line on stdin forks a child
and prints `pid N`. The child resumes the latest autosave in FOLDER (or starts a new
game), plays random legal actions and autosaves after each one (with a manual save
now and then), writing `saving ACTIONS` before each autosave and `ack FILE ACTIONS`
after each save returns. It never stops by itself: the test kills it with SIGKILL.
The parent reaps it and prints `done N STATUS`. `quit` ends the parent.
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from savetools import random_action

from game import saves
from game.engine import Game
from game.saves.verify import load_scenario_cached


def child(folder: Path, scenario_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    scenario = load_scenario_cached(scenario_path)
    latest = saves.latest_autosave(folder)
    if latest is not None and not latest.finished:
        game, slot = saves.load_game(latest.path).game, latest.slot
    else:
        game, slot = Game.new(scenario, seed=rng.randrange(1 << 20)), saves.new_slot()
    while True:
        if game.finished:
            game, slot = Game.new(scenario, seed=rng.randrange(1 << 20)), saves.new_slot()
        assert game.apply(random_action(game, rng)).ok
        os.write(1, f"saving {len(game.actions)}\n".encode())
        path = saves.autosave(game, folder, slot, scenario_path=scenario_path)
        os.write(1, f"ack {path.name} {len(game.actions)}\n".encode())
        if rng.random() < 0.1:
            manual = saves.save_game(game, folder, "manual", scenario_path=scenario_path)
            os.write(1, f"ack {manual.name} {len(game.actions)}\n".encode())


def main() -> None:
    folder, scenario_path = Path(sys.argv[1]), Path(sys.argv[2])
    load_scenario_cached(scenario_path)
    import filelock  # noqa: F401 - imported before forking, as the children will need it

    print("ready", flush=True)
    for line in sys.stdin:
        command = line.split()
        if command[:1] == ["quit"]:
            return
        pid = os.fork()
        if pid == 0:
            try:
                child(folder, scenario_path, int(command[1]))
            except BaseException:
                os.write(
                    1, ("error " + traceback.format_exc().replace("\n", " | ") + "\n").encode()
                )
            os._exit(3)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"done {pid} {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    main()
