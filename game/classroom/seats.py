"""A trainee's seat in a class folder: their own save folder, held by one browser at a time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.classroom.names import NameError_, Trainee
from game.classroom.names import trainee as trainee_of
from game.saves.files import atomic_write
from game.saves.model import SaveError

TRAINEE_FILE = ".trainee"  # the name as first typed: the one the saves, report and view show
SEAT_LOCK = ".seat.lock"  # held by the session playing under this name


@dataclass
class Seat:
    trainee: Trainee
    folder: Path
    _lock: Any = field(default=None, repr=False)

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def take_seat(class_dir: Path, trainee: Trainee) -> Seat:
    """Create (or reopen) the trainee's folder in the class folder and hold it for this session.

    NameError_ when another browser plays under the same name right now; SaveError when the
    folder cannot be used.
    """
    from filelock import FileLock, Timeout

    folder = class_dir / trainee.slug
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise SaveError(f"{folder} is not a trainee's folder (a link or a file stands there)")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot create {folder}: {exc.strerror or exc}") from None
    if folder.resolve().parent != class_dir.resolve():
        raise SaveError(f"{folder} would leave the class folder {class_dir}")
    lock = FileLock(folder / SEAT_LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise NameError_(
            f"Someone is already playing as {trainee.name} in another browser. If that is you, "
            "close that tab first; if not, add your surname or an initial."
        ) from None
    except OSError as exc:
        raise SaveError(f"cannot hold {folder}: {exc.strerror or exc}") from None
    try:
        first = _first_spelling(folder, trainee)
        if first is None:
            atomic_write(folder / TRAINEE_FILE, trainee.name.encode("utf-8"))
        else:
            trainee = first  # "AMINA" back after "Amina": still Amina, everywhere
    except (OSError, SaveError):
        lock.release()
        raise
    return Seat(trainee, folder, lock)


def _first_spelling(folder: Path, typed: Trainee) -> Trainee | None:
    """The trainee as first named in this folder, when it is the same name as `typed` (None
    when the folder has no usable name yet: `typed` is then written)."""
    known = trainee_name(folder)
    if known is None:
        return None
    try:
        first = trainee_of(known)
    except NameError_:
        return None
    return first if first.key == typed.key else None


def game_in_progress(folder: Path, scenario_id: str | None) -> Path | None:
    """The game of `scenario_id` (of any scenario: None) a returning trainee continues: their
    newest autosave of it, when its game is not over (None when it is, or when there is none)."""
    from game.saves import scan_saves

    try:
        infos, _ = scan_saves(folder)  # newest first
    except SaveError:
        return None
    for info in infos:
        if info.kind == "auto" and scenario_id in (None, info.scenario_id):
            return None if info.finished else info.path
    return None


def trainee_name(folder: Path, limit: int = 200) -> str | None:
    """The name a trainee typed, read from their folder (None when there is none)."""
    path = folder / TRAINEE_FILE
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not os.path.isfile(path):
            return None
        data = os.read(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data.decode("utf-8", errors="replace").strip() or None
