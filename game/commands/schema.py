"""`accord schema`: the JSON Schema of the scenario format, for editors."""

from __future__ import annotations

import argparse
import json
from typing import Any

from game.scenario.models import ScenarioModel


def scenario_schema() -> dict[str, Any]:
    schema = ScenarioModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Accord scenario (format accord/1)"
    return schema


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"


def run(args: argparse.Namespace) -> int:
    print(schema_text(), end="")
    return 0
