"""`accord validate PATH...`: every problem of every file, `file:line:col: error: message`."""

from __future__ import annotations

import argparse
import json

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, existing_paths
from game.library import check_file, scenario_files
from game.scenario import Problem


def run(args: argparse.Namespace) -> int:
    paths = existing_paths("validate", args.paths)
    if paths is None:
        return EXIT_USAGE
    files = scenario_files(paths)
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
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(problem.format())
        noun = "file" if len(files) == 1 else "files"
        print(
            f"{len(files)} {noun} checked: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )
    failed = errors > 0 or (args.strict and warnings > 0)
    return EXIT_FAIL if failed else EXIT_OK
