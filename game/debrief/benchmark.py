"""Where a trainee's score falls among bots on the same scenario: a percentile.

Pure: the bot games are played by the function the caller passes in (`play_game` of
`game.playtest.policies`), so this module runs no policy code of its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from game.debrief.model import Benchmark, PolicyScores
from game.engine import Game
from game.scenario import Scenario

BOT_POLICIES = ("random", "greedy")
# The bot games of every debrief, in the game (`b`) and from `accord debrief`: split between
# BOT_POLICIES on the trainee's seed and the ones after it, so one save gives one comparison
# wherever it is read (a couple of seconds of bot play).
BENCHMARK_GAMES = 20

PlayGame = Callable[[Scenario, str, int], Game]
"""Plays one whole bot game: (scenario, policy name, seed) -> the finished Game."""

Progress = Callable[[int, int], None]
"""Told (games done, games in all) after each bot game, e.g. to move a progress bar."""


def percentile(score: float, scores: Sequence[float]) -> float:
    """The share of `scores` below `score`, ties counted half, from 0 to 100 (50 when empty)."""
    if not scores:
        return 50.0
    below = sum(1 for s in scores if s < score - 1e-9)
    equal = sum(1 for s in scores if abs(s - score) <= 1e-9)
    return 100.0 * (below + 0.5 * equal) / len(scores)


def benchmark_from_scores(
    score: float, seeds: Sequence[int], scores: Mapping[str, Sequence[float]]
) -> Benchmark:
    """A benchmark from bot scores already played, one list per policy."""
    policies = tuple(
        PolicyScores(name, tuple(float(s) for s in values), percentile(score, values))
        for name, values in scores.items()
    )
    pooled = [s for values in scores.values() for s in values]
    return Benchmark(score, tuple(seeds), policies, percentile(score, pooled))


def bot_seeds(seed: int, runs: int) -> tuple[int, ...]:
    """Run 0 plays the trainee's own seed; run i plays seed + i, so chance events and the
    random bot's choices vary while the greedy bot's first game meets exactly what the
    trainee met."""
    return tuple(seed + i for i in range(max(0, runs)))


def run_benchmark(
    game: Game,
    play_game: PlayGame,
    runs: int = 20,
    policies: Sequence[str] = BOT_POLICIES,
    progress: Progress | None = None,
) -> Benchmark:
    """Play `runs` bot games per policy on the trainee's scenario and seeds, and place the
    trainee's score among them. Raises whatever `play_game` raises (e.g. for an unknown policy)."""
    seeds = bot_seeds(game.seed, runs)
    total = len(seeds) * len(policies)
    scores: dict[str, list[float]] = {}
    done = 0
    for name in policies:
        for seed in seeds:
            scores.setdefault(name, []).append(play_game(game.s, name, seed).score)
            done += 1
            if progress is not None:
                progress(done, total)
    return benchmark_from_scores(game.score, seeds, scores)


def bot_benchmark(
    game: Game,
    play_game: PlayGame,
    games: int = BENCHMARK_GAMES,
    progress: Progress | None = None,
) -> Benchmark | None:
    """The comparison every debrief shows: about `games` bot games split between BOT_POLICIES
    (at least one each). None for an unfinished game: a score part-way through a mission is
    not comparable with the scores of whole games."""
    if not game.finished:
        return None
    per_policy = max(1, games // len(BOT_POLICIES))
    return run_benchmark(game, play_game, per_policy, BOT_POLICIES, progress)
