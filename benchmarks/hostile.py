"""Hostile inputs that used to hang a command: how long each takes now, and its peak memory.

- a disagreement with many two-option issues (30 make 6 billion packages with the tutorial's
  own two issues): `accord debrief` on a save of it, and one greedy bot game;
- 3,000 misspelt names among 3,000 real ones: `accord validate` (metrics and formulas).

Each case runs as a subprocess of `accord`; the wall time of each and the peak memory of
the largest are printed (on a shared machine the time varies; the order of magnitude is
the point: these took from half a minute to several minutes before they were bounded):

    python benchmarks/hostile.py [--issues 12 18 30] [--names 3000]
"""

from __future__ import annotations

import argparse
import copy
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = yaml.safe_load((ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))


def wide(issues: int) -> dict[str, Any]:
    data = copy.deepcopy(TUTORIAL)
    d = data["disagreements"]["patrol_plan"]
    d["opens"] = {"turn": 1}
    for i in range(issues):
        d["issues"][f"i{i}"] = {"label": f"Issue {i}", "options": {"a": "A", "b": "B"}}
        for party, (a, b) in (("un", (1.0, 0.0)), ("coastal_union", (0.0, 1.0))):
            d["preferences"][party]["weights"][f"i{i}"] = 0.1
            d["preferences"][party]["values"][f"i{i}"] = {"a": a, "b": b}
    return data


def misspelt(names: int, in_formulas: bool) -> dict[str, Any]:
    data = copy.deepcopy(TUTORIAL)
    data["metrics"].update({f"metric_number_{i}": {"label": "M", "start": 1} for i in range(names)})
    if in_formulas:
        effects = [{"metric": "stability", "add": f"metric_numbr_{i}"} for i in range(names)]
    else:
        effects = [{"metric": f"metric_numbr_{i}", "add": 1} for i in range(names)]
    data["rules"].append({"label": "Typos", "when": "true", "effects": effects})
    return data


def timed(*words: str | Path) -> tuple[float, int]:
    """(seconds, exit status) of one `accord` command."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "game", *map(str, words)], capture_output=True, cwd=ROOT
    )
    return time.perf_counter() - start, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, nargs="+", default=[12, 18, 30])
    parser.add_argument("--names", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for issues in args.issues:
            path = folder / f"wide{issues}.yaml"
            path.write_text(yaml.safe_dump(wide(issues)), encoding="utf-8")
            script = folder / f"wide{issues}.play.yaml"
            script.write_text(f"scenario: {path}\nturns: []\n", encoding="utf-8")
            save = folder / f"wide{issues}.json"
            timed("run", script, "--save", save)
            packages = 6 * 2**issues
            s, code = timed("debrief", save, "--benchmark-runs", "0")
            print(f"debrief, {issues} more issues ({packages:,} packages): {s:.2f} s (exit {code})")
            s, code = timed("playtest", path, "--runs", "1", "--policy", "greedy")
            print(f"one greedy game, {issues} more issues: {s:.2f} s (exit {code})")
        for in_formulas in (False, True):
            where = "formulas" if in_formulas else "effect targets"
            path = folder / f"typos-{where[0]}.yaml"
            path.write_text(yaml.safe_dump(misspelt(args.names, in_formulas)), encoding="utf-8")
            s, code = timed("validate", path)
            print(f"validate, {args.names:,} misspelt names in {where}: {s:.2f} s (exit {code})")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of the largest command: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
