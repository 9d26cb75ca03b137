"""Save figures: save time and load-with-verification time for a 12-turn and a 40-turn game,
the SIGKILL test at a larger count, and two processes racing on one autosave with and
without the folder lock.

Times are medians over --repeats runs, in a temporary folder on the same disk as the
system's temp folder. A save is `autosave` (lock, read of the slot's previous file,
encode, temporary file, flush, fsync, os.replace, fsync of the folder); a load is
`load_game` (read, checksum, validate, find and check the scenario, replay, compare).

    python benchmarks/saves.py [--repeats N] [--kills N] [--races N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "saves"))  # the kill and race helpers live there

from savetools import SHIPPED, play  # noqa: E402

from game import saves  # noqa: E402
from game.engine import Game  # noqa: E402
from game.library import load_scenario  # noqa: E402
from game.saves import verify  # noqa: E402
from game.saves.envelope import encode  # noqa: E402
from game.saves.store import _payload  # noqa: E402
from game.scenario import Scenario  # noqa: E402

LONG_WATCH = """\
format: accord/1
id: long_watch
title: "The Long Watch"
summary: "A forty-month observer mission: a benchmark scenario for saves."
difficulty: standard
turns: 40
turn_label: month
seed: 4
briefing: "Forty months of patient work with two partners."
metrics:
  stability: {label: Stability, start: 50, headline: true}
  support: {label: Local support, start: 45}
resources:
  funding: {label: Funding, unit: "$M", per_turn: 6}
  staff: {label: Staff teams}
  capital: {label: Political capital, per_turn: 1, carry: true, max: 5}
stakeholders:
  un: {name: United Nations, kind: international_org, trust: 60, provides: {funding: 8},
       withdraws_below: 5}
  league: {name: Regional League, kind: regional_org, trust: 55, provides: {staff: 4},
           withdraws_below: 5}
lines_of_effort:
  patrols:
    label: Patrols
    accepts: [staff, funding]
    effects:
      - {metric: stability,
         add: "1.2 * sqrt(alloc.patrols.staff) + 0.2 * sqrt(alloc.patrols.funding)"}
  projects:
    label: Community projects
    accepts: [funding, capital]
    effects:
      - {metric: support, add: "sqrt(alloc.projects.funding / 2) + alloc.projects.capital"}
      - {trust: league, add: "0.2 * sqrt(alloc.projects.funding)"}
strategies:
  joint_watch:
    label: Joint watch
    kind: multilateral
    partners: [un, league]
    cost: {capital: 2}
    upkeep: {funding: 2}
    min_turns: 2
    each_turn: [{metric: stability, add: 1}]
    on_early_end: [{trust: [un, league], add: -4}]
disagreements:
  rotation:
    label: Rotation plan
    parties: [un, league]
    opens: {turn: 5}
    deadline: 12
    proposal_cost: {capital: 1}
    pressure: {metric: support, add: -0.5}
    issues:
      pace: {label: Pace, options: {fast: Fast, slow: Slow}}
      lead: {label: Lead, options: {un: UN, league: League}}
    preferences:
      un:
        weights: {pace: 0.5, lead: 0.5}
        values: {pace: {fast: 0.3, slow: 0.9}, lead: {un: 1.0, league: 0.4}}
        reservation: 0.5
        concession: linear
      league:
        weights: {pace: 0.5, lead: 0.5}
        values: {pace: {fast: 0.9, slow: 0.4}, lead: {un: 0.3, league: 1.0}}
        reservation: 0.5
        concession: linear
    outcomes:
      pace.fast: [{metric: stability, add: 1, each_turn: true}]
    on_agree: [{trust: parties, add: 3}]
    on_fail: [{trust: parties, add: -3}]
events:
  flood:
    title: Flood
    text: "The river rises."
    when: "turn >= 3"
    chance: 0.15
    once: false
    choices:
      help: {label: Send staff, requires: "res.staff >= 1",
             effects: [{resource: staff, add: -1}, {metric: support, add: 3}]}
      wait: {label: Wait, effects: [{metric: support, add: -2}]}
rules:
  - {label: "Tension", effects: [{metric: stability, add: -1.5}]}
  - {label: "Fatigue", effects: [{metric: support, add: -1}]}
endings:
  steady: {check: at_end, when: "stability >= 50", text: "Steady."}
  holding: {check: at_end, when: "true", text: "Held."}
scoring:
  score: "0.5 * mean(stability) + 0.5 * final(support)"
  grades: {A: 75, B: 60, C: 45, D: 30}
lessons:
  - {when: "max(stability) < 60", text: "Stability never rose far."}
"""


def full_game(scenario: Scenario, turns: int) -> Game:
    """A random game that plays all `turns` turns (the first seed whose game lasts)."""
    best: Game | None = None
    for seed in range(500):
        game = play(Game.new(scenario, seed=seed), random.Random(seed), 10_000)
        if best is None or game.turn > best.turn:
            best = game
        if game.turn >= turns:
            return game
    assert best is not None
    return best


def median_ms(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(label: str, game: Game, scenario_path: Path, folder: Path, repeats: int) -> None:
    path = saves.autosave(game, folder, f"g-{game.s.id}", scenario_path=scenario_path)

    def save() -> None:
        saves.autosave(game, folder, f"g-{game.s.id}", scenario_path=scenario_path)

    def encode_only() -> None:
        encode(_payload(game, kind="auto", name="x", player=None, created="", updated="",
                        scenario_path=scenario_path))  # fmt: skip

    verify._scenarios.clear()
    start = time.perf_counter()
    saves.load_game(path)
    cold = (time.perf_counter() - start) * 1000
    print(f"{label}: {game.turn} turns, {len(game.actions)} actions, {path.stat().st_size:,} bytes")
    print(f"  save (autosave, with fsync)        {median_ms(save, repeats):7.2f} ms")
    print(f"    of which building the JSON        {median_ms(encode_only, repeats):7.2f} ms")
    load = median_ms(lambda: saves.load_game(path), repeats)
    print(f"  load with verification (replay)    {load:7.2f} ms")
    print(f"    first load, checking the scenario {cold:7.2f} ms")


def kills(count: int, folder: Path) -> None:
    from test_saves_kill import kill_rounds

    start = time.perf_counter()
    stats = kill_rounds(folder, count, seed=2026)
    seconds = time.perf_counter() - start
    print(f"SIGKILL test: {stats['kills']} kills in {seconds:.1f} s, every save readable and the")
    print(f"  latest autosave replaying after each; {stats['kills inside a write']} kills left a")
    print(f"  temporary file (killed inside a write); {stats['acknowledged saves']} saves were")
    print("  acknowledged and none was lost")


def races(count: int, folder: Path) -> None:
    from test_saves_concurrency import race, start_rivals

    base = play(Game.new(load_scenario(SHIPPED), seed=12), random.Random(12), 10)
    for flags, label in ((("--no-lock",), "without the lock"), ((), "with the lock   ")):
        where = folder / label.strip().replace(" ", "-")
        where.mkdir(parents=True)
        rivals = start_rivals(where, *flags)
        try:
            lost = sum(bool(race(where, rivals, base, n)) for n in range(count))
        finally:
            for rival in rivals:
                rival.close()
        print(f"two processes saving one autosave at once, {label}: {lost} of {count} lost a game")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--races", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        root = Path(tmp)
        long_path = root / "long_watch.yaml"
        long_path.write_text(LONG_WATCH, "utf-8")
        hybrid = load_scenario(SHIPPED)
        long = load_scenario(long_path)
        measure(
            "12-turn game (hybrid_mandate)",
            full_game(hybrid, 12),
            SHIPPED,
            root / "a",
            args.repeats,
        )
        measure(
            "40-turn game (long_watch)", full_game(long, 40), long_path, root / "b", args.repeats
        )
        if args.races:
            races(args.races, root / "races")
        if args.kills:
            kills(args.kills, root / "kills")


if __name__ == "__main__":
    main()
