"""A path to an ending: a played game written down as a playthrough script that replays it."""

from __future__ import annotations

import json
import re
from typing import Any

from game.engine import (
    Action,
    Activate,
    Allocate,
    Choose,
    EndStrategy,
    EndTurn,
    Game,
    Propose,
    Unallocate,
)

WIDTH = 96  # longer turn entries are written one line per key
_PLAIN = re.compile(r"[a-z][a-z0-9_]*\Z")
# Words a YAML 1.1 reader turns into booleans or null when written plain.
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
_ORDER = {"allocate": 0, "end": 1, "activate": 2, "propose": 3, "choose": 4}


class PathError(Exception):
    """A game whose actions cannot be written as a playthrough script."""


def turns_of(game: Game) -> list[dict[str, Any]]:
    """The game's action log as script turns: net allocations, ends, activations, proposals
    (at most one per disagreement and turn) and answers, in the script's order. A game that
    took its decisions in another order may play differently from its script: check it."""
    turns: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for action in game.actions:
        if isinstance(action, EndTurn):
            turns.append(_tidy(current))
            current = {}
        else:
            _add(current, action, len(turns) + 1)
    if current:
        turns.append(_tidy(current))
    return turns


def _add(turn: dict[str, Any], action: Action, number: int) -> None:
    if isinstance(action, Allocate | Unallocate):
        sign = 1 if isinstance(action, Allocate) else -1
        line = turn.setdefault("allocate", {}).setdefault(action.line, {})
        line[action.resource] = line.get(action.resource, 0) + sign * action.amount
    elif isinstance(action, EndStrategy):
        turn.setdefault("end", []).append(action.strategy)
    elif isinstance(action, Activate):
        turn.setdefault("activate", []).append(action.strategy)
    elif isinstance(action, Propose):
        talks = turn.setdefault("propose", {})
        if action.disagreement in talks:
            raise PathError(f"turn {number} makes two proposals on {action.disagreement}")
        talks[action.disagreement] = dict(action.package)
    elif isinstance(action, Choose):
        turn.setdefault("choose", {})[action.event] = action.choice


def _tidy(turn: dict[str, Any]) -> dict[str, Any]:
    """Drop allocations that were taken back in full; keep the script's key order."""
    if "allocate" in turn:
        allocate = {
            line: {r: n for r, n in amounts.items() if n > 0}
            for line, amounts in turn["allocate"].items()
        }
        turn["allocate"] = {line: amounts for line, amounts in allocate.items() if amounts}
    return {key: turn[key] for key in _ORDER if turn.get(key)}


def script_text(game: Game, scenario_ref: str, ending: str, title: str, description: str) -> str:
    """The YAML text of a playthrough script that replays `game` and expects `ending`."""
    lines = [
        f"title: {_scalar(title)}",
        f"description: {_scalar(description)}",
        f"scenario: {_scalar(scenario_ref)}",
        f"seed: {game.seed}",
        "turns:",
    ]
    for number, turn in enumerate(turns_of(game), start=1):
        lines.append(f"  # turn {number}")
        if not turn:
            lines.append("  - {}")
            continue
        for i, (key, value) in enumerate(turn.items()):
            head = f"  {'- ' if i == 0 else '  '}{key}:"
            flow = _flow(value)
            if len(head) + len(flow) < WIDTH or not isinstance(value, dict):
                lines.append(f"{head} {flow}")
            else:
                lines.append(head)
                lines += [f"      {_scalar(k)}: {_flow(v)}" for k, v in value.items()]
    lines += ["expect:", f"  ending: {_scalar(ending)}", ""]
    return "\n".join(lines)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool) or not isinstance(value, int):
        return _scalar(str(value))
    return str(value)


def _scalar(text: str) -> str:
    if _PLAIN.match(text) and text not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)
