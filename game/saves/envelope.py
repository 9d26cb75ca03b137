"""The save file format: a JSON envelope with a checksum around a versioned payload.

A file is `{"format":"accord-save","version":1,"sha256":HEX,"payload":{...}}` and a
newline. The checksum is the sha256 of the payload's exact bytes as they stand in
the file, so any changed byte, even one that JSON would read the same way, is
caught. Older versions are upgraded by the chain in `migrations` before the
payload is validated. Pure: bytes in, bytes out; no file is opened here.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.engine import Action, ActionFormatError, action_from_json
from game.safe_text import has_lone_surrogate
from game.saves.migrations import CURRENT_VERSION, OLD_NAMES, MigrationError, upgrade
from game.saves.model import SaveError, SaveInfo
from game.scenario.models import LARGEST

FORMAT = "accord-save"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()
SNAPSHOT_KEYS = ("turn", "turns", "finished", "ending", "score", "metrics", "trust", "resources")
MAX_TURN = 100_000  # far above any scenario (they allow 200 turns); a bound for damage
# A JSON escape of a UTF-16 surrogate ("\ud800"): only then can a decoded string hold a lone
# surrogate, which no UTF-8 output can carry.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


@dataclass(frozen=True)
class Record:
    """A save's payload, validated and at the current version."""

    kind: str
    name: str
    player: str | None
    created: str
    updated: str
    scenario_id: str
    scenario_title: str
    scenario_sha256: str
    scenario_path: str | None  # as the game was given it, maybe relative
    scenario_resolved: str | None  # the same path made absolute when saved
    seed: int
    actions: tuple[Action, ...]
    snapshot: dict[str, Any]
    accord: str = ""  # the version of Accord that wrote it
    upgraded_from: int | None = None  # the file's older format version, when upgraded

    def info(self, path: Path) -> SaveInfo:
        s = self.snapshot
        return SaveInfo(
            path=path,
            slot=path.stem,
            name=self.name,
            player=self.player,
            scenario_id=self.scenario_id,
            scenario_title=self.scenario_title,
            turn=int(s["turn"]),
            turns=int(s["turns"]),
            score=float(s["score"]),
            finished=bool(s["finished"]),
            ending=s["ending"],
            kind=self.kind,
            created=self.created,
            updated=self.updated,
        )


def encode(payload: dict[str, Any]) -> bytes:
    """The bytes of a save file holding `payload` (a current-version payload)."""
    # Key order is kept, not sorted: a proposal's package order is part of the game.
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    head = json.dumps({"format": FORMAT, "version": CURRENT_VERSION, "sha256": digest})
    head = head.replace(", ", ",").replace(": ", ":")
    return (head[:-1] + ',"payload":' + body + "}\n").encode("utf-8")


def looks_like_save(data: bytes) -> bool:
    """Whether the first bytes carry the envelope's format marker (for overwrite checks)."""
    return b'"format"' in data[:200] and FORMAT.encode() in data[:200]


def decode(data: bytes, name: str) -> Record:
    """Read a save file's bytes; SaveError (one sentence starting with `name`) when refused."""
    if not data.strip():
        raise SaveError(f"{name} is an empty file, not a save")
    ours = looks_like_save(data)
    try:
        text = data.decode("utf-8")
        fields, spans = _split_object(text)
    except (ValueError, RecursionError) as exc:
        if not ours:
            if _cut_short(exc, text if isinstance(exc, json.JSONDecodeError) else ""):
                raise SaveError(
                    f"{name} is cut short: its JSON ends before it is complete, so it cannot "
                    "be read as a save"
                ) from None
            raise SaveError(f"{name} is not an Accord save (it is not a JSON object)") from None
        where = ""
        if isinstance(exc, json.JSONDecodeError):
            where = f" at line {exc.lineno}, column {exc.colno}"
        raise SaveError(f"{name} is damaged or truncated: its JSON is broken{where}") from None
    if fields.get("format") != FORMAT:
        raise SaveError(f'{name} is not an Accord save (it has no "format": "{FORMAT}" marker)')
    version = fields.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise SaveError(f"{name} has an unknown save format version {version!r}")
    if version > CURRENT_VERSION:
        raise SaveError(
            f"{name} was written by a newer version of Accord (save format {version}; "
            f"this version reads formats up to {CURRENT_VERSION})"
        )
    digest = fields.get("sha256")
    if "payload" not in spans or not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise SaveError(f"{name} is damaged: its envelope lacks a payload or a sha256 checksum")
    start, end = spans["payload"]
    if hashlib.sha256(text[start:end].encode("utf-8")).hexdigest() != digest:
        raise SaveError(f"{name} is damaged: its contents do not match their sha256 checksum")
    payload = fields["payload"]
    if not isinstance(payload, dict):
        raise SaveError(f"{name} is damaged: its payload is not a JSON object")
    if _SURROGATE_ESCAPE.search(text, start, end):
        field = _lone_surrogate(payload)
        if field is not None:
            raise SaveError(
                f"{name} is damaged: '{field}' holds a lone UTF-16 surrogate, "
                "which is not a character"
            )
    if version < CURRENT_VERSION:
        try:
            payload = upgrade(payload, version)
        except MigrationError as exc:
            raise SaveError(
                f"{name} cannot be upgraded from save format {version}: {exc}"
            ) from None
    try:
        return _validate(payload, None if version == CURRENT_VERSION else version)
    except _Invalid as exc:
        raise SaveError(f"{name} is damaged: {exc}") from None


def _lone_surrogate(payload: dict[str, Any]) -> str | None:
    """Where the first text holding a lone surrogate stands in `payload` ("name",
    "actions[3].line"), or None. Iterative: the payload may be deeply nested."""
    stack: list[tuple[Any, str]] = [(payload, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if has_lone_surrogate(value):
                return where or "the payload"
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if has_lone_surrogate(key):
                    return f"{where}.<key>" if where else "a key"
                stack.append((item, f"{where}.{key}" if where else key))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]") for i, item in reversed(list(enumerate(value))))
    return None


def _cut_short(exc: BaseException, text: str) -> bool:
    """Whether JSON failed to parse because the text ends too soon (a file cut off while
    written or copied), not because of a wrong character."""
    if not isinstance(exc, json.JSONDecodeError) or not text.lstrip().startswith("{"):
        return False
    return exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")


def _split_object(text: str) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """Parse a top-level JSON object, keeping where each value stands in `text`.
    ValueError (often a JSONDecodeError with its place) when it is not one object."""
    i = _skip(text, 0)
    if text[i : i + 1] != "{":
        raise ValueError("not an object")
    fields: dict[str, Any] = {}
    spans: dict[str, tuple[int, int]] = {}
    i = _skip(text, i + 1)
    if text[i : i + 1] == "}":
        i += 1
    else:
        while True:
            if text[i : i + 1] != '"':
                raise json.JSONDecodeError("expected a key", text, i)
            key, i = _DECODER.raw_decode(text, i)
            i = _skip(text, i)
            if text[i : i + 1] != ":":
                raise json.JSONDecodeError("expected ':'", text, i)
            i = _skip(text, i + 1)
            value, end = _DECODER.raw_decode(text, i)
            if key in fields:
                raise json.JSONDecodeError(f"duplicate key {key!r}", text, i)
            fields[key], spans[key] = value, (i, end)
            i = _skip(text, end)
            if text[i : i + 1] == ",":
                i = _skip(text, i + 1)
                continue
            if text[i : i + 1] != "}":
                raise json.JSONDecodeError("expected ',' or '}'", text, i)
            i += 1
            break
    # Only the one newline we write may follow: any other byte there is damage.
    if text[i:] not in ("", "\n"):
        raise json.JSONDecodeError("unexpected data after the save", text, i)
    return fields, spans


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WHITESPACE:
        i += 1
    return i


class _Invalid(ValueError):
    """A payload field with the wrong shape; the message names the field."""


class _Fields:
    """Reads payload fields and names them, in a refused old file, by that file's names."""

    def __init__(self, upgraded_from: int | None) -> None:
        old: Mapping[str, str] = {} if upgraded_from is None else OLD_NAMES.get(upgraded_from, {})
        self.old = old

    def name(self, label: str) -> str:
        return self.old.get(label, label)

    def get(
        self,
        data: dict[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        what: str,
        label: str | None = None,
    ) -> Any:
        shown = self.name(label or key)
        value = data.get(key)
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise _Invalid(f"'{shown}' must be {what}, found {value!r}")
        if not isinstance(value, kind):
            raise _Invalid(f"'{shown}' must be {what}, found {_short(value)}")
        return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _seed(seed: int) -> int:
    """A game's seed is within ±10^15, as in a scenario file or on the command line."""
    if not -LARGEST <= seed <= LARGEST:
        raise _Invalid(f"'seed' must be a whole number from -10^15 to 10^15, found {_short(seed)}")
    return seed


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _validate(p: dict[str, Any], upgraded_from: int | None) -> Record:
    f = _Fields(upgraded_from)
    ref = f.get(p, "scenario", dict, "an object")
    sha = f.get(ref, "sha256", str, "a sha256 in hex", "scenario.sha256")
    if not _HEX64.fullmatch(sha):
        raise _Invalid(f"'{f.name('scenario.sha256')}' must be 64 hex digits")
    kind = f.get(p, "kind", str, "text")
    if kind not in ("auto", "manual"):
        raise _Invalid(f"'kind' must be 'auto' or 'manual', found {kind!r}")
    raw_actions = f.get(p, "actions", list, "a list")
    actions: list[Action] = []
    for index, item in enumerate(raw_actions):
        try:
            actions.append(action_from_json(item))
        except ActionFormatError as exc:
            raise _Invalid(f"{f.name('action')} {index + 1} is malformed ({exc})") from None
    snapshot = f.get(p, "snapshot", dict, "an object")
    missing = [key for key in SNAPSHOT_KEYS if key not in snapshot]
    if missing:
        raise _Invalid(f"the {f.name('snapshot')} lacks '{missing[0]}'")
    where = f.name("snapshot")
    for key in ("turn", "turns"):
        turn = f.get(snapshot, key, int, "a whole number", f"{where}.{key}")
        if not 0 <= turn <= MAX_TURN:
            raise _Invalid(
                f"'{where}.{key}' must be a whole number from 0 to {MAX_TURN}, found {_short(turn)}"
            )
    f.get(snapshot, "finished", bool, "true or false", f"{where}.finished")
    score = f.get(snapshot, "score", (int, float), "a number", f"{where}.score")
    if not _finite(score) or not 0 <= score <= 100:  # a score is 0 to 100 (the format's rule)
        raise _Invalid(f"'{where}.score' must be a number from 0 to 100, found {_short(score)}")
    f.get(snapshot, "ending", (str, type(None)), "text or null", f"{where}.ending")
    return Record(
        kind=kind,
        name=f.get(p, "name", str, "text"),
        player=f.get(p, "player", (str, type(None)), "text or null"),
        created=f.get(p, "created", str, "an ISO 8601 time"),
        updated=f.get(p, "updated", str, "an ISO 8601 time"),
        scenario_id=f.get(ref, "id", str, "text", "scenario.id"),
        scenario_title=f.get(ref, "title", str, "text", "scenario.title"),
        scenario_sha256=sha,
        scenario_path=f.get(ref, "path", (str, type(None)), "text or null", "scenario.path"),
        scenario_resolved=f.get(
            ref, "resolved", (str, type(None)), "text or null", "scenario.resolved"
        ),
        seed=_seed(f.get(p, "seed", int, "a whole number")),
        actions=tuple(actions),
        snapshot=snapshot,
        accord=str(p.get("accord", "")),
        upgraded_from=upgraded_from,
    )
