"""`accord serve`: the game in the trainees' browsers, one game process per browser.

Each trainee first types the class code (printed here at start), then their name; their games
live in their own folder of the class folder, where Continue and Load see only theirs.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import shlex
import sys
from pathlib import Path

from game.cli import EXIT_FAIL, EXIT_USAGE
from game.safe_text import printable


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def class_folder(option: str | None) -> Path:
    """The class folder: --class-dir, else `class/` in the save folder."""
    if option:
        return Path(option).expanduser()
    from game.saves import saves_dir

    return saves_dir(None) / "class"


def run(args: argparse.Namespace) -> int:
    try:
        from game.classroom.server import ClassServer, new_code, plain_code
    except ModuleNotFoundError as exc:
        print(
            f"accord serve: the browser game needs textual-serve ({exc.name} is missing): "
            "pip install 'accord[serve]'",
            file=sys.stderr,
        )
        return EXIT_FAIL
    folder = class_folder(args.class_dir)
    if folder.exists() and not folder.is_dir():
        print(f"accord serve: {printable(folder)} is a file, not a class folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"accord serve: cannot create {printable(folder)}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAIL
    command = [sys.executable, "-m", "game.classroom.session", "--class-dir", str(folder.resolve())]
    for extra in args.scenarios or []:
        command += ["--scenarios", str(Path(extra).resolve())]
    if args.scenario:
        from game.commands._tui import _scenario

        found = _scenario(str(args.scenario), [Path(d) for d in args.scenarios or []])
        if isinstance(found, int):
            return found
        command += ["--scenario", str(found[1].resolve())]
    code = plain_code(args.code) if args.code is not None else new_code()
    if len(code) < 4:
        print("accord serve: a class code needs at least 4 letters or digits", file=sys.stderr)
        return EXIT_USAGE
    host = args.host
    shown = f"[{host}]" if ":" in host else host
    url = args.public_url or f"http://{shown}:{args.port}/"

    def banner() -> None:
        lines = [
            f"Accord is served at {url}",
            f"Class code: {code}",
            f"Trainees' games: {folder}",
            f"At most {args.max_sessions} games at once. Ctrl+C stops the class "
            "(games in progress are autosaved).",
        ]
        if not _loopback(host):
            lines.append(
                "This server is reachable from the network without TLS: put it behind a "
                "reverse proxy with HTTPS (docs/classroom.md)."
            )
        print("\n".join(printable(line) for line in lines), flush=True)

    server = ClassServer(
        shlex.join(command),
        host=host,
        port=args.port,
        code=code,
        public_url=args.public_url,
        max_sessions=args.max_sessions,
        banner=banner,
    )
    try:
        server.serve()
    except OSError as exc:
        why = "the port is in use (choose another with --port)"
        if exc.errno != errno.EADDRINUSE:
            why = exc.strerror or str(exc)
        print(f"accord serve: cannot listen on {shown}:{args.port}: {why}", file=sys.stderr)
        return EXIT_FAIL
    return 0
