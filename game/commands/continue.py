"""`accord continue`: resume the latest autosave in the terminal game."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

from game.cli import EXIT_FAIL
from game.safe_text import printable
from game.saves import SaveError, damaged_autosaves, latest_autosave, saves_dir

# What `accord play` would have parsed; the terminal UI reads these from `args`.
TUI = "game.commands._tui"
PLAY_DEFAULTS = {"scenario": None, "seed": None, "player": None, "scenarios": None}


def nothing_to_continue(folder: Path) -> str:
    """Why there is nothing to continue: no autosave, or only autosaves that are damaged (an
    autosave cut short by a full disk must not pass for no autosave)."""
    try:
        damaged = damaged_autosaves(folder)
    except SaveError:
        damaged = []
    where = printable(folder)
    if not damaged:
        return f"no autosave to continue in {where}"
    _, why = damaged[0]  # it names the file
    more = f" ({len(damaged) - 1} more damaged save(s) there)" if len(damaged) > 1 else ""
    return f"no autosave can be continued in {where}: {printable(why)}{more}"


def run(args: argparse.Namespace) -> int:
    folder = saves_dir(getattr(args, "saves", None))
    try:
        info = latest_autosave(folder)
    except SaveError as exc:
        print(f"accord: {printable(exc)}", file=sys.stderr)
        return EXIT_FAIL
    if info is None:
        ended = latest_autosave(folder, unfinished_only=False)
        if ended is not None:  # only a finished game: say so, and where to see it
            print(
                f"accord: no game in progress; your last game, {printable(ended.name)}, has "
                f"ended (accord debrief {printable(ended.path)} reviews it)",
                file=sys.stderr,
            )
        else:
            print(f"accord: {nothing_to_continue(folder)}", file=sys.stderr)
        return EXIT_FAIL
    for name, value in PLAY_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    args.load = str(info.path)
    args.saves = str(folder)
    # Imported by name: the terminal UI (and Textual) load only when a game is played.
    try:
        tui = importlib.import_module(TUI)
    except ModuleNotFoundError as exc:
        if exc.name != TUI:
            raise
        print("accord: the terminal game is not part of this build", file=sys.stderr)
        return EXIT_FAIL
    launch: Callable[[argparse.Namespace], int] = tui.launch
    return int(launch(args))
