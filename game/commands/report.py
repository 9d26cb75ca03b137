"""`accord report SAVES_OR_FOLDERS...`: a class's saves in one table, as Markdown or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _paths
from game.debrief.classroom import GameRow, game_row, render_report_csv, render_report_markdown
from game.safe_text import printable
from game.saves import SaveError, load_game, scan_saves
from game.saves.files import resolved


def _save_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The save files named or found in the folders named; and a sentence per unreadable one."""
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        try:
            infos, damaged = scan_saves(path)
        except SaveError as exc:
            problems.append(str(exc))
            continue
        files += sorted(info.path for info in infos)
        problems += [why for _, why in damaged]
    unique: dict[Path, Path] = {}
    for path in files:
        unique.setdefault(resolved(path), path)
    return list(unique.values()), problems


def run(args: argparse.Namespace) -> int:
    """Exit 0 with the table on stdout; 1 when some save could not be loaded (the table
    still lists the others); 2 when a path does not exist or no save was found."""
    paths = _paths(args.paths)
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"accord report: {printable(missing[0])}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    files, problems = _save_files(paths)
    rows: list[GameRow] = []
    for path in files:
        try:
            loaded = load_game(path, _paths(args.scenarios))
        except SaveError as exc:
            problems.append(str(exc))
            continue
        info = loaded.info
        # Names and paths come from the files: no control character may reach the table.
        player = None if info.player is None else printable(info.player)
        rows.append(
            game_row(loaded.game, player=player, name=printable(info.name), file=printable(path))
        )
    for problem in problems:
        print(f"accord report: skipped: {printable(problem)}", file=sys.stderr)
    if not rows:
        if not problems:
            print("accord report: no save files found", file=sys.stderr)
            return EXIT_USAGE
        print("accord report: no save could be loaded", file=sys.stderr)
        return EXIT_FAIL
    render = render_report_csv if args.format == "csv" else render_report_markdown
    sys.stdout.write(render(rows))
    return EXIT_FAIL if problems else EXIT_OK
