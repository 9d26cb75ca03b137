"""How often `accord validate` names the right line for an indentation slip.

Moves random lines of the shipped scenarios 1 to 3 spaces left or right (seeded), parses each
changed file, and counts: files that still parse, messages that say "wrong indentation" at
the line that was moved, at another line, and other messages. Prints the counts and a few
misses to read.

    python scripts/indentation_slips.py [--per-file N] [--seed S]
"""

from __future__ import annotations

import argparse
import collections
import random
from pathlib import Path

from game.scenario.yamlpos import YamlProblem, parse_yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-file", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    counts: collections.Counter[str] = collections.Counter()
    misses: list[str] = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        movable = [
            i for i, ln in enumerate(lines)
            if ln.startswith("  ") and ln.strip() and not ln.lstrip().startswith("#")
        ]  # fmt: skip
        for _ in range(args.per_file):
            i, shift = rng.choice(movable), rng.choice((-3, -2, -1, 1, 2, 3))
            indent = len(lines[i]) - len(lines[i].lstrip(" "))
            changed = lines[:]
            changed[i] = " " * max(0, indent + shift) + lines[i].lstrip(" ")
            try:
                parse_yaml("\n".join(changed))
                counts["still parses"] += 1
            except YamlProblem as exc:
                if "wrong indentation" not in exc.message:
                    counts["another message"] += 1
                elif exc.line == i + 1:
                    counts["indentation, at the moved line"] += 1
                else:
                    counts["indentation, at another line"] += 1
                    misses.append(f"{path.name}:{i + 1} moved {shift:+d}: {exc}")
    for what, count in counts.most_common():
        print(f"{count:6d}  {what}")
    right, wrong = counts["indentation, at the moved line"], counts["indentation, at another line"]
    print(f"named the moved line in {right / max(1, right + wrong):.1%} of indentation messages")
    for miss in misses[:5]:
        print("  e.g.", miss[:160])


if __name__ == "__main__":
    main()
