"""`accord validate PATH...`: every problem of every file, `file:line:col: error: message`.

With `--watch`, the check runs again whenever a file changes (its modification time or size,
polled twice a second with the standard library only; checked once it stays the same for one
poll), for an editor beside it; Ctrl+C ends it with status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from game.library import check_file, scenario_files
from game.safe_text import printable
from game.scenario import Problem

POLL_SECONDS = 0.5
SETTLE_POLLS = 10  # at most, waiting for a file being written to stay the same


def run(args: argparse.Namespace) -> int:
    if not getattr(args, "watch", False):
        return check(args)
    try:
        return watch(args)
    except KeyboardInterrupt:
        print("accord validate: stopped watching", file=sys.stderr)
        return EXIT_OK


def watch(args: argparse.Namespace) -> int:
    """Check, then check again after every change, until interrupted."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # Started where interrupts are ignored (a script's background job): Ctrl+C, or an
        # interrupt sent to it, must still stop the watch.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    seen = _signature(args.paths)
    if check(args) == EXIT_USAGE:
        return EXIT_USAGE  # a path that is not there is a typo, not a file to wait for
    while True:
        sys.stdout.flush()
        time.sleep(POLL_SECONDS)
        now = _signature(args.paths)
        if now == seen:
            continue
        for _ in range(SETTLE_POLLS):  # an editor may write a file in several steps
            time.sleep(POLL_SECONDS)
            settled = _signature(args.paths)
            if settled == now:
                break
            now = settled
        before, after = dict(seen), dict(now)
        changed = sorted(
            str(p) for p in before.keys() | after.keys() if before.get(p) != after.get(p)
        )
        seen = now
        shown = ", ".join(printable(c) for c in changed[:3]) + (
            f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        )
        # With --json, stdout holds only the reports, one JSON document each.
        print(
            f"\n--- changed: {shown}; checking again",
            file=sys.stderr if args.json else sys.stdout,
            flush=True,
        )
        check(args)


def _signature(values: list[str]) -> tuple[tuple[Path, tuple[int, int] | None], ...]:
    """Each file to check with its modification time and size (None while it is missing: an
    editor that saves by replacing the file removes it for a moment)."""
    given = [Path(value) for value in values]
    files = scenario_files([p for p in given if p.exists()]) + [p for p in given if not p.exists()]
    marks: list[tuple[Path, tuple[int, int] | None]] = []
    for path in sorted(set(files)):
        try:
            info = path.stat()
            marks.append((path, (info.st_mtime_ns, info.st_size)))
        except OSError:
            marks.append((path, None))
    return tuple(marks)


def check(args: argparse.Namespace) -> int:
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
