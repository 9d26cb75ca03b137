"""The values the save API hands out: the error, a save's summary, a loaded game."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.engine import Game


class SaveError(Exception):
    """A save that cannot be read or written; str() is one clear sentence naming the file."""


@dataclass(frozen=True)
class SaveInfo:
    """What a listing shows about one save file, read without replaying it."""

    path: Path
    slot: str  # the file's stem: what `accord play --load SLOT` accepts
    name: str  # the display name, chosen by the player or generated
    player: str | None
    scenario_id: str
    scenario_title: str
    turn: int
    turns: int
    score: float
    finished: bool
    ending: str | None
    kind: str  # "auto" | "manual"
    created: str  # ISO 8601 UTC
    updated: str  # ISO 8601 UTC


@dataclass(frozen=True)
class Loaded:
    """A save that was read, replayed from its action log and checked against its snapshot."""

    game: Game
    info: SaveInfo
    warnings: tuple[str, ...]  # each one sentence, for the player (scenario changed, upgraded)
    scenario_path: Path  # the scenario file the game was replayed on
