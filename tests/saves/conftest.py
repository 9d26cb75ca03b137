"""Fixtures for the save tests: the shipped scenario and a save folder in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from savetools import SHIPPED

from game.library import load_scenario
from game.scenario import Scenario


@pytest.fixture(scope="session")
def hybrid() -> Scenario:
    return load_scenario(SHIPPED)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "saves"
