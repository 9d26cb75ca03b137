"""The UI's door to game.saves: optional, and every failure becomes one sentence, never a crash."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.engine import Game


class SavesUnavailable(RuntimeError):
    """Raised when this build has no save module."""


def module() -> ModuleType | None:
    """game.saves, or None while it does not exist."""
    try:
        return importlib.import_module("game.saves")
    except ImportError:
        return None


def _saves() -> ModuleType:
    mod = module()
    if mod is None:
        raise SavesUnavailable("Saving is not available in this version of Accord.")
    return mod


def error_types() -> tuple[type[BaseException], ...]:
    mod = module()
    errors: list[type[BaseException]] = [OSError, ValueError, SavesUnavailable]
    if mod is not None and isinstance(getattr(mod, "SaveError", None), type):
        errors.insert(0, mod.SaveError)
    return tuple(errors)


def folder(option: str | Path | None) -> Path | None:
    """The save folder for a --saves option (None when saves are unavailable)."""
    mod = module()
    if mod is None:
        return None
    return Path(mod.saves_dir(None if option is None else str(option)))


def new_slot() -> str | None:
    mod = module()
    return None if mod is None else str(mod.new_slot())


@dataclass(frozen=True)
class SaveRow:
    """What the Load screen and the menu show of a save."""

    path: Path
    slot: str
    name: str
    player: str
    scenario: str
    turn: int
    turns: int
    score: float | None  # None: the save does not replay (and `problem` says why)
    finished: bool
    kind: str
    updated: str
    problem: str = ""


def when(value: Any) -> str:
    """A save time, whatever form the save module gives it in."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value or "")
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text


def row(info: Any) -> SaveRow:
    return SaveRow(
        path=Path(info.path),
        slot=str(getattr(info, "slot", "") or ""),
        name=str(getattr(info, "name", "") or ""),
        player=str(getattr(info, "player", "") or ""),
        scenario=str(getattr(info, "scenario_title", "") or getattr(info, "scenario_id", "")),
        turn=int(getattr(info, "turn", 0) or 0),
        turns=int(getattr(info, "turns", 0) or 0),
        score=float(getattr(info, "score", 0.0) or 0.0),
        finished=bool(getattr(info, "finished", False)),
        kind=str(getattr(info, "kind", "") or ""),
        updated=when(getattr(info, "updated", "")),
    )


def listing(where: Path) -> list[SaveRow]:
    """Every save in the folder, newest first."""
    rows = [row(info) for info in _saves().list_saves(where)]
    return sorted(rows, key=lambda r: r.updated, reverse=True)


def replayed_listing(where: Path, search: list[Path]) -> list[SaveRow]:
    """Every save in the folder, newest first, with the turn and score its action log
    replays to (as loading it would): a save's own figures are what its file says, and a
    file edited by hand could say anything. One that does not replay shows none; `problem`
    says why."""
    mod = _saves()
    infos = mod.list_saves(where)
    rows = []
    for info, (replayed, note) in zip(infos, mod.replayed_infos(infos, search), strict=True):
        if replayed is not None:
            rows.append(row(replayed))
        else:
            rows.append(replace(row(info), turn=0, turns=0, score=None, finished=False,
                                problem=str(note)))  # fmt: skip
    return sorted(rows, key=lambda r: r.updated, reverse=True)


def replayed_most() -> int:
    """How many of the newest saves `replayed_listing` replays."""
    return int(getattr(module(), "REPLAYED_MOST", 0) or 0)


def damaged(where: Path) -> list[str]:
    """Why each save that may be an autosave cannot be read (see `accord continue`)."""
    return [why for _, why in _saves().damaged_autosaves(where)]


def latest(where: Path) -> SaveRow | None:
    """The latest autosave of an unfinished game, if any."""
    info = _saves().latest_autosave(where)
    if info is None:
        return None
    if isinstance(info, str | Path):
        matches = [r for r in listing(where) if r.path == Path(info)]
        return matches[0] if matches else None
    return row(info)


@dataclass(frozen=True)
class LoadedGame:
    game: Game
    scenario_path: Path
    slot: str | None  # the autosave slot to go on writing (None: a new one)
    player: str | None
    warnings: tuple[str, ...]


def load(path: Path, search: list[Path]) -> LoadedGame:
    """Load and verify a save; raises one of error_types() with a clear message."""
    loaded = _saves().load_game(path, search)
    info = getattr(loaded, "info", None)
    # Play on from an autosave in its own slot; a manual save stays as it was saved.
    autosaved = getattr(info, "kind", "") == "auto"
    slot = getattr(info, "slot", None) if autosaved else None
    player = getattr(info, "player", None) if info is not None else None
    return LoadedGame(
        game=loaded.game,
        scenario_path=Path(loaded.scenario_path),
        slot=str(slot) if slot else None,
        player=str(player) if player else None,
        warnings=tuple(str(w) for w in getattr(loaded, "warnings", ()) or ()),
    )


def find(name: str, where: Path) -> Path:
    """The save a player means: a path, a slot or a display name in the folder."""
    mod = _saves()
    finder = getattr(mod, "find_save", None)
    return Path(name) if finder is None else Path(finder(name, where))


def autosave(game: Game, where: Path, slot: str, scenario_path: Path, player: str | None) -> Path:
    return Path(_saves().autosave(game, where, slot, scenario_path=scenario_path, player=player))


def save(game: Game, where: Path, name: str, scenario_path: Path, player: str | None) -> Path:
    return Path(_saves().save_game(game, where, name, scenario_path=scenario_path, player=player))
