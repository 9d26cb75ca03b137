"""Test-wide fixtures, and collection of every `*.play.yaml` playthrough script as a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from game.playtest.script import run_file

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(".play.yaml"):
        return PlaythroughFile.from_parent(parent, path=file_path)
    return None


class PlaythroughFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield PlaythroughItem.from_parent(self, name=self.path.name)


class PlaythroughFailed(Exception):
    """A playthrough script whose expectations did not hold."""


class PlaythroughItem(pytest.Item):
    def runtest(self) -> None:
        result = run_file(self.path)
        if not result.ok:
            raise PlaythroughFailed("\n".join(result.failures))
        assert result.game is not None

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PlaythroughFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"playthrough {self.path.name}"


def shipped_scenarios() -> list[Path]:
    return sorted(SCENARIOS.glob("*.yaml"))
