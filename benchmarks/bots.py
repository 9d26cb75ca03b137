"""Bot cost: games per CPU-second and bytecodes per game of each built-in bot, and the wall
time of `accord playtest SCENARIO --policy all`.

Games per CPU-second drift with the machine's load (the machine these figures come from has
two cores shared by several people); bytecodes per game are the same on any machine and at any
moment for one Python version: compare two versions of the code with them.

    python benchmarks/bots.py [--scenario ID] [--games N] [--policies greedy,random]
                              [--all RUNS (0: skip)] [--workers N]

Bytecodes per greedy game (CPython 3.11, `--games 30`), before issue 18 and after:

    hybrid_mandate       1,001,891 -> 457,636  (2.2x fewer; mean score 58.1 -> 60.1)
    tutorial               250,863 -> 104,134  (2.4x; 72.4 -> 71.4)
    counter_piracy         838,261 -> 272,248  (3.1x; 48.6 -> 47.5)
    future_partnerships    758,606 -> 305,241  (2.5x; 61.4 -> 62.5)
    nato_eu_transition     733,093 -> 258,103  (2.8x; 56.2 -> 56.3)

(`GreedyPolicy.samples = 1` gives about 4x fewer, for two to four points of score.)

The scenarios have grown since (missions with a second half, agreements that can break). On
today's files, before and after the lazy offers, the copy plan and the greedy bot's tried
replays (2026-12-04, `--games 30`):

    hybrid_mandate       1,084,749 -> 873,773  (mean score 67.2 -> 67.1)
    future_partnerships    793,808 -> 671,757  (67.5 -> 67.4)
    tutorial               239,794 -> 212,234  (75.0 -> 75.0)

Then (2026-12-04, later) candidates weighed on `Game.look_ahead` (the next turn not begun), a
game's copy set group by group, and the best candidate's look-ahead taken as the turn
(`Game.take`, not played a second time); the same games, seed for seed:

    hybrid_mandate         874,429 -> 718,057 -> 654,127
    future_partnerships    671,757 -> 550,066 -> 495,205
    tutorial               212,234 -> 174,007 -> 158,465
    counter_piracy         489,011 -> 403,496 -> 361,091
    nato_eu_transition     473,574 -> 387,696 -> 350,704
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from types import FrameType

from game.library import load_scenario, resolve
from game.playtest.policies import make_policy, play_game
from game.scenario import Scenario


def _cpu() -> float:
    """CPU seconds of this process and of its finished workers: fair on a busy machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def rate(scenario: Scenario, policy: str, games: int) -> tuple[float, float]:
    """Games per CPU-second over seeds 1..games, and their mean score."""
    bot = make_policy(policy, scenario)
    play_game(scenario, bot, 0)  # the scenario's plan is built once, not counted
    start = time.process_time()
    total = sum(play_game(scenario, bot, seed).score for seed in range(1, games + 1))
    spent = time.process_time() - start
    return (games / spent if spent > 0 else 0.0), total / games


def bytecodes(scenario: Scenario, policy: str, games: int) -> float:
    """Python bytecodes executed per game (seeds 1..games), engine and bot together."""
    bot = make_policy(policy, scenario)
    play_game(scenario, bot, 0)
    count = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal count
        frame.f_trace_opcodes = True
        if event == "opcode":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        for seed in range(1, games + 1):
            play_game(scenario, bot, seed)
    finally:
        sys.settrace(None)
    return count / games


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="hybrid_mandate")
    parser.add_argument("--games", type=int, default=50, help="games per bot for the rate")
    parser.add_argument("--policies", default="random,greedy")
    parser.add_argument(
        "--all",
        type=int,
        default=0,
        metavar="RUNS",
        help="also time --policy all with RUNS runs (0: skip)",
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scenario = load_scenario(resolve(args.scenario))
    print(f"{scenario.id}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for policy in args.policies.split(","):
        per_cpu, mean = rate(scenario, policy, args.games)
        codes = bytecodes(scenario, policy, max(1, min(args.games, 5)))
        print(f"{policy:<10} {per_cpu:8.1f} games per CPU-second, {codes:12,.0f} bytecodes "
              f"per game (mean score {mean:.2f} over {args.games} games)")  # fmt: skip
    if args.all:
        from game.playtest.policies import policy_names
        from game.playtest.runner import batches

        names = [n for n in policy_names(scenario) if n != "expert"]
        wall, cpu = time.perf_counter(), _cpu()
        batches(scenario, names, args.all, 1, args.workers)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        print(
            f"--policy all --runs {args.all} ({len(names)} policies), {args.workers} workers: "
            f"{wall:.1f} s wall, {cpu:.1f} CPU-seconds"
        )


if __name__ == "__main__":
    main()
