"""`accord replay SAVE`: re-simulate a save from its action log and compare with its snapshot."""

from __future__ import annotations

import argparse
import sys

from game.cli import _paths
from game.safe_text import printable
from game.saves import SaveError, find_save, replay_check, saves_dir

EXIT_SAME, EXIT_DIFFERS, EXIT_UNREADABLE = 0, 1, 2


def run(args: argparse.Namespace) -> int:
    """Exit 0 when the replay matches the save, 1 with the first difference, 2 when the
    file cannot be read as a save (or its scenario cannot be found)."""
    try:
        path = find_save(args.save, saves_dir(getattr(args, "saves", None)))
    except SaveError as exc:
        print(f"accord replay: {printable(exc)}", file=sys.stderr)
        return EXIT_UNREADABLE
    code, message = replay_check(path, _paths(args.scenarios))
    if code == EXIT_UNREADABLE:
        print(f"accord replay: {printable(message)}", file=sys.stderr)
    else:
        print(printable(message))
    return code
