"""Expressions in the trainee's words ('Mission stability ≥ 65'): the one rendering used by
the briefing, the dashboard (game/tui/text.py takes it from here) and the after-action review.
"""

from __future__ import annotations

import re

from game.engine.explain import label_of
from game.scenario.compiled import Scenario

_OPERATORS = [(">=", "≥"), ("<=", "≤"), ("!=", "≠"), ("==", "="), (" * ", " × ")]
_NAME = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\b")


def name_text(scenario: Scenario, name: str) -> str:
    """How a trainee reads one expression name: 'trust.un' -> 'trust with United Nations'."""
    m = scenario.model
    parts = name.split(".")
    if parts[0] == "open_turns" and len(parts) == 2 and parts[1] in m.disagreements:
        return f"{m.turn_label}s open"
    if parts[0] == "agreed_turn" and len(parts) == 2 and parts[1] in m.disagreements:
        return f"the {m.turn_label} {m.disagreements[parts[1]].label} was agreed"
    if parts[0] == "alloc" and len(parts) == 3 and parts[1] in m.lines_of_effort:
        res = m.resources[parts[2]].label if parts[2] in m.resources else parts[2]
        return f"{res} in {m.lines_of_effort[parts[1]].label}"
    if parts[0] == "flag" and len(parts) == 2:
        return parts[1].replace("_", " ")
    if name in ("turn", "turns"):
        return m.turn_label if name == "turn" else f"{m.turn_label}s"
    return label_of(scenario, name)


def condition_text(scenario: Scenario, source: object) -> str:
    """An expression written with labels instead of ids: 'Mission stability ≤ 12'."""
    text = str(source).strip()
    if text.lower() == "true":
        return "otherwise"
    text = _NAME.sub(lambda match: name_text(scenario, match.group(0)), text)
    for op, symbol in _OPERATORS:
        text = text.replace(op, symbol)
    return text
