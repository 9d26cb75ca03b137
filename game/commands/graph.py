"""`accord graph SCENARIO [--format mermaid|dot|text]`: a map of what writes and reads what."""

from __future__ import annotations

import argparse
import sys

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _paths
from game.library import load_scenario, resolve
from game.safe_text import printable
from game.scenario import ScenarioError
from game.scenario.graph import FORMATS, scenario_graph

PROG = "accord graph"


def run(args: argparse.Namespace) -> int:
    try:
        path = resolve(args.scenario, _paths(args.scenarios))
    except ScenarioError as exc:
        print(f"{PROG}: {printable(exc.problems[0].format())}", file=sys.stderr)
        return EXIT_USAGE
    if not path.is_file():
        why = "is a folder; name one scenario file or id" if path.is_dir() else "no such file"
        print(f"{PROG}: {printable(path)}: {why}", file=sys.stderr)
        return EXIT_USAGE
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        more = len(exc.errors) - 1
        tail = f" (and {more} more; see accord validate)" if more > 0 else ""
        print(f"{PROG}: {printable(exc.errors[0].format())}{tail}", file=sys.stderr)
        return EXIT_FAIL
    graph = scenario_graph(scenario)
    sys.stdout.write(FORMATS[args.format](graph, scenario.model.title))
    return EXIT_OK
