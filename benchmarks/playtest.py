"""Playtest throughput: `accord playtest`'s batches on hybrid_mandate with 1 and 2 workers.

The issue's goal: 10,000 random games in under 10 seconds with 2 workers.

    python benchmarks/playtest.py [--runs N] [--scenario ID] [--greedy-runs N (0: none)]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from game.library import load_scenario, resolve
from game.playtest.runner import batches


def _cpu() -> float:
    """CPU seconds of this process and of its finished workers: fair on a busy machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--scenario", default="hybrid_mandate")
    parser.add_argument("--greedy-runs", type=int, default=100, help="0 skips greedy")
    args = parser.parse_args()
    scenario = load_scenario(resolve(args.scenario))
    print(f"{scenario.id}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for policy, runs in (("random", args.runs), ("greedy", args.greedy_runs)):
        if runs < 1:
            continue
        for workers in (1, 2):
            wall, cpu = time.perf_counter(), _cpu()
            result = batches(scenario, [policy], runs, 1, workers)[0]
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            label = f"{policy:<7} {runs:>6} games, {workers} worker{'s' * (workers > 1)}:"
            rates = f"{runs / wall:7.1f} games/s, {runs / cpu:6.1f} games per CPU-second"
            print(f"{label} {wall:6.2f} s, {rates} (mean score {result.mean:.2f})")


if __name__ == "__main__":
    main()
