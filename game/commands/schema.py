"""`accord schema`: the JSON Schema of the scenario format, for editors."""

from __future__ import annotations

import argparse
import json

from game.scenario.json_schema import scenario_schema


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"


def run(args: argparse.Namespace) -> int:
    print(schema_text(), end="")
    return 0
