"""Smoke test in a real terminal: `accord play hybrid_mandate` in tmux, keys sent, screen read."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ACCORD = Path(sys.executable).parent / "accord"

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or not ACCORD.exists(), reason="needs tmux and the accord command"
)


class Terminal:
    """A detached tmux session on a private socket, 100×34."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "game", check=False).stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "game", *keys)

    def wait_for(self, text: str | re.Pattern[str], timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen if isinstance(text, str) else text.search(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", "game", check=False).returncode == 0


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"accord-test-{os.getpid()}")
    saves = tmp_path / "saves"
    command = (
        # COLUMNS and LINES (which pytest may set) would override the pane's real size.
        f"env -u NO_COLOR -u COLUMNS -u LINES TERM=xterm-256color "
        f"{ACCORD} play hybrid_mandate --saves {saves}; sleep 2"
    )
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "game", "-x", "100", "-y", "34", "cat")
    # Start the game once the pane has its size (a program started with the session may
    # first see 80×24).
    term.tmux("respawn-pane", "-k", "-t", "game", command)
    try:
        yield term
    finally:
        term.tmux("kill-server", check=False)
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / term.socket).unlink(missing_ok=True)


def test_accord_play_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for("Briefing")
    terminal.wait_for("Jebel Assar")
    # The key bar is painted last; on a loaded machine it may come a frame after the text.
    screen = terminal.wait_for("Start the mission")
    assert "How the mission can end" in screen
    terminal.keys("Enter")
    terminal.wait_for("Month 1 of 12")
    screen = terminal.wait_for("Partners")
    assert "Meters" in screen and "Resources" in screen and "Line of effort" in screen
    terminal.keys("p")
    terminal.wait_for("Strategy")
    terminal.keys("Enter")
    terminal.wait_for("● active")
    terminal.keys("e")
    terminal.wait_for("End Month 1?")
    terminal.keys("e")
    terminal.wait_for("Month 1 of 12 — report")
    screen = terminal.wait_for("Autosaved")
    assert "Mission stability" in screen and "Partners' trust" in screen
    terminal.keys("Enter")
    terminal.wait_for("Month 2 of 12")
    terminal.keys("C-q")
    deadline = time.monotonic() + 15
    while "Month 2 of 12" in terminal.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "Month 2 of 12" not in terminal.screen()  # the app is gone, the shell remains
    saves = list((tmp_path / "saves").glob("*.json"))
    assert len(saves) == 1  # the autosave of the game (ended turn, then quit mid-turn)
    # Printed on leaving: the game is saved, and the command that resumes it (plain `accord
    # continue`: $ACCORD_SAVES names this folder), which finds this very save.
    from game.saves import latest_autosave

    said = terminal.wait_for("Saved. Resume with: ").splitlines()
    line = next(x.strip() for x in said if x.strip().startswith("Saved. Resume with: "))
    # The command names this very program: `accord` when the shell finds it by that name,
    # else its path (not on the PATH here, as after `make play`).
    program, rest = line.removeprefix("Saved. Resume with: ").rsplit(" ", 1)
    assert rest == "continue"
    found = shutil.which(program) if "/" not in program else program
    assert found is not None and Path(found).resolve() == ACCORD.resolve()
    latest = latest_autosave(tmp_path / "saves")
    assert latest is not None and Path(latest.path) == saves[0]
    # The window closes: no game process may outlive its terminal (it would spin on it).
    terminal.tmux("kill-server", check=False)
    assert no_process_left(str(tmp_path / "saves"))


def no_process_left(marker: str, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
        if not found.stdout.strip():
            return True
        time.sleep(0.1)
    return False


def test_closing_the_window_mid_turn_keeps_the_game(terminal: Terminal, tmp_path: Path) -> None:
    """The terminal closes in the middle of a turn: the game is autosaved with the decision
    just made, and the process leaves with its window."""
    from game.saves import load_game

    terminal.wait_for("Jebel Assar")
    terminal.keys("Enter")
    terminal.wait_for("Month 1 of 12")
    terminal.keys("+")
    # The allocation is made once the sidebar counts it (stock 5, allocated 1, left 4): no
    # fixed pause, which a busy machine may outlast.
    terminal.wait_for(re.compile(r"Troop battalions +5 +1 +4"))
    terminal.tmux("kill-server", check=False)
    assert no_process_left(str(tmp_path / "saves"))
    saves = list((tmp_path / "saves").glob("*.json"))
    assert len(saves) == 1
    loaded = load_game(saves[0])
    assert loaded.game.turn == 1 and len(loaded.game.actions) == 1
