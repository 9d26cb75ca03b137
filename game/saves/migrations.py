"""The chain of save-format upgrades, run on the payload before it is validated.

`MIGRATIONS[n]` turns a version-n payload into a version-(n + 1) payload. A link
raises MigrationError (or KeyError, TypeError, ValueError on a malformed payload);
the caller turns that into a SaveError naming the file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

CURRENT_VERSION = 1

Payload = dict[str, Any]


class MigrationError(ValueError):
    """A payload that does not have the shape its version promises."""


def _iso(seconds: float) -> str:
    return (
        datetime.fromtimestamp(seconds, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


# Version 0, the prototype's saves, wrote actions as compact lists; the first
# element names the action and the others are its fields in declaration order.
_V0_FIELDS: dict[str, tuple[str, ...]] = {
    "allocate": ("line", "resource", "amount"),
    "unallocate": ("line", "resource", "amount"),
    "activate": ("strategy",),
    "end_strategy": ("strategy",),
    "propose": ("disagreement", "package"),
    "choose": ("event", "choice"),
    "end_turn": (),
}


def _v0_action(item: Any, index: int) -> dict[str, Any]:
    if not isinstance(item, list) or not item or not isinstance(item[0], str):
        raise MigrationError(f"log entry {index + 1} is not a [type, ...] list")
    fields = _V0_FIELDS.get(item[0])
    if fields is None:
        raise MigrationError(f"log entry {index + 1} has an unknown action type {item[0]!r}")
    if len(item) != len(fields) + 1:
        raise MigrationError(f"log entry {index + 1} has {len(item) - 1} fields, not {len(fields)}")
    return {"type": item[0], **dict(zip(fields, item[1:], strict=True))}


def _v0_check(old: Payload) -> None:
    """Check the version-0 fields by their version-0 names, before they are renamed."""
    for key, kind, what in (
        ("label", str, "text"),
        ("scenario", str, "text"),
        ("scenario_sha256", str, "text"),
        ("seed", int, "a whole number"),
        ("state", dict, "an object"),
        ("log", list, "a list"),
    ):
        value = old[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
            raise MigrationError(f"'{key}' must be {what}, found {shown}")
    saved_at = old["saved_at"]
    if isinstance(saved_at, bool) or not isinstance(saved_at, int | float):
        raise MigrationError("'saved_at' is not a UNIX time")
    try:
        _iso(saved_at)
    except (OverflowError, OSError, ValueError):
        raise MigrationError(
            f"'saved_at' is not a UNIX time in range, found {saved_at!r}"
        ) from None


def v0_to_v1(old: Payload) -> Payload:
    """Version 0 (prototype): flat scenario fields, `label`, UNIX `saved_at`, compact `log`
    lists and a `state` without the grade. Version 1 nests the scenario reference, names
    the save, stamps ISO times, logs actions as objects and keeps the state as `snapshot`."""
    _v0_check(old)
    stamp = _iso(old["saved_at"])
    log = old["log"]
    return {
        "accord": "0",
        "kind": "auto" if old.get("autosave") is True else "manual",
        "name": old["label"],
        "player": None,
        "created": stamp,
        "updated": stamp,
        "scenario": {
            "id": old["scenario"],
            "title": old["scenario"],
            "sha256": old["scenario_sha256"],
            "path": None,
            "resolved": None,
        },
        "seed": old["seed"],
        "actions": [_v0_action(item, i) for i, item in enumerate(log)],
        "snapshot": old["state"],
    }


MIGRATIONS: dict[int, Callable[[Payload], Payload]] = {0: v0_to_v1}

# What an older format called the fields a validation message names (the current name on
# the left), so that a refused old file is described in its own words.
OLD_NAMES: dict[int, dict[str, str]] = {
    0: {
        "name": "label",
        "scenario.id": "scenario",
        "scenario.sha256": "scenario_sha256",
        "snapshot": "state",
        "actions": "log",
        "action": "log entry",
        "created": "saved_at",
        "updated": "saved_at",
    }
}


def upgrade(payload: Payload, version: int) -> Payload:
    """Run every link from `version` to CURRENT_VERSION; MigrationError names what is wrong."""
    for step in range(version, CURRENT_VERSION):
        link = MIGRATIONS.get(step)
        if link is None:
            raise MigrationError(f"no upgrade from save format {step}")
        try:
            payload = link(payload)
        except MigrationError:
            raise
        except KeyError as exc:
            raise MigrationError(f"a format-{step} save needs the field {exc}") from exc
        except (TypeError, ValueError, OverflowError, OSError) as exc:
            raise MigrationError(f"its format-{step} fields are malformed ({exc})") from exc
    return payload
