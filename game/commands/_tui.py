"""Start the terminal game (`accord play`, `accord continue`): check the inputs, run the app."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _fail(sentence: str, details: list[str] | tuple[str, ...] = ()) -> int:
    print(f"accord: {sentence}", file=sys.stderr)
    for line in details:
        print(line, file=sys.stderr)
    return EXIT_FAIL


def _scenario(name: str, dirs: list[Path]) -> tuple[Any, Path] | int:
    from game.library import load_scenario, resolve
    from game.scenario import ScenarioError

    try:
        path = resolve(name, dirs)
        scenario = load_scenario(path)
    except ScenarioError as exc:
        errors = exc.errors or exc.problems
        where = errors[0].file if errors else name
        count = len(errors)
        sentence = (
            f"cannot play {where}: {count} problem{'s' if count != 1 else ''} in the scenario."
        )
        return _fail(sentence, [p.format() for p in exc.problems])
    return scenario, path


def _save(name: str, dirs: list[Path], saves: str | None) -> Any | int:
    from game.tui import saving

    if saving.module() is None:
        return _fail("saved games cannot be loaded: this version of Accord has no save module.")
    try:
        folder = saving.folder(saves)
        path = saving.find(name, folder) if folder is not None else Path(name)
        return saving.load(path, dirs)
    except saving.error_types() as exc:
        text = str(exc)
        return _fail(text if name in text else f"cannot load {name}: {text}")


def launch(args: argparse.Namespace) -> int:
    """Run the terminal game; a bad scenario or save is one sentence on stderr and exit 1."""
    dirs = [Path(d) for d in (getattr(args, "scenarios", None) or [])]
    load = getattr(args, "load", None)
    name = getattr(args, "scenario", None)
    options: dict[str, Any] = {
        "seed": getattr(args, "seed", None),
        "player": getattr(args, "player", None),
        "scenario_dirs": dirs,
        "saves": getattr(args, "saves", None),
        "class_dir": getattr(args, "class_dir", None),
    }
    saves = getattr(args, "saves", None)
    if saves is not None and _not_a_folder(Path(saves)):
        from game.safe_text import printable

        print(f"accord: --saves {printable(saves)} is a file, not a save folder", file=sys.stderr)
        return EXIT_USAGE
    if load:
        loaded = _save(str(load), dirs, getattr(args, "saves", None))
        if isinstance(loaded, int):
            return loaded
        options["loaded"] = loaded
    elif name:
        found = _scenario(str(name), dirs)
        if isinstance(found, int):
            return found
        options["scenario"], options["scenario_path"] = found

    from game.tui.app import AccordApp

    app = AccordApp(**options)
    try:
        result = app.run()
    finally:
        _last_autosave(app)
    code = int(app.return_code) if app.return_code not in (None, 0) else int(result or 0)
    if options["class_dir"] is None:
        # With no terminal left to say it on (a closed window), nothing is said: it is saved.
        with contextlib.suppress(OSError):
            if not _say_how_to_resume(app) and code == EXIT_OK:
                code = EXIT_FAIL  # a game in progress left unsaved: not a success
    _leave_if_stuck(code)
    return code


def _not_a_folder(path: Path) -> bool:
    """Whether --saves names something that exists and is not a folder (a folder that does
    not exist yet is made at the first save)."""
    try:
        return path.exists() and not path.is_dir()
    except OSError:
        return False


def invoked_as() -> str:
    """The command that starts this very program again from the current folder: `accord`
    when the shell finds it by that name, else its path (`.venv/bin/accord` after `make
    play`, where `accord` is not on the PATH)."""
    import shlex
    import shutil

    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if program is None or program.name != "accord":
        return "accord"  # `python -m game`, or a test's runner: the usual name
    try:
        found = shutil.which("accord")
        if found is not None and Path(found).resolve() == program.resolve():
            return "accord"
        where = program.resolve()
        try:
            inside = where.relative_to(Path.cwd().resolve())
        except ValueError:
            return shlex.quote(str(where))
        return shlex.quote(str(inside) if len(inside.parts) > 1 else f"./{inside}")
    except OSError:  # the current folder is gone
        return "accord"


def _say_how_to_resume(app: Any) -> bool:
    """After leaving a game in progress: that it is saved and the command that resumes it, once
    `accord continue` has been checked to find this very game; or that it was not saved (then
    False)."""
    session = getattr(app, "session", None)
    if session is None or session.game.finished:
        return True
    import shlex

    from game.safe_text import printable
    from game.tui import saving

    latest = None
    if session.saves is not None and session.slot is not None:
        try:
            latest = saving.latest(session.saves)
        except saving.error_types():
            latest = None
    if latest is not None and latest.path.stem == session.slot:
        command = f"{invoked_as()} continue"
        try:
            usual = saving.folder(None)
        except saving.error_types():
            usual = None
        if usual is None or Path(session.saves).resolve() != Path(usual).resolve():
            command += f" --saves {shlex.quote(str(session.saves))}"
        print(f"Saved. Resume with: {printable(command)}")
    elif session.dirty:
        why = session.notice if session.notice.startswith("Autosave failed") else ""
        print(f"accord: this game was not saved. {printable(why)}".rstrip(), file=sys.stderr)
        return False
    return True


def _leave_if_stuck(code: int) -> None:
    """End the process when the terminal vanished under Textual (a closed window).

    Textual's input and output threads then spin on a dead terminal and are never stopped, and
    the interpreter would wait for them forever at exit, burning a core. The game is saved by
    now, so leaving at once loses nothing.
    """
    stuck = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    for thread in stuck:
        thread.join(timeout=1.0)
    if any(t.is_alive() for t in stuck):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _last_autosave(app: Any) -> None:
    """If the app ended without its own quit (a closed terminal), keep the game anyway."""
    session = getattr(app, "session", None)
    if session is not None and session.dirty and not session.game.finished:
        session.autosave()
