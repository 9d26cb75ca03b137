"""Save files on disk: the folder, generated names, atomic writes, the folder lock."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from game.saves.model import SaveError

PROJECT = Path(__file__).resolve().parents[2]  # game.cli.DEFAULT_SAVES names its saves/ too
MAX_BYTES = 64 * 1024 * 1024
LOCK_NAME = ".accord.lock"
LOCK_TIMEOUT = 15.0
SLOT = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# mkstemp names: the prefix we give, 8 random characters, the suffix we give.
_TEMP = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")


def saves_dir(option: str | None = None) -> Path:
    """The save folder: the --saves value, else $ACCORD_SAVES, else <project>/saves."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("ACCORD_SAVES")
    if env:
        return Path(env).expanduser()
    return PROJECT / "saves"


def new_slot() -> str:
    """A generated slot id, e.g. "g-20261128-083012-4f3a" (UTC time and 16 random bits)."""
    return f"g-{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def now_iso() -> str:
    """The current time, ISO 8601 UTC with milliseconds, e.g. "2026-11-28T08:30:12.345Z"."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def slot_path(folder: Path, slot: str) -> Path:
    """The file of a slot, refusing any slot that is not a plain generated-style name."""
    if not isinstance(slot, str) or not SLOT.fullmatch(slot):
        raise SaveError(
            f"{slot!r} is not a save slot name in {folder} "
            "(slots are lowercase letters, digits, '-' and '_', up to 64)"
        )
    path = folder / f"{slot}.json"
    # The pattern already forbids separators and dots; this keeps it true if it ever changes.
    if path.resolve().parent != folder.resolve():
        raise SaveError(f"the slot {slot!r} would leave the save folder {folder}")
    return path


def prepare_folder(folder: Path) -> None:
    """Make sure `folder` is a folder we can write saves into, creating it if needed."""
    if folder.exists() and not folder.is_dir():
        raise SaveError(f"{folder} is a file, not a save folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot create the save folder {folder}: {exc.strerror}") from None


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock, so that two game processes never lose each other's writes."""
    from filelock import FileLock, Timeout  # imported here: listing saves needs no lock

    lock = FileLock(folder / LOCK_NAME, timeout=LOCK_TIMEOUT, poll_interval=0.005)
    try:
        lock.acquire()
    except Timeout:
        raise SaveError(
            f"the save folder {folder} stayed locked by another Accord process for "
            f"{LOCK_TIMEOUT:g} s; try again"
        ) from None
    except OSError as exc:
        raise SaveError(f"cannot lock the save folder {folder}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `path` so that it holds either its old bytes or `data`, whatever happens:
    a temporary file in the same folder, flush, fsync, os.replace, fsync of the folder."""
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):  # mkstemp makes 0600; a save is an ordinary file
                os.fchmod(handle.fileno(), 0o644)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise SaveError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sweep(folder: Path, target: str | None = None, min_age: float = 0.0) -> int:
    """Delete temporary files left by killed writes (for `target` only, when given);
    return how many went. Call it holding the folder's lock, or with a `min_age`."""
    swept = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if match is None or (target is not None and match["target"] != target):
            continue
        with suppress(OSError):
            if now - entry.stat(follow_symlinks=False).st_mtime >= min_age:
                os.unlink(entry.path)
                swept += 1
    return swept


def is_temp(name: str) -> bool:
    return _TEMP.fullmatch(name) is not None


def read_bytes(path: Path) -> bytes:
    """A save file's bytes; SaveError naming the file when it is not a readable file."""
    try:
        if path.is_dir():
            raise SaveError(f"{path} is a folder, not a save file")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save file") from None
    except OSError as exc:
        raise SaveError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise SaveError(f"{path} is over {MAX_BYTES // (1024 * 1024)} MiB, too large to be a save")
    return data
