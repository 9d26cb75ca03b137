"""One trainee's game in a served class: the process `accord serve` starts for each browser.

    python -m game.classroom.session --class-dir DIR [--scenario ID] [--scenarios DIR ...]

It runs the ordinary game, which first asks the trainee's name (game.tui.screens.join).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="accord-session")
    parser.add_argument("--class-dir", type=Path, required=True)
    parser.add_argument("--scenario")
    parser.add_argument("--scenarios", action="append")
    options = parser.parse_args(argv)
    from game.commands._tui import launch

    args = argparse.Namespace(
        scenario=options.scenario,
        scenarios=options.scenarios,
        class_dir=options.class_dir,
        seed=None,
        player=None,
        load=None,
        saves=None,
    )
    return launch(args)


if __name__ == "__main__":
    sys.exit(main())
