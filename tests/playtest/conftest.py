"""Fixtures of the playtest tests: the tiny scenarios of `playtest_scenarios`."""

from __future__ import annotations

from pathlib import Path

import pytest
from playtest_scenarios import COVERAGE, DOMINANT

from game.scenario import Scenario, parse_scenario


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    return parse_scenario(COVERAGE, "tiny.yaml")


@pytest.fixture(scope="session")
def lopsided() -> Scenario:
    return parse_scenario(DOMINANT, "lopsided.yaml")


@pytest.fixture()
def lopsided_file(tmp_path: Path) -> Path:
    path = tmp_path / "lopsided.yaml"
    path.write_text(DOMINANT, encoding="utf-8")
    return path
