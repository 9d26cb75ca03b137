"""`accord class DIR`: the instructor's live view of a class folder (`accord serve --class-dir`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli import EXIT_USAGE, _paths
from game.safe_text import printable


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "no such folder"
        print(f"accord class: {printable(folder)}: {what}", file=sys.stderr)
        return EXIT_USAGE
    from game.tui.classview import ClassApp

    app = ClassApp(folder, _paths(args.scenarios))
    app.run()
    return int(app.return_code or 0)
