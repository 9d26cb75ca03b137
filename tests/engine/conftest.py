"""Tiny inline scenarios for the rules casebook."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from game.scenario import Scenario, parse_scenario

BASE: dict[str, Any] = {
    "format": "accord/1",
    "id": "tiny",
    "title": "Tiny",
    "turns": 5,
    "seed": 3,
    "metrics": {
        "stability": {"label": "Stability", "start": 50, "headline": True},
        "support": {"label": "Support", "start": 40},
    },
    "resources": {
        "funding": {"label": "Funding", "per_turn": 10},
        "capital": {"label": "Capital", "per_turn": 2, "carry": True, "max": 5},
    },
    "stakeholders": {
        "un": {
            "name": "United Nations",
            "kind": "international_org",
            "trust": 60,
            "provides": {"funding": 20},
        },
        "au": {"name": "African Union", "kind": "regional_org", "trust": 50},
    },
    "lines_of_effort": {
        "security": {
            "label": "Security operations",
            "accepts": ["funding", "capital"],
            "effects": [{"metric": "stability", "add": "alloc.security.funding / 10"}],
        }
    },
    "endings": {"done": {"check": "at_end", "when": "true", "text": "Over."}},
    "scoring": {"score": "final(stability)"},
}


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and value and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def build(**extra: Any) -> Scenario:
    """BASE with `extra` merged in (None deletes a key), loaded like a real file."""
    text = yaml.safe_dump(merge(BASE, extra), sort_keys=False, allow_unicode=True)
    return parse_scenario(text, "tiny.yaml")


@pytest.fixture
def make() -> Callable[..., Scenario]:
    return build
