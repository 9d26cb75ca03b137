"""The accord/1 scenario format: parse, check and compile a scenario from its text.

Pure: this package reads no files. `game.library` opens files and calls `parse_scenario`.
"""

from __future__ import annotations

import dataclasses
import hashlib

from game.scenario import hints
from game.scenario.build import Builder
from game.scenario.compiled import Scenario
from game.scenario.errors import Problem, ScenarioError, sort_problems
from game.scenario.reach import reach_warnings
from game.scenario.schema_check import Reporter, validate_document
from game.scenario.yamlpos import YamlProblem, parse_yaml

__all__ = ["Problem", "Scenario", "ScenarioError", "check_scenario", "parse_scenario"]


def check_scenario(
    text: str | bytes, file: str = "<scenario>"
) -> tuple[Scenario | None, tuple[Problem, ...]]:
    """Check a scenario's text; return the scenario (None when it has errors) and every problem."""
    try:
        data, positions = parse_yaml(text)
    except YamlProblem as exc:
        return None, (Problem(file, exc.line, exc.col, "error", exc.message),)
    rep = Reporter(file, positions)
    source = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    with hints.budget():  # 3,000 misspelt names must not take minutes
        model, ids, failed = validate_document(data, rep)
        try:
            scenario = Builder(model, ids, rep, source, failed).build(file)
        except Exception:
            if rep.error_count() == 0:
                raise
            return None, sort_problems(rep.problems)
    if rep.error_count() == 0:
        rep.problems += reach_warnings(scenario, positions, source, file)
    problems = sort_problems(rep.problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    scenario = dataclasses.replace(
        scenario,
        warnings=tuple(p for p in problems if p.severity == "warning"),
        sha256=hashlib.sha256(raw).hexdigest(),
    )
    return scenario, problems


def parse_scenario(text: str | bytes, file: str = "<scenario>") -> Scenario:
    """Load a scenario from its text; raise ScenarioError listing every located error."""
    scenario, problems = check_scenario(text, file)
    if scenario is None:
        raise ScenarioError(list(problems))
    return scenario
