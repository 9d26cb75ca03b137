"""Engine throughput: N random games per shipped scenario, on one core.

Prints games per second (wall clock and per CPU second, the fairer figure on a shared
machine, and the best 100-game batch's rate per CPU second: the machine's speed when nothing
slowed it), the median cost of `Game.apply` and of ending a turn, and the top engine functions
by own time when asked (--profile).

This machine's speed drifts by a quarter or more from one minute to the next, so --bytecodes
also counts the Python bytecodes a random game executes (engine and bot): the same count on
any machine and at any moment for one Python version, to compare two versions of the code.

    python benchmarks/engine.py [--games N] [--scenario ID] [--profile] [--bytecodes]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from game.engine import Action, EndTurn, Game, Outcome
from game.library import SHIPPED, load_scenario
from game.playtest.policies import RandomPolicy, play_game
from game.scenario import Scenario

BATCH = 100  # games per batch, for the best batch's rate


def throughput(scenario: Scenario, games: int) -> tuple[float, float, float, float]:
    """Games per wall second, games per CPU second, the best batch's games per CPU second
    (timeit's "best of" idea: the machine's speed when nothing slowed it), mean turns."""
    policy = RandomPolicy(scenario)
    turns = 0
    best = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, games, BATCH):
        batch = time.process_time()
        for seed in range(start, min(start + BATCH, games)):
            turns += play_game(scenario, policy, seed).turn
        spent = time.process_time() - batch
        if spent > 0:
            best = max(best, (min(start + BATCH, games) - start) / spent)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return games / wall, games / cpu, best, turns / games


def apply_costs(scenario: Scenario, games: int) -> tuple[list[int], list[int]]:
    """Nanoseconds per decision `apply` and per EndTurn `apply`, over `games` random games."""
    decisions: list[int] = []
    ends: list[int] = []
    policy = RandomPolicy(scenario)
    clock = time.perf_counter_ns
    for seed in range(games):
        game = Game.new(scenario, seed)
        real: Callable[[Action], Outcome] = game.apply

        def timed(action: Action, real: Callable[[Action], Outcome] = real) -> Outcome:
            start = clock()
            outcome = real(action)
            (ends if isinstance(action, EndTurn) else decisions).append(clock() - start)
            return outcome

        game.apply = timed  # type: ignore[method-assign]
        rng = random.Random(seed)
        while not game.finished:
            policy.play_turn(game, rng)
            game.apply(EndTurn())
    return decisions, ends


def profile(scenario: Scenario, games: int, top: int = 15) -> None:
    policy = RandomPolicy(scenario)
    profiler = cProfile.Profile()
    profiler.enable()
    for seed in range(games):
        play_game(scenario, policy, seed)
    profiler.disable()
    print(f"\nTop {top} functions by own time ({games} random games of {scenario.id}):")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


BOT = str(Path(__file__).resolve().parent.parent / "game" / "playtest")


def bytecodes(scenario: Scenario, games: int) -> tuple[float, float, list[tuple[str, int]]]:
    """Bytecodes executed per random game (seeds 0..games-1), of those the bot's own (in
    game/playtest: the rest is the engine's, compiled expressions included), and the busiest
    functions."""
    policy = RandomPolicy(scenario)
    counts: Counter[str] = Counter()
    bot = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal bot
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            counts[f"{Path(code.co_filename).name}:{code.co_name}"] += 1
            if code.co_filename.startswith(BOT):
                bot += 1
        return tracer

    sys.settrace(tracer)
    try:
        for seed in range(games):
            play_game(scenario, policy, seed)
    finally:
        sys.settrace(None)
    return sum(counts.values()) / games, bot / games, counts.most_common(12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=1000, help="games per scenario")
    parser.add_argument("--scenario", help="one scenario id (default: every shipped one)")
    parser.add_argument("--profile", action="store_true", help="profile hybrid_mandate too")
    parser.add_argument(
        "--bytecodes", action="store_true", help="count bytecodes per game instead of timing"
    )
    args = parser.parse_args()
    paths = sorted(SHIPPED.glob("*.yaml"))
    if args.scenario:
        paths = [p for p in paths if p.stem == args.scenario]
    if args.bytecodes:
        for path in paths:
            scenario = load_scenario(Path(path))
            play_game(scenario, "random", 0)  # the per-scenario plan is built once, not counted
            per_game, bot, busiest = bytecodes(scenario, min(args.games, 100))
            print(
                f"{scenario.id:<22} {per_game:9.0f} bytecodes per random game "
                f"(bot {bot:.0f}, engine {per_game - bot:.0f})"
            )
            for name, count in busiest if args.scenario else ():
                print(f"    {count / min(args.games, 100):8.0f}  {name}")
        return
    print(f"{args.games} random games per scenario, one core")
    print(f"{'scenario':<22} {'games/s':>8} {'games/cpu-s':>12} {'best batch':>11} "
          f"{'turns':>6} {'apply p50':>10} {'end turn p50':>13}")  # fmt: skip
    for path in paths:
        scenario = load_scenario(Path(path))
        play_game(scenario, "random", 0)  # warm up
        per_wall, per_cpu, best, turns = throughput(scenario, args.games)
        decisions, ends = apply_costs(scenario, max(1, args.games // 5))
        print(f"{scenario.id:<22} {per_wall:8.0f} {per_cpu:12.0f} {best:11.0f} {turns:6.1f} "
              f"{statistics.median(decisions) / 1000:8.1f}µs "
              f"{statistics.median(ends) / 1000:11.1f}µs")  # fmt: skip
    if args.profile:
        profile(load_scenario(SHIPPED / "hybrid_mandate.yaml"), min(args.games, 500))


if __name__ == "__main__":
    main()
