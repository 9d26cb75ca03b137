"""`accord report SAVES_OR_FOLDERS...`: a class's saves, as a Markdown table, CSV or JSON.

A class folder (`accord serve --class-dir`) is read with each trainee's folder in it.
`--out FOLDER` writes games.csv, decisions.csv and summary.csv (or report.json); the columns are
documented in docs/classroom.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _paths
from game.debrief.classroom import (
    DecisionRow,
    GameRow,
    decision_rows,
    export_document,
    export_tables,
    game_row,
    render_report_csv,
    render_report_markdown,
)
from game.safe_text import printable
from game.saves import SaveError, load_game, scan_saves
from game.saves.files import atomic_write, resolved

MAX_TRAINEE_FOLDERS = 1000


def _save_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The save files named or found in the folders named; and a sentence per unreadable one."""
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for folder in [path, *_trainee_folders(path)]:
            try:
                infos, damaged = scan_saves(folder)
            except SaveError as exc:
                problems.append(str(exc))
                continue
            files += sorted(info.path for info in infos)
            problems += [why for _, why in damaged]
    unique: dict[Path, Path] = {}
    for path in files:
        unique.setdefault(resolved(path), path)
    return list(unique.values()), problems


def _trainee_folders(folder: Path) -> list[Path]:
    """The trainees' folders of a class folder (those holding a `.trainee` file), capped."""
    from game.classroom.seats import TRAINEE_FILE

    try:
        found = sorted(p for p in folder.iterdir() if (p / TRAINEE_FILE).is_file())
    except OSError:
        return []
    return found[:MAX_TRAINEE_FOLDERS]


# What the start of a file `accord report` wrote reads like, by the file's kind: a file of that
# name that does not is someone else's, and is never written over.
OURS = {".csv": 16, ".md": len("# Class report")}  # the first characters, as the new file's
JSON_MARK = '"format": "accord-class-report"'


def _foreign(folder: Path, files: dict[str, str]) -> str | None:
    """The first of `files` already in `folder` that `accord report` did not write (a save
    copied there, a spreadsheet of one's own): replacing it would lose it."""
    for name, text in files.items():
        path = folder / name
        if not path.exists() and not path.is_symlink():
            continue
        if not path.is_file() or path.is_symlink():
            return name
        try:
            with path.open("rb") as handle:
                start = handle.read(4096).decode("utf-8", errors="replace")
        except OSError:
            return name
        suffix = path.suffix
        if suffix == ".json":
            ours = JSON_MARK in start
        else:
            length = OURS.get(suffix, 0)
            ours = length > 0 and start[:length] == text[:length]
        if not ours:
            return name
    return None


def _write(folder: Path, files: dict[str, str]) -> str | None:
    """Write the export files into `folder` (created if needed); the sentence why not, if not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            atomic_write(folder / name, text.encode("utf-8"))
    except (OSError, SaveError) as exc:
        return f"cannot write to {folder}: {getattr(exc, 'strerror', None) or exc}"
    return None


def run(args: argparse.Namespace) -> int:
    """Exit 0 with the table on stdout; 1 when some save could not be loaded (the table
    still lists the others); 2 when a path does not exist or no save was found."""
    paths = _paths(args.paths)
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"accord report: {printable(missing[0])}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    files, problems = _save_files(paths)
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        print(f"accord report: --out {printable(out)} is a file; name a folder", file=sys.stderr)
        return EXIT_USAGE
    rows: list[GameRow] = []
    decisions: list[DecisionRow] = []
    for path in files:
        try:
            loaded = load_game(path, _paths(args.scenarios))
        except SaveError as exc:
            problems.append(str(exc))
            continue
        info = loaded.info
        # Names and paths come from the files: no control character may reach the table.
        player = None if info.player is None else printable(info.player)
        name = printable(info.name)
        rows.append(game_row(loaded.game, player=player, name=name, file=printable(path)))
        decisions += decision_rows(loaded.game, player=player, name=name)
    for problem in problems:
        print(f"accord report: skipped: {printable(problem)}", file=sys.stderr)
    if not rows:
        if not problems:
            print("accord report: no save files found", file=sys.stderr)
            return EXIT_USAGE
        print("accord report: no save could be loaded", file=sys.stderr)
        return EXIT_FAIL
    done = EXIT_FAIL if problems else EXIT_OK
    if args.format == "json":
        text = json.dumps(export_document(rows, decisions), indent=2, ensure_ascii=False) + "\n"
        if out is None:
            sys.stdout.write(text)
            return done
        written: dict[str, str] = {"report.json": text}
    elif out is not None:
        written = (
            export_tables(rows, decisions)
            if args.format == "csv"
            else {"report.md": render_report_markdown(rows)}
        )
    else:
        render = render_report_csv if args.format == "csv" else render_report_markdown
        sys.stdout.write(render(rows))
        return done
    foreign = _foreign(out, written) if out.is_dir() else None
    if foreign is not None:
        print(
            f"accord report: {printable(out / foreign)} exists and was not written by accord "
            "report: nothing was written; move it or name another folder",
            file=sys.stderr,
        )
        return EXIT_USAGE
    failure = _write(out, written)
    if failure is not None:
        print(f"accord report: {printable(failure)}", file=sys.stderr)
        return EXIT_FAIL
    for name in written:
        print(printable(out / name))
    return done
