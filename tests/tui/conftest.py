"""Fixtures for the terminal UI tests: a clean environment and apps on shipped scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tuitools import SCENARIOS, MakeApp, scenario

from game.engine import Game
from game.tui.app import AccordApp
from game.tui.saving import LoadedGame


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Colours and theme as shipped; saves in a temporary folder, never in the repository."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.delenv("ACCORD_SCENARIOS", raising=False)
    monkeypatch.setenv("ACCORD_SAVES", str(tmp_path / "saves"))


@pytest.fixture
def make_app(tmp_path: Path) -> MakeApp:
    """An app on a scenario's briefing (its dashboard with `dashboard=True`; the menu when
    `name` is None)."""

    def make(
        name: str | None = "hybrid_mandate",
        seed: int | None = None,
        *,
        dashboard: bool = False,
        **kwargs: Any,
    ) -> AccordApp:
        kwargs.setdefault("saves", tmp_path / "saves")
        if name is None:
            return AccordApp(**kwargs)
        s = kwargs.pop("scenario", None) or scenario(name)
        path = SCENARIOS / f"{name}.yaml"
        if dashboard:  # straight to turn 1, as after the briefing (quicker to start)
            return AccordApp(loaded=LoadedGame(Game.new(s, seed), path, None, None, ()), **kwargs)
        return AccordApp(scenario=s, scenario_path=path, seed=seed, **kwargs)

    return make
