"""`accord run SCRIPT...`: play playthrough scripts and check their expectations."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _paths, existing_paths
from game.playtest.script import ScriptResult, run_file


def script_files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(path.rglob("*.play.yaml"))
        else:
            out.append(path)
    return out


def save_result(result: ScriptResult, target: str) -> str | None:
    """Write the script's game to a save file; the error sentence when it cannot. A script
    that did not start a game says why (its first failure: a YAML error with its line, a
    scenario that does not load, ...)."""
    try:
        from game import saves
        from game.safe_text import printable
    except ImportError:
        return "saving is not available in this build"
    if result.game is None:
        why = f": {result.failures[0]}" if result.failures else ""
        return printable(f"nothing was saved to {target}: the script did not start a game{why}")
    try:
        saves.save_game_to(result.game, Path(target))
    except saves.SaveError as exc:
        return printable(exc)
    return None


def run(args: argparse.Namespace) -> int:
    paths = existing_paths("run", args.scripts)
    if paths is None:
        return EXIT_USAGE
    files = script_files(paths)
    if not files:
        print("accord run: no *.play.yaml scripts found", file=sys.stderr)
        return EXIT_USAGE
    if args.save and len(files) != 1:
        print("accord run: --save needs exactly one script", file=sys.stderr)
        return EXIT_USAGE
    results = [run_file(path, _paths(args.scenarios)) for path in files]
    problem = save_result(results[0], args.save) if args.save else None
    if problem:
        # The results still follow: a script that failed shows why, as without --save.
        print(f"accord run: {problem}", file=sys.stderr)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "script": r.path,
                        "ok": r.ok,
                        "failures": r.failures,
                        "ending": r.game.ending if r.game else None,
                        "score": round(r.game.score, 2) if r.game else None,
                        "grade": r.game.grade if r.game else None,
                    }
                    for r in results
                ],
                indent=2,
            )
        )
    else:
        for r in results:
            if r.ok:
                g = r.game
                tail = (
                    f" (ending {g.ending}, grade {g.grade}, score {g.score:.1f})"
                    if g and g.finished
                    else ""
                )
                print(f"PASS {r.path}{tail}")
            else:
                print(f"FAIL {r.path}")
                for failure in r.failures:
                    print(f"  {failure}")
        failed = sum(1 for r in results if not r.ok)
        print(f"{len(results) - failed} passed, {failed} failed")
    return EXIT_FAIL if problem or any(not r.ok for r in results) else EXIT_OK
