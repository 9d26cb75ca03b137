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


def say(line: str) -> None:
    """One line in one write: the parent and its child share stdout, and a short write to a
    pipe is never split, so their lines never merge. (print may write the text and its
    line end apart: with PYTHONUNBUFFERED set, a child's line could land between them.)"""
    os.write(1, f"{line}\n".encode())


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
        say(f"saving {len(game.actions)}")
        path = saves.autosave(game, folder, slot, scenario_path=scenario_path)
        say(f"ack {path.name} {len(game.actions)}")
        if rng.random() < 0.1:
            manual = saves.save_game(game, folder, "manual", scenario_path=scenario_path)
            say(f"ack {manual.name} {len(game.actions)}")


def main() -> None:
    folder, scenario_path = Path(sys.argv[1]), Path(sys.argv[2])
    load_scenario_cached(scenario_path)
    import filelock  # noqa: F401 - imported before forking, as the children will need it

    say("ready")
    for line in sys.stdin:
        command = line.split()
        if command[:1] == ["quit"]:
            return
        pid = os.fork()
        if pid == 0:
            try:
                child(folder, scenario_path, int(command[1]))
            except BaseException:
                say("error " + traceback.format_exc().replace("\n", " | ")[:3000])
            os._exit(3)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"done {pid} {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    main()
