"""The `accord` command: parses arguments and hands each command to its module. No game logic."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from game import __version__
from game.paths import default_saves
from game.safe_text import escaped

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse with one clear sentence on stderr and exit status 2 for usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"accord: {message} (see '{self.prog} --help')\n")


def _paths(values: list[str] | None) -> list[Path]:
    return [Path(v) for v in values or []]


def existing_paths(command: str, values: list[str]) -> list[Path] | None:
    """The paths given on the command line, or None (after saying which is missing)."""
    paths = _paths(values)
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"accord {command}: {missing[0]}: no such file or folder", file=sys.stderr)
        return None
    return paths


SEEDS = 10**15  # a seed is within ±10^15, as in a scenario file or a playthrough script


def _whole(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high` (a typo such as one zero too many
    would otherwise run for days or fill the memory)."""

    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not '{text}'") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}, not {value}")
        return value

    return whole


def _player(typed: str) -> str:
    """An argparse type: a trainee's name under the rule the browser applies when a trainee
    joins a class (game/classroom/names.py: at most 40 characters, letters, digits, spaces,
    '-', '.' and apostrophes), spaces collapsed as there."""
    from game.classroom.names import MAX_LENGTH, NameError_, trainee

    if len(typed) > 4 * MAX_LENGTH:  # not worth normalising (nor quoting back)
        raise argparse.ArgumentTypeError(f"A name is at most {MAX_LENGTH} characters.")
    control = next((c for c in typed if not c.isprintable() and c != " "), None)
    if control is not None:  # a newline or a tab would be collapsed to a space: refuse it
        raise argparse.ArgumentTypeError(
            f"A name holds letters, digits, spaces, '-', '.' and apostrophes, not {control!r}."
        )
    if not typed.strip():
        raise argparse.ArgumentTypeError("A name needs at least one letter.")
    try:
        return trainee(typed).name
    except NameError_ as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> Parser:
    p = Parser(
        prog="accord",
        description="Accord: a scenario-training game for strategic partnerships in peacekeeping.",
    )
    p.add_argument("--version", action="version", version=f"accord {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    play = sub.add_parser("play", help="play in the terminal (the menu when no scenario is given)")
    play.add_argument("scenario", nargs="?", help="a scenario id or a path to a .yaml file")
    play.add_argument(
        "--seed",
        type=_whole(-SEEDS, SEEDS),
        help="the game's seed (default: the scenario's)",
    )
    play.add_argument("--load", metavar="SAVE", help="resume a saved game")
    play.add_argument(
        "--player",
        type=_player,
        help="your name, kept in saves and debriefs (at most 40 characters: letters, digits, "
        "spaces, '-', '.' and apostrophes)",
    )
    _common(play, scenarios=True, saves=True)

    cont = sub.add_parser("continue", help="resume the latest autosave")
    _common(cont, scenarios=True, saves=True)

    val = sub.add_parser("validate", help="check scenario files (file:line:col messages)")
    val.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    val.add_argument("--json", action="store_true", help="print the problems as JSON")
    val.add_argument("--strict", action="store_true", help="treat warnings as errors")
    val.add_argument(
        "--watch", action="store_true", help="check again at every change, until Ctrl+C"
    )

    sub.add_parser("schema", help="print the JSON Schema of the scenario format")

    graph = sub.add_parser("graph", help="a map of a scenario: what writes and reads what")
    graph.add_argument("scenario", help="a scenario id or a path to a .yaml file")
    graph.add_argument(
        "--format", choices=["mermaid", "dot", "text"], default="mermaid", help="(default mermaid)"
    )
    _common(graph, scenarios=True)

    talks = sub.add_parser(
        "talks", help="the negotiation calculator: packages, verdicts, offers at a turn and trust"
    )
    talks.add_argument("scenario", help="a scenario id or a path to a .yaml file")
    talks.add_argument("disagreement", nargs="?", help="its id (default: every disagreement)")
    talks.add_argument(
        "--turn", type=_whole(1, 200), help="the turn (default: the turn the talks open)"
    )
    talks.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="PARTY=V",
        help="a party's trust, 0 to 100 (default: its start trust; may be repeated)",
    )
    talks.add_argument(
        "--top", type=_whole(1, 4096), default=30, help="packages listed (default 30, best first)"
    )
    talks.add_argument("--json", action="store_true", help="one JSON object on stdout")
    _common(talks, scenarios=True)

    run = sub.add_parser("run", help="run playthrough scripts and check their expectations")
    run.add_argument("scripts", nargs="+", metavar="SCRIPT", help="*.play.yaml files or folders")
    run.add_argument("--save", metavar="PATH", help="also write the game to a save file")
    run.add_argument("--json", action="store_true", help="print results as JSON")
    _common(run, scenarios=True)

    pt = sub.add_parser("playtest", help="Monte Carlo playthroughs: outcomes, coverage, balance")
    pt.add_argument("scenario", help="a scenario id or path")
    pt.add_argument("--runs", type=int, default=1000, help="games per policy (default 1000)")
    pt.add_argument(
        "--policy",
        default="random",
        help="random, greedy, expert, coverage, a fixed policy, module:Class, several of them "
        "separated by commas, or all",
    )
    pt.add_argument(
        "--seed", type=_whole(-SEEDS, SEEDS), default=1, help="base seed (run i uses seed + i)"
    )
    pt.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: one per core)"
    )
    pt.add_argument("--json", action="store_true", help="one JSON object on stdout")
    pt.add_argument(
        "--expert-runs", type=int, default=None,
        help="games of the expert and coverage bots (default 10, at most 1000; 0: leave them out)",
    )  # fmt: skip
    pt.add_argument("--detail", metavar="FILE", help="write every policy's full explanation")
    pt.add_argument("--compare", metavar="OLD.json", help="what moved since an earlier --json")
    pt.add_argument("--path-to", metavar="ENDING", help="find a run that reaches ENDING")
    pt.add_argument("--out", metavar="FILE", help="with --path-to: write a playthrough script")
    _common(pt, scenarios=True)

    rep = sub.add_parser("replay", help="re-simulate a save from its action log and compare")
    rep.add_argument("save", help="a save file")
    _common(rep, scenarios=True, saves=True)

    deb = sub.add_parser("debrief", help="the after-action review of a saved game")
    deb.add_argument("save", help="a save file")
    deb.add_argument("--format", choices=["text", "md", "json"], default="text")
    deb.add_argument(
        "--benchmark-runs",
        type=_whole(0, 100_000),
        default=None,
        help="bot games for the percentile, split between random and greedy (default: the "
        "same games the game itself plays, so both give the same figures; 0 for none)",
    )
    _common(deb, scenarios=True, saves=True)

    saves = sub.add_parser("saves", help="list saved games")
    saves.add_argument("--json", action="store_true")
    _common(saves, scenarios=True, saves=True)

    srv = sub.add_parser("serve", help="the game in the trainees' browsers, behind a class code")
    srv.add_argument("scenario", nargs="?", help="the class's scenario (default: trainees choose)")
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    srv.add_argument("--port", type=_whole(1, 65535), default=8000, help="port (default 8000)")
    srv.add_argument(
        "--class-dir", metavar="DIR", help="the class folder (default: class/ in the save folder)"
    )
    srv.add_argument("--code", help="the class code to use (default: a new random one)")
    srv.add_argument("--public-url", metavar="URL", help="the address trainees use, behind a proxy")
    srv.add_argument(
        "--max-sessions",
        type=_whole(1, 1000),
        default=60,
        help="games at once, each a process (default 60)",
    )
    _common(srv, scenarios=True)

    cls = sub.add_parser("class", help="the instructor's live view of a class folder")
    cls.add_argument("folder", metavar="DIR", help="the class folder (accord serve --class-dir)")
    _common(cls, scenarios=True)

    report = sub.add_parser("report", help="a class's games and decisions, as tables")
    report.add_argument("paths", nargs="+", metavar="SAVES_OR_FOLDERS")
    report.add_argument("--format", choices=["md", "csv", "json"], default="md")
    report.add_argument(
        "--out",
        metavar="FOLDER",
        help="write files there: games.csv, decisions.csv, summary.csv (csv) or report.json",
    )
    _common(report, scenarios=True)
    return p


def _common(p: argparse.ArgumentParser, scenarios: bool = False, saves: bool = False) -> None:
    if scenarios:
        p.add_argument(
            "--scenarios",
            metavar="DIR",
            action="append",
            help="another folder of scenarios (may be repeated)",
        )
    if saves:
        p.add_argument(
            "--saves",
            metavar="DIR",
            help=f"the save folder (default: $ACCORD_SAVES, else {default_saves()})",
        )


PATH_OPTIONS = ("save", "saves", "out", "load", "scenarios", "class_dir")
PATH_ARGUMENTS = (*PATH_OPTIONS, "paths", "scripts", "scenario", "folder")
# Commands whose module is not named like them (`class` is a Python keyword).
MODULES = {"class": "class_view"}


def _commands(parser: Parser) -> dict[str, Parser]:
    """Each command's own parser, by name."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _parse(parser: Parser, argv: list[str]) -> argparse.Namespace:
    """Parse `argv`; an option the command does not know is reported by that command's own
    parser, so the hint names its help (`accord playtest --help`)."""
    args, extra = parser.parse_known_args(argv)
    owner = _commands(parser).get(args.command or "play", parser)
    if extra:
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    # An empty path would quietly mean the current folder (or the default one).
    for name in PATH_ARGUMENTS:
        value = getattr(args, name, None)
        if value == "" or (isinstance(value, list) and "" in value):
            shown = f"--{name}" if name in PATH_OPTIONS else name.upper().rstrip("S")
            owner.error(f"the {shown} given is empty: name a file or folder")
    return args


def _safe_streams() -> None:
    """Output that cannot be shown as it is (a file name in another encoding) is escaped, not a
    crash; so is every control character (game.safe_text.terminal_safe); a closed stdout or
    stderr swallows what is written to it."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            continue
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
        # Every command's output shows control characters escaped (ESC in a scenario's title
        # must not retitle or clear the terminal); the terminal game draws on sys.__stderr__.
        setattr(sys, name, escaped(stream))


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0].startswith("-") and words[0] not in ("-h", "--help", "--version"):
        # Options first: `accord --saves DIR continue` is `accord continue --saves DIR`, and
        # with no command, `accord --seed 5` is `accord play --seed 5`.
        commands = _commands(parser)
        named = next((i for i, word in enumerate(words) if word in commands), None)
        if named is None:
            words = ["play", *words]
        else:
            words = [words[named], *words[:named], *words[named + 1 :]]
    args = _parse(parser, words)
    command = args.command or "play"
    if args.command is None:
        args = _parse(parser, ["play", *words])
    module = importlib.import_module(f"game.commands.{MODULES.get(command, command)}")
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and friends: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
