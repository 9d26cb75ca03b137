"""`accord validate PATH...`: every problem of every file, `file:line:col: error: message`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from game.library import check_file, scenario_files
from game.scenario import Problem


def run(args: argparse.Namespace) -> int:
    # A path that does not exist is said on stderr and ends with the usage status, but the
    # files that do exist are still checked and reported (and in --json, the missing listed).
    given = [Path(value) for value in args.paths]
    missing = [str(path) for path in given if not path.exists()]
    for name in missing:
        print(f"accord validate: {name}: no such file or folder", file=sys.stderr)
    files: list[Path] = []
    for path in given:
        inside = scenario_files([path]) if path.exists() else []
        # A folder with nothing to check is a mistake too (a wrong folder, or one that cannot
        # be read), not a pass.
        if path.is_dir() and not inside:
            readable = os.access(path, os.R_OK | os.X_OK)
            why = "no .yaml scenario file in it" if readable else "this folder cannot be read"
            print(f"accord validate: {path}: {why}", file=sys.stderr)
            missing.append(str(path))
        files += inside
    problems: list[Problem] = []
    for path in files:
        _, found = check_file(path)
        problems += found
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if args.json:
        print(
            json.dumps(
                {
                    "files": len(files),
                    "errors": errors,
                    "warnings": warnings,
                    "problems": [p.to_json() for p in problems],
                    "missing": missing,
                },
                indent=2,
            )
        )
    elif files or not missing:
        for problem in problems:
            print(problem.format())
        noun = "file" if len(files) == 1 else "files"
        print(
            f"{len(files)} {noun} checked: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )
    if missing:
        return EXIT_USAGE
    failed = errors > 0 or (args.strict and warnings > 0)
    return EXIT_FAIL if failed else EXIT_OK
