"""Helpers shared by the save tests and the processes they start (no pytest here)."""

from __future__ import annotations

import os
import random
import select
import subprocess
import sys
import time
from pathlib import Path

from game.engine import Action, Allocate, EndTurn, Game, Unallocate

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "saves"
SHIPPED = ROOT / "scenarios" / "hybrid_mandate.yaml"


def random_action(game: Game, rng: random.Random) -> Action:
    """A random legal action, ending the turn one time in five when it may; allocations take
    a random amount up to the largest legal one."""
    legal = game.legal_actions()
    if EndTurn() in legal and rng.random() < 0.2:
        return EndTurn()
    action = rng.choice(legal)
    if isinstance(action, Allocate | Unallocate) and action.amount > 1:
        return type(action)(action.line, action.resource, rng.randint(1, action.amount))
    return action


def play(game: Game, rng: random.Random, actions: int) -> Game:
    """Apply up to `actions` random legal actions (fewer if the game ends)."""
    for _ in range(actions):
        if game.finished:
            break
        outcome = game.apply(random_action(game, rng))
        assert outcome.ok, outcome.reason
    return game


def files_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and mtime, to prove nothing was overwritten."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class LineProcess:
    """A helper process spoken to one line at a time, never waited on forever."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        self.buffer = b""

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{text}\n".encode())
        self.proc.stdin.flush()

    def line(self, timeout: float = 60.0) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"the helper process said nothing for {timeout} s")
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                self.proc.wait(timeout=10)
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise AssertionError(f"the helper process exited: {err}")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.send("quit")
                self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()
