"""`accord debrief SAVE`: the after-action review of a saved game, as text, Markdown or JSON."""

from __future__ import annotations

import argparse
import json
import shutil
import sys

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _paths
from game.debrief import (
    BENCHMARK_GAMES,
    Benchmark,
    bot_benchmark,
    build_debrief,
    render_markdown,
    render_text,
    to_json,
)
from game.debrief.render import WIDTH
from game.engine import Game
from game.playtest.policies import PolicyError, play_game
from game.playtest.text import ProgressBar
from game.safe_text import printable
from game.saves import SaveError, find_save, load_game, saves_dir


def benchmark(game: Game, games: int) -> tuple[Benchmark | None, str | None]:
    """The game's own comparison with bots (`bot_benchmark`, the one the game shows on `b`);
    (None, why) when bots cannot play here or the game is not over."""
    if not game.finished:
        return None, None  # the review says the game is in progress: nothing to compare
    progress = ProgressBar(sys.stderr, "benchmark") if sys.stderr.isatty() else None
    try:
        return bot_benchmark(game, play_game, games, progress), None
    except PolicyError as exc:
        return None, f"the bots could not play this scenario ({exc}), so there is no benchmark"
    finally:
        if progress is not None:
            progress.close()


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
    games = BENCHMARK_GAMES if args.benchmark_runs is None else args.benchmark_runs
    if games > 0:
        bench, why = benchmark(loaded.game, games)
        if why:
            print(f"accord debrief: warning: {why}", file=sys.stderr)
    review = build_debrief(loaded.game, player=loaded.info.player, benchmark=bench)
    if args.format == "json":
        print(json.dumps(to_json(review), indent=2, ensure_ascii=False))
    elif args.format == "md":
        sys.stdout.write(render_markdown(review))
    else:
        sys.stdout.write(render_text(review, _columns()))
    return EXIT_OK


def _columns() -> int:
    """The terminal's width when the review goes to one (a file or a pipe gets the full width:
    the same text on every machine)."""
    if not sys.stdout.isatty():
        return WIDTH
    return shutil.get_terminal_size((WIDTH, 24)).columns - 1
