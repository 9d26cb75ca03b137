"""`accord debrief SAVE`: the after-action review of a saved game, as text, Markdown or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _paths
from game.debrief import (
    BOT_POLICIES,
    Benchmark,
    build_debrief,
    render_markdown,
    render_text,
    run_benchmark,
    to_json,
)
from game.engine import Game
from game.playtest.policies import PolicyError, play_game
from game.safe_text import printable, unescaped
from game.saves import SaveError, find_save, load_game, saves_dir


def _progress(done: int, total: int) -> None:
    end = "\n" if done == total else ""
    print(f"\rbenchmark: {done}/{total} bot games", end=end, file=unescaped(sys.stderr), flush=True)


def benchmark(game: Game, games: int) -> tuple[Benchmark | None, str | None]:
    """About `games` bot games split between the bot policies; (None, why) when bots cannot
    play here."""
    per_policy = max(1, games // len(BOT_POLICIES))
    show = _progress if sys.stderr.isatty() else None
    try:
        return run_benchmark(game, play_game, per_policy, BOT_POLICIES, show), None
    except PolicyError as exc:
        return None, f"the bots could not play this scenario ({exc}), so there is no benchmark"


def run(args: argparse.Namespace) -> int:
    """Exit 0 with the review on stdout; 2 when there is no such save or an option is wrong;
    1 when the save cannot be loaded."""
    try:
        path = find_save(args.save, saves_dir(getattr(args, "saves", None)))
    except SaveError as exc:
        print(f"accord debrief: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        loaded = load_game(path, _paths(args.scenarios))
    except SaveError as exc:
        print(f"accord debrief: {printable(exc)}", file=sys.stderr)
        return EXIT_FAIL
    for warning in loaded.warnings:
        print(f"accord debrief: warning: {printable(warning)}", file=sys.stderr)
    bench = None
    if args.benchmark_runs > 0:
        bench, why = benchmark(loaded.game, args.benchmark_runs)
        if why:
            print(f"accord debrief: warning: {why}", file=sys.stderr)
    review = build_debrief(loaded.game, player=loaded.info.player, benchmark=bench)
    if args.format == "json":
        print(json.dumps(to_json(review), indent=2, ensure_ascii=False))
    elif args.format == "md":
        sys.stdout.write(render_markdown(review))
    else:
        sys.stdout.write(render_text(review))
    return EXIT_OK
