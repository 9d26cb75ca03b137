"""`accord play`: the terminal game."""

from __future__ import annotations

import argparse

from game.commands._tui import launch


def run(args: argparse.Namespace) -> int:
    return launch(args)
