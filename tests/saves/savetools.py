"""Helpers shared by the save tests and the processes they start (no pytest here)."""

from __future__ import annotations

import random
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
