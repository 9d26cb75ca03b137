"""Writing and listing saves: autosave slots, named manual saves, files at a given path."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from game import __version__
from game.engine import Game, action_to_json
from game.safe_text import encodable
from game.saves.envelope import Record, decode, encode, looks_like_save
from game.saves.files import (
    LOCK_NAME,
    SLOT,
    atomic_write,
    locked,
    new_slot,
    now_iso,
    prepare_folder,
    present,
    read_bytes,
    resolved,
    slot_path,
    sweep,
)
from game.saves.model import SaveError, SaveInfo

FORKS = 100  # an autosave slot and its forks: slot, slot-2, ... slot-99
MAX_NAME = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def snapshot_of(game: Game) -> dict[str, Any]:
    """What a save records of the game's state (and what a replay is compared with)."""
    return json.loads(json.dumps({**game.state.to_json(), "grade": game.grade}))  # type: ignore[no-any-return]


def read_record(path: Path) -> Record:
    """A save file's validated payload, without replaying it; SaveError when refused."""
    return decode(read_bytes(path), str(path))


def read_info(path: Path) -> SaveInfo:
    """A save's summary without replaying it; SaveError when the file is refused."""
    return read_record(path).info(path)


def _display_name(name: str | None, fallback: str) -> str:
    text = _CONTROL.sub(" ", name or "").strip()
    return text[:MAX_NAME] if text else fallback


def _scenario_sha(game: Game, scenario_path: Path) -> str:
    if _HEX64.fullmatch(game.s.sha256):
        return game.s.sha256
    try:  # a Scenario built without its text: hash the file it names
        return hashlib.sha256(scenario_path.read_bytes()).hexdigest()
    except OSError as exc:
        raise SaveError(
            f"cannot save: the scenario file {scenario_path} cannot be read ({exc.strerror})"
        ) from None


def _payload(
    game: Game,
    *,
    kind: str,
    name: str,
    player: str | None,
    created: str,
    updated: str,
    scenario_path: Path,
) -> dict[str, Any]:
    s = game.s
    # Text that UTF-8 cannot carry (a lone surrogate from a file name or an argument that is
    # not UTF-8) is written as U+FFFD: the save must always be writable and readable.
    return {
        "accord": __version__,
        "kind": kind,
        "name": encodable(name),
        "player": None if player is None else encodable(player),
        "created": created,
        "updated": updated,
        "scenario": {
            "id": s.id,
            "title": encodable(s.title),
            "sha256": _scenario_sha(game, scenario_path),
            "path": encodable(str(scenario_path)),
            "resolved": encodable(str(resolved(scenario_path))),
        },
        "seed": game.seed,
        "actions": [action_to_json(a) for a in game.actions],
        "snapshot": snapshot_of(game),
    }


def _continues(record: Record, game: Game) -> bool:
    """Whether `game` is the recorded game played further (or exactly as far)."""
    n = len(record.actions)
    return (
        record.scenario_id == game.s.id
        and record.seed == game.seed
        and n <= len(game.actions)
        and game.actions[:n] == record.actions
    )


def _peek(path: Path) -> Record | None:
    try:
        return read_record(path)
    except SaveError:
        return None


def autosave(
    game: Game,
    folder: Path,
    slot: str,
    *,
    scenario_path: Path,
    player: str | None = None,
    name: str | None = None,
) -> Path:
    """Write the game to its autosave slot, atomically, and return the file written.

    The slot's file is replaced only when it holds this same game at an earlier (or the
    same) point. When it holds another game, or cannot be read, it is kept and the game
    goes to the first free or matching fork `SLOT-2`, `SLOT-3`, ...: no game is lost when
    two processes play on from one save. SaveError when the folder cannot be written."""
    slot_path(folder, slot)
    prepare_folder(folder)
    now = now_iso()
    with locked(folder):
        sweep(folder)
        for n in range(1, FORKS):
            path = slot_path(folder, slot if n == 1 else f"{slot[:60]}-{n}")
            if not path.exists() and not path.is_symlink():
                existing = None
                break
            existing = _peek(path) if path.is_file() else None
            if existing is not None and _continues(existing, game):
                break
        else:
            raise SaveError(f"the autosave slot {slot} in {folder} has too many forks; tidy it up")
        payload = _payload(
            game,
            kind="auto",
            name=_display_name(name, existing.name if existing else "Autosave"),
            player=player if player is not None else (existing.player if existing else None),
            created=existing.created if existing else now,
            updated=now,
            scenario_path=scenario_path,
        )
        atomic_write(path, encode(payload))
    return path


def save_game(
    game: Game, folder: Path, name: str, *, scenario_path: Path, player: str | None = None
) -> Path:
    """A manual save to a new slot with a generated file name; `name` is shown, never used
    as a path. Returns the file written; SaveError when the folder cannot be written."""
    prepare_folder(folder)
    now = now_iso()
    fallback = f"{game.s.title}, turn {game.turn}"
    with locked(folder):
        sweep(folder)
        for _ in range(50):
            path = slot_path(folder, new_slot())
            if not path.exists() and not path.is_symlink():
                break
        else:  # 50 collisions of 16 random bits in one second: something else is wrong
            raise SaveError(f"cannot find a free save slot in {folder}")
        payload = _payload(
            game,
            kind="manual",
            name=_display_name(name, fallback),
            player=player,
            created=now,
            updated=now,
            scenario_path=scenario_path,
        )
        atomic_write(path, encode(payload))
    return path


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _replaceable(path: Path, game: Game) -> Record | None:
    """The save at `path` when `game` may replace it (None for an empty file); SaveError,
    ending "not overwriting it", for anything else: a file that is not a save, a damaged
    save, a save of another game or of this game played further, a pipe or a device."""
    if os.path.islink(path) and not os.path.exists(path):
        raise SaveError(f"{path} is a broken symbolic link; not overwriting it")
    try:
        data = read_bytes(path)
    except SaveError as exc:
        raise SaveError(f"{exc}; not overwriting it") from None
    if not data.strip():
        return None  # an empty file holds nothing to lose
    if not looks_like_save(data):
        raise SaveError(f"{path} exists and is not an Accord save; not overwriting it")
    try:
        record = decode(data, str(path))
    except SaveError as exc:
        raise SaveError(f"{exc}; not overwriting it") from None
    if not _continues(record, game):
        n, mine = len(record.actions), len(game.actions)
        same_start = (record.scenario_id, record.seed) == (game.s.id, game.seed)
        if same_start and tuple(game.actions) == record.actions[:mine]:
            what = (
                f"this game played further ({n} action{'' if n == 1 else 's'}, against {mine} now)"
            )
        else:
            what = (
                f"another game (scenario '{record.scenario_id}', seed {record.seed}, "
                f"{n} action{'' if n == 1 else 's'})"
            )
        raise SaveError(f"{path} holds {what}; not overwriting it")
    return record


def save_game_to(
    game: Game, path: Path, *, scenario_path: Path | None = None, player: str | None = None
) -> Path:
    """Write the game to an explicit file (`accord run --save PATH`), atomically.
    `scenario_path` None: the file the game's scenario was loaded from. An existing file is
    replaced only when it is empty or a readable Accord save of this same game at an earlier
    (or the same) point; anything else is kept, and SaveError says why."""
    path = Path(path)
    scenario = Path(game.s.file) if scenario_path is None else Path(scenario_path)
    folder = path.parent
    if _is_dir(path):
        raise SaveError(f"{path} is a folder, not a save file")
    if not _is_dir(folder):
        raise SaveError(f"cannot save to {path}: the folder {folder} does not exist")
    # A save folder (it has our lock file) is locked; a lone file elsewhere needs no lock.
    is_save_folder = present(folder / LOCK_NAME)
    guard: AbstractContextManager[None] = locked(folder) if is_save_folder else nullcontext()
    now = now_iso()
    with guard:
        sweep(folder, target=path.name, min_age=0.0 if is_save_folder else 60.0)
        # Twice at most: a new file may be written by another process (a second
        # `accord run --save` to the same path) between the look and the write; then its
        # file is judged like any existing one, and another game's is kept.
        for _ in range(2):
            new = not present(path)
            existing = None if new else _replaceable(path, game)
            payload = _payload(
                game,
                kind="manual",
                name=_display_name(path.stem, "Saved game"),
                player=player,
                created=existing.created if existing is not None else now,
                updated=now,
                scenario_path=scenario,
            )
            if atomic_write(path, encode(payload), new=new):
                return path
    raise SaveError(f"{path} was written by another program while saving; not overwriting it")


def scan_saves(folder: Path) -> tuple[list[SaveInfo], list[tuple[Path, str]]]:
    """Every save in `folder`, newest first, and the files that could not be read with why."""
    if not present(folder):
        return [], []
    if not _is_dir(folder):
        raise SaveError(f"{folder} is a file, not a save folder")
    try:
        with os.scandir(folder) as found:
            entries = sorted(
                (Path(entry.path) for entry in found if _is_save_entry(entry)),
                key=lambda p: p.name,
            )
    except OSError as exc:
        raise SaveError(f"cannot read the save folder {folder}: {exc.strerror}") from None
    infos: list[SaveInfo] = []
    damaged: list[tuple[Path, str]] = []
    for path in entries:
        try:
            infos.append(read_record(path).info(path))
        except SaveError as exc:
            damaged.append((path, str(exc)))
    infos.sort(key=lambda i: (i.updated, i.path.name), reverse=True)
    return infos, damaged


def _is_save_entry(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry may be a save: a *.json regular file (or a link to one) that
    is not hidden. Lock and temporary files are hidden; a folder, a named pipe, a device or
    a socket is never opened (a pipe would wait forever)."""
    if entry.name.startswith(".") or not entry.name.endswith(".json"):
        return False
    try:
        return entry.is_file()
    except OSError:
        return False


def list_saves(folder: Path) -> list[SaveInfo]:
    """The readable saves in `folder`, newest first (unreadable files are skipped)."""
    return scan_saves(folder)[0]


def damaged_autosaves(folder: Path) -> list[tuple[Path, str]]:
    """The saves in `folder` that cannot be read and may be autosaves (they say so, or are
    too damaged to say), with why: what `accord continue` names instead of 'no autosave'."""
    _, damaged = scan_saves(folder)
    return [(path, why) for path, why in damaged if _maybe_autosave(path)]


def _maybe_autosave(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            document = json.loads(handle.read(_MAX_PEEK))
        kind = document["payload"]["kind"]
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return True
    return not isinstance(kind, str) or kind == "auto"


_MAX_PEEK = 64 * 1024 * 1024  # a save is far smaller; a bigger file is damaged anyway


def latest_autosave(folder: Path, *, unfinished_only: bool = True) -> SaveInfo | None:
    """The most recently updated autosave in `folder` of a game still in progress (of any
    game with `unfinished_only=False`), or None: what `accord continue` resumes."""
    for info in list_saves(folder):
        if info.kind == "auto" and not (unfinished_only and info.finished):
            return info
    return None


def find_save(name: str, folder: Path) -> Path:
    """The save a player means: a file path, a slot in `folder` (with or without .json), or
    the display name of exactly one save there. SaveError when none matches."""
    try:
        path = Path(name).expanduser()
    except RuntimeError:  # "~someone" with no such user
        path = Path(name)
    if present(path):
        return path
    stem = name[:-5] if name.endswith(".json") else name
    if SLOT.fullmatch(stem):
        candidate = folder / f"{stem}.json"
        if present(candidate):
            return candidate
    wanted = name.strip().casefold()
    matches = [i.path for i in list_saves(folder) if i.name.casefold() == wanted] if wanted else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise SaveError(f"{len(matches)} saves in {folder} are named {name!r}; give its slot")
    raise SaveError(f"{name}: no such save file, and no save with this slot or name in {folder}")
