"""Measure a shipped scenario with the balance lab and write the figures into its header.

Runs what the header says it ran (`accord playtest ID --policy all --runs 1000 --expert-runs
5`, seeds 1..1000) and replaces the header's balance block: from its `# Balance:` line to
the line that says what the bots reached (`# Every ...` or `# Never reached ...`). The rest
of the file is left as it was, byte for byte; `--check` only prints the new block.

    python scripts/balance_header.py tutorial hybrid_mandate ... [--runs 1000] [--check]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from game.library import SHIPPED, load_scenario
from game.playtest.policies import policy_names
from game.playtest.runner import batches, combined_json
from game.playtest.text import percent

EXPERT_RUNS = 5


def block(scenario_id: str, runs: int) -> list[str]:
    """The header's balance block, measured now."""
    scenario = load_scenario(SHIPPED / f"{scenario_id}.yaml")
    names = policy_names(scenario)
    # One batch, as `--policy all` plays it: the coverage bot aims at what the others missed.
    results = batches(scenario, names, runs, 1, os.cpu_count() or 1, expert_runs=EXPERT_RUNS)
    data = combined_json(results)
    out = [
        f"# Balance: `accord playtest {scenario_id} --policy all --runs {runs} --expert-runs "
        f"{EXPERT_RUNS}` (seeds 1..{runs}; expert, coverage: {EXPERT_RUNS} games):",
        f"#  {'policy':<41}mean  stdev  {'A/B/C/D/F':<20}endings",
    ]
    means = {}
    for p in data["policies"]:
        score, total = p["score"], max(1, p["runs"])
        means[p["policy"]] = score["mean"]
        grades = "/".join(str(p["grades"][g]) for g in "ABCDF")
        shares = sorted(p["endings"].items(), key=lambda kv: -kv[1])
        endings = ", ".join(f"{e} {percent(n / total)}" for e, n in shares if n)
        out.append(
            f"#   {p['policy']:<39}{score['mean']:5.1f}{score['stdev']:7.1f}  {grades:<20}{endings}"
        )
    expert = next(p for p in data["policies"] if p["policy"] == "expert")["score"]
    fixed = data["dominance"]["fixed"]
    closest = max(fixed, key=lambda name: fixed[name]["mean"])
    dominant = data["dominant"]
    verdict = (
        f"dominant: {', '.join(dominant)}"
        if dominant
        else f"no fixed plan within 5 of it (closest: {closest}, "
        f"{fixed[closest]['mean'] - expert['mean']:+.1f}; "
        f"{fixed[closest]['to_random']:+.1f} to random)"
    )
    out.append(
        f"# greedy - random = {means['greedy'] - means['random']:.1f} points; expert ceiling "
        f"{expert['mean']:.1f} (stdev {expert['stdev']:.1f}, {expert['min']:.1f}-"
        f"{expert['max']:.1f}), {expert['mean'] - means['greedy']:.1f} above greedy; {verdict}."
    )
    never = data["never_reached"]
    every = "# Every event, choice, strategy, agreement, ending and lesson was reached by some bot."
    out.append(f"# Never reached by a bot: {', '.join(never)}." if never else every)
    return out


def rewrite(path: Path, new: list[str]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("# Balance:"))
    end = next(
        i for i in range(start, len(lines)) if lines[i].startswith(("# Every ", "# Never reached"))
    )
    if lines[end].startswith("# Never reached") and new[-1].startswith("# Never reached"):
        # The same items never reached: the author's note on them (how a playthrough reaches
        # them, say) stays.
        items = new[-1].split(": ", 1)[1].rstrip(".")
        if lines[end].split(": ", 1)[1].startswith(items):
            new = [*new[:-1], lines[end].rstrip("\n")]
    lines[start : end + 1] = [line + "\n" for line in new]
    path.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--check", action="store_true", help="print the block, change nothing")
    args = parser.parse_args()
    for scenario_id in args.scenarios:
        new = block(scenario_id, args.runs)
        print("\n".join(new), flush=True)
        if not args.check:
            rewrite(SHIPPED / f"{scenario_id}.yaml", new)
            print(f"written: {SHIPPED / scenario_id}.yaml", file=sys.stderr)


if __name__ == "__main__":
    main()
