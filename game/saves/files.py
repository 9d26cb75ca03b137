"""Save files on disk: the folder, generated names, atomic writes, the folder lock."""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from game.paths import default_saves
from game.saves.model import SaveError

MAX_BYTES = 64 * 1024 * 1024
LOCK_NAME = ".accord.lock"
LOCK_TIMEOUT = 15.0
SLOT = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# mkstemp names: the prefix we give, 8 random characters, the suffix we give.
_TEMP = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")


def saves_dir(option: str | None = None) -> Path:
    """The save folder: the --saves value, else $ACCORD_SAVES, else the checkout's saves/ when
    Accord runs from a checkout, else the user's data folder (game.paths.default_saves)."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("ACCORD_SAVES")
    if env:
        return Path(env).expanduser()
    return default_saves()


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
    if resolved(path).parent != resolved(folder):
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


def resolved(path: Path) -> Path:
    """`path` with its links followed; where they loop (Python 3.11 raises RuntimeError for
    a symbolic-link loop), the absolute path as written. OSError and ValueError (a NUL
    byte) go to the caller, as from Path.resolve."""
    try:
        return path.resolve()
    except RuntimeError:
        return Path(os.path.abspath(path))


def atomic_write(path: Path, data: bytes, *, new: bool = False) -> bool:
    """Write `path` so that it holds either its old bytes or `data`, whatever happens:
    a temporary file in the same folder, flush, fsync, os.replace, fsync of the folder.

    `new`: only if no file is there, checked and written in one step (a hard link, where
    the file system has them), so that of two processes writing the same new file one
    finds the other's; returns False, writing nothing, when a file is there. True when
    written."""
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
        linked = _link_new(tmp, path) if new else None
        if linked is None:
            os.replace(tmp, path)
        else:
            os.unlink(tmp)  # linked as `path`, or a file was there first
            if not linked:
                return False
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise SaveError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    fsync_folder(folder)
    return True


def _link_new(tmp: str, path: Path) -> bool | None:
    """Link `tmp` as `path` (True) unless a file is there (False); None where hard links
    cannot be made (some network and FAT file systems): the caller replaces as before."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError:
        return None
    return True


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


def present(path: Path) -> bool:
    """Whether anything (a file, a folder, a dangling link) stands at `path`; False for a
    path the system cannot even look up (a NUL byte, a name over 255 bytes)."""
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "its name is too long for the file system"
    return exc.strerror or str(exc)


def read_bytes(path: Path) -> bytes:
    """A save file's bytes; SaveError naming the file when it is not a readable regular
    file. A FIFO, a device or a socket is never read (opening it without O_NONBLOCK could
    wait forever): it is opened non-blocking and refused when fstat says it is not a file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save file") from None
    except IsADirectoryError:
        raise SaveError(f"{path} is a folder, not a save file") from None
    except ValueError:  # a NUL byte in the path
        raise SaveError(f"{path} is not a path a file can have (it holds a NUL byte)") from None
    except OSError as exc:
        raise SaveError(f"cannot read {path}: {_why(exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise SaveError(f"{path} is a folder, not a save file")
        if not stat.S_ISREG(mode):
            raise SaveError(f"{path} is {_kind(mode)}, not a save file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the handle closes it now
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SaveError(f"cannot read {path}: {_why(exc)}") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_BYTES:
        raise SaveError(f"{path} is over {MAX_BYTES // (1024 * 1024)} MiB, too large to be a save")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"
