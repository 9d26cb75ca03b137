"""Expressions in the trainee's words ('Mission stability ≥ 65'): the one rendering used by
the briefing, the dashboard (game/tui/text.py takes it from here) and the after-action review.
"""

from __future__ import annotations

import re

from game.scenario import names
from game.scenario.compiled import Scenario

_OPERATORS = [(">=", "≥"), ("<=", "≤"), ("!=", "≠"), ("==", "="), (" * ", " × ")]
_NAME = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\b")


def name_text(scenario: Scenario, name: str) -> str:
    """How a trainee reads one expression name: 'trust.un' -> 'trust with United Nations'."""
    return names.reads(scenario.model, name)


def condition_text(scenario: Scenario, source: object) -> str:
    """An expression written with labels instead of ids: 'Mission stability ≤ 12'."""
    text = str(source).strip()
    if text.lower() == "true":
        return "otherwise"
    text = _NAME.sub(lambda match: name_text(scenario, match.group(0)), text)
    for op, symbol in _OPERATORS:
        text = text.replace(op, symbol)
    return text
