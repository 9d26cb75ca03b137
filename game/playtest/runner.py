"""Monte Carlo playtesting: many seeded games per policy, in worker processes, summed up.

Run i of a batch plays with seed `seed + i` (the game's and the policy's generator), and the
runs are summed in index order, so a batch gives the same numbers whatever `workers` is.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import signal
import statistics
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.playtest.coverage import coverage_json, never_reached, reached
from game.playtest.deals import capped
from game.playtest.explain import MOST_CLAUSES, Tally, agreement_said, clauses, why_never
from game.playtest.policies import (
    CoveragePolicy,
    PolicyError,
    is_built_in,
    is_fixed,
    make_policy,
    play_game,
)
from game.scenario import Scenario

GRADES = ("A", "B", "C", "D", "F")
DOMINANCE_MARGIN = 2.0
NO_ENDING = "none"

Progress = Callable[[int, int], None]  # (runs done, runs in all)


class PlaytestError(Exception):
    """A batch that cannot run: a bad policy, a bad count, or a policy that failed mid-game."""


@dataclass
class Chunk:
    """What a range of runs gave; summed in index order by the parent."""

    policy: str
    start: int
    scores: list[float] = field(default_factory=list)
    grades: Counter[str] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)
    reached: Counter[str] = field(default_factory=Counter)
    first: dict[str, int] = field(default_factory=dict)  # ending -> first run index
    tally: Tally = field(default_factory=Tally)
    error: str = ""


@dataclass
class BatchResult:
    """One policy's batch. `to_json` is the object of playthrough-format.md."""

    scenario: Scenario
    policy: str
    runs: int
    seed: int
    seconds: float
    scores: list[float]
    grades: Counter[str]
    endings: Counter[str]
    reached: Counter[str]
    first: dict[str, int]
    tally: Tally = field(default_factory=Tally)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    def paths(self) -> dict[str, dict[str, int]]:
        """For every ending reached, the first run that reached it and its seed."""
        order = [e for e in self.scenario.endings if e in self.first]
        order += [e for e in self.first if e not in self.scenario.endings]
        return {e: {"run": self.first[e], "seed": self.seed + self.first[e]} for e in order}

    def to_json(self) -> dict[str, Any]:
        endings = {e: self.endings[e] for e in self.scenario.endings}
        if self.endings[NO_ENDING]:
            endings[NO_ENDING] = self.endings[NO_ENDING]
        return {
            "scenario": self.scenario.id,
            "policy": self.policy,
            "runs": self.runs,
            "seed": self.seed,
            "seconds": round(self.seconds, 3),
            "games_per_second": games_per_second(self.runs, self.seconds),
            "score": score_summary(self.scores),
            "grades": {g: self.grades[g] for g in GRADES},
            "endings": endings,
            "coverage": coverage_json(self.scenario, self.reached),
            "never_reached": [item.name for item in never_reached(self.scenario, self.reached)],
            "paths": self.paths(),
            "explain": self.tally.to_json(self.scenario),
        }


def percentile(ordered: Sequence[float], p: float) -> float:
    """The p-th percentile of sorted values, interpolated linearly between neighbours."""
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    low = math.floor(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def score_summary(scores: Sequence[float]) -> dict[str, float]:
    ordered = sorted(scores)
    if not ordered:
        return dict.fromkeys(("mean", "stdev", "min", "p10", "p50", "p90", "max"), 0.0)
    stdev = statistics.stdev(scores) if len(scores) > 1 else 0.0
    out = {"mean": statistics.fmean(scores), "stdev": stdev, "min": ordered[0]}
    out |= {f"p{p}": percentile(ordered, p) for p in (10, 50, 90)}
    out["max"] = ordered[-1]
    return {k: round(v, 2) for k, v in out.items()}


# ---- playing ranges of runs, here or in workers ---------------------------------------

_SCENARIO: Scenario | None = None  # the scenario of the current batch, inherited by workers
# What the coverage bot aims at: what the batch's other policies never reached (inherited by
# forked workers; a spawned worker aims at every gated item instead).
_TARGETS: frozenset[str] = frozenset()


def play_range(scenario: Scenario, policy: str, start: int, stop: int, seed: int) -> Chunk:
    """Runs start..stop-1 of a batch; a failing policy is reported, never raised."""
    chunk = Chunk(policy, start)
    # Games make no reference cycles worth chasing: the cyclic collector only slows a batch
    # (about a tenth), so it rests during a chunk and runs again after it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _play_into(chunk, scenario, policy, start, stop, seed)
    finally:
        if collecting:
            gc.enable()
    return chunk


def _play_into(
    chunk: Chunk, scenario: Scenario, policy: str, start: int, stop: int, seed: int
) -> None:
    # A built-in policy keeps nothing from one game to the next, so one serves the chunk; a
    # plugged-in one is made afresh for every game, as it may keep state.
    shared = make_policy(policy, scenario) if is_built_in(policy) else None
    if policy == "coverage":
        shared = CoveragePolicy(scenario, _TARGETS)
    for i in range(start, stop):
        try:
            bot = shared if shared is not None else make_policy(policy, scenario)
            game = play_game(scenario, bot, seed + i)
        except Exception as exc:
            where = f"run {i} (seed {seed + i})"
            chunk.error = f"policy '{policy}' failed in {where}: {type(exc).__name__}: {exc}"
            return
        score = game.score
        chunk.scores.append(score)
        chunk.grades[game.grade] += 1
        ending = game.ending or NO_ENDING
        chunk.endings[ending] += 1
        chunk.first.setdefault(ending, i)
        chunk.reached.update(reached(game))
        chunk.tally.add(scenario, game, i)


def _task(task: tuple[str, int, int, int]) -> Chunk:
    assert _SCENARIO is not None, "worker started without a scenario"
    return play_range(_SCENARIO, *task)


def _init_worker(path: str | None) -> None:
    global _SCENARIO
    # Ctrl-C is the parent's business: it stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _SCENARIO is None and path is not None:
        from game.library import load_scenario

        _SCENARIO = load_scenario(path)


def chunk_size(runs: int, workers: int) -> int:
    return max(1, min(100, runs // (workers * 20)))


def chunks(
    scenario: Scenario,
    tasks: list[tuple[str, int, int, int]],
    workers: int,
    progress: Progress | None = None,
) -> Generator[Chunk, None, None]:
    """Play the tasks (policy, start, stop, seed) and yield their chunks in task order."""
    global _SCENARIO
    total = sum(stop - start for _, start, stop, _ in tasks)
    done = 0
    # 'fork' hands the scenario to the workers as it is (even one parsed from text);
    # 'spawn' makes each worker load it again from its file.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    loadable = method == "fork" or Path(scenario.file).is_file()
    if workers <= 1 or len(tasks) <= 1 or not loadable:
        results: Iterator[Chunk] = (play_range(scenario, *task) for task in tasks)
        pool = None
    else:
        _SCENARIO = scenario
        context = multiprocessing.get_context(method)
        path = None if method == "fork" else scenario.file
        pool = context.Pool(min(workers, len(tasks)), _init_worker, (path,))
        results = pool.imap(_task, tasks)
    try:
        for chunk in results:
            if chunk.error:
                raise PlaytestError(chunk.error)
            done += len(chunk.scores)
            if progress is not None:
                progress(done, total)
            yield chunk
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _SCENARIO = None


def _check(scenario: Scenario, names: Sequence[str], runs: int, workers: int) -> None:
    if runs < 1:
        raise PlaytestError(f"--runs must be at least 1, not {runs}")
    if workers < 1:
        raise PlaytestError(f"--workers must be at least 1, not {workers}")
    for name in names:
        try:
            make_policy(name, scenario)
        except PolicyError as exc:
            raise PlaytestError(str(exc)) from exc


EXPERT_RUNS = 10  # the expert's games by default: each costs a few hundred greedy games


def runs_of(name: str, runs: int, expert_runs: int | None) -> int:
    """A policy's games in a batch: the expert has its own (smaller) budget."""
    if name in SEARCHERS:
        return expert_runs if expert_runs is not None else min(runs, EXPERT_RUNS)
    return runs


SEARCHERS = ("expert", "coverage")  # the bots that search: few games, one task each


def _tasks(
    names: Sequence[str], runs: int, seed: int, workers: int, expert_runs: int | None = None
) -> list[tuple[str, int, int, int]]:
    out = []
    for name in names:
        n = runs_of(name, runs, expert_runs)
        size = 1 if name in SEARCHERS else chunk_size(n, workers)
        out += [(name, s, min(s + size, n), seed) for s in range(0, n, size)]
    # The longest tasks first, so that no worker is left with them at the end.
    return sorted(out, key=lambda task: task[0] not in SEARCHERS)


def batches(
    scenario: Scenario,
    names: Sequence[str],
    runs: int,
    seed: int,
    workers: int,
    progress: Progress | None = None,
    expert_runs: int | None = None,
) -> list[BatchResult]:
    """One batch per policy name, sharing one pool of workers."""
    _check(scenario, names, runs, workers)
    out: dict[str, BatchResult] = {
        name: BatchResult(
            scenario,
            name,
            runs_of(name, runs, expert_runs),
            seed,
            0.0,
            [],
            Counter(),
            Counter(),
            Counter(),
            {},
            Tally(),
        )
        for name in names
    }
    clock = time.perf_counter()
    # The coverage bot plays last, aiming at what the others never reached.
    first = [name for name in names if name != "coverage"]
    phases = [first, [name for name in names if name == "coverage"]]
    for phase in phases:
        if not phase:
            continue
        if phase[0] == "coverage":
            total: Counter[str] = Counter()
            for name in first:
                total.update(out[name].reached)
            _set_targets(frozenset(item.name for item in never_reached(scenario, total)))
        try:
            tasks = _tasks(phase, runs, seed, workers, expert_runs)
            for chunk in chunks(scenario, tasks, workers, progress):
                result = out[chunk.policy]
                result.scores += chunk.scores
                result.grades.update(chunk.grades)
                result.endings.update(chunk.endings)
                result.reached.update(chunk.reached)
                for ending, index in chunk.first.items():
                    result.first.setdefault(ending, index)
                result.tally.merge(chunk.tally)
                now = time.perf_counter()
                result.seconds += now - clock
                clock = now
        finally:
            _set_targets(frozenset())
    return list(out.values())


def _set_targets(targets: frozenset[str]) -> None:
    global _TARGETS
    _TARGETS = targets


def run_batch(
    scenario: Scenario,
    policy_name: str,
    runs: int,
    seed: int,
    workers: int,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The `--json` object of playthrough-format.md for one policy."""
    return batches(scenario, [policy_name], runs, seed, workers, progress)[0].to_json()


EXPERT_MARGIN = 5.0
LEVEL_MARGIN = 1.0  # a fixed plan this close to greedy (or above) plays like a competent player
REFERENCES = ("expert", "greedy", "random")  # what fixed plans are measured against, in order


def dominance(results: Sequence[BatchResult]) -> dict[str, Any]:
    """Each fixed policy's distance to the best policy and to random; the fixed policies
    within 5 points of the expert (or, without an expert, 2 points of greedy, else of random)
    dominate: a fixed plan is never measured against itself. `easy` names the fixed plans
    that are an easy answer even so: level with greedy (within 1 point, or above) while the
    expert played, or grade A in every game."""
    if not results:
        return {
            "best": None, "against": None, "margin": 0.0, "fixed": {}, "dominant": [],
            "easy": {},
        }  # fmt: skip
    means = {r.policy: round(r.mean, 2) for r in results}
    best = max(means, key=lambda name: means[name])
    against = next((name for name in REFERENCES if name in means), None)
    margin = EXPERT_MARGIN if against == "expert" else DOMINANCE_MARGIN
    fixed = {
        name: {
            "mean": m,
            "to_best": round(m - means[best], 2),
            "to_random": round(m - means["random"], 2) if "random" in means else None,
        }
        for name, m in means.items()
        if is_fixed(name)
    }
    flagged = (
        []
        if against is None
        else [name for name in fixed if means[name] >= means[against] - margin]
    )
    easy: dict[str, dict[str, Any]] = {}
    for r in results:
        if not is_fixed(r.policy):
            continue
        level = against == "expert" and "greedy" in means
        to_greedy = round(means[r.policy] - means["greedy"], 2) if level else None
        as_greedy = to_greedy is not None and to_greedy >= -LEVEL_MARGIN
        all_a = r.runs > 0 and r.grades["A"] == r.runs
        if as_greedy or all_a:
            easy[r.policy] = {
                "mean": means[r.policy],
                "as_good_as_greedy": as_greedy,
                "to_greedy": to_greedy,
                "all_grade_a": all_a,
            }
    return {
        "best": best, "against": against, "margin": margin, "fixed": fixed,
        "dominant": flagged, "easy": easy,
    }  # fmt: skip


def dominant(results: Sequence[BatchResult]) -> list[str]:
    """The fixed policies that dominate (see `dominance`)."""
    return list(dominance(results)["dominant"])


def games_per_second(games: int, seconds: float) -> float:
    """A batch's rate for --json: one decimal, or three significant digits below 1 (a slow
    batch never reads 0.0)."""
    if seconds <= 0:
        return 0.0
    rate = games / seconds
    return round(rate, 1) if rate >= 1 else float(f"{rate:.3g}")


def combined_json(results: Sequence[BatchResult], policy: str = "all") -> dict[str, Any]:
    """The `--policy all` object (or of several policies, `policy` naming them as asked): one
    object per policy, the dominant fixed policies, and what no policy ever reached."""
    first = results[0]
    seconds = sum(r.seconds for r in results)
    games = sum(r.runs for r in results)
    total: Counter[str] = Counter()
    for r in results:
        total.update(r.reached)
    return {
        "scenario": first.scenario.id,
        "policy": policy,
        "runs": first.runs,
        "seed": first.seed,
        "seconds": round(seconds, 3),
        "games_per_second": games_per_second(games, seconds),
        "policies": [r.to_json() for r in results],
        "dominant": dominant(results),
        "dominance": dominance(results),
        "never_reached": [item.name for item in never_reached(first.scenario, total)],
        "why_never_reached": why_never_reached(results),
        "capped": capped_notes(first.scenario),
    }


def capped_notes(scenario: Scenario) -> list[str]:
    """What the bots and the report did not weigh in full, one sentence each."""
    notes = capped(scenario)
    _, skipped = clauses(scenario)
    if skipped:
        notes.append(
            f"{skipped} clauses of conditions were not traced (the most is {MOST_CLAUSES}): "
            "why an item was never reached may be missing for them"
        )
    return notes


def why_never_reached(results: Sequence[BatchResult]) -> dict[str, str]:
    """For each item no policy reached, the clause of its condition that never held."""
    s = results[0].scenario
    total: Counter[str] = Counter()
    tally = Tally()
    for r in results:
        total.update(r.reached)
        tally.merge(r.tally)
    out = {}
    for item in never_reached(s, total):
        out[item.name] = why_never(s, tally, item.name) or _why_other(s, tally, item.name)
    return out


def _why_other(s: Scenario, tally: Tally, name: str) -> str:
    kind, _, key = name.partition(".")
    if kind == "agreements":
        return agreement_said(tally, key)
    if kind == "choices":
        event = key.split(".")[0]
        return f"its event {event} was never answered with it (no condition: bots never chose it)"
    if kind == "events":
        return "no condition: it depends on its turn and chance"
    return ""


def find_path(
    scenario: Scenario,
    ending: str,
    names: Sequence[str],
    runs: int,
    seed: int,
    workers: int,
    progress: Progress | None = None,
) -> tuple[str, int] | None:
    """The first (policy, seed) among `runs` runs of each policy, in order, that reaches
    `ending`; None when none does. The coverage bot aims at the ending (`aimed_at`)."""
    _check(scenario, names, runs, workers)
    for name in names:
        tasks = _tasks([name], runs, seed, workers)
        if name == "coverage":
            _set_targets(aimed_at(ending))
        try:
            with closing(chunks(scenario, tasks, workers, progress)) as played:
                for chunk in played:
                    if ending in chunk.first:
                        return name, seed + chunk.first[ending]
        finally:
            _set_targets(frozenset())
    return None


def aimed_at(ending: str) -> frozenset[str]:
    """The coverage bot's targets when it looks for a path to `ending` (`--path-to`)."""
    return frozenset({f"endings.{ending}"})
