"""SVG snapshots of the main screens at 100×34 (review a changed one before updating it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from tuitools import SCENARIOS, SIZE, played, resumed, scenario, screen_text, settle, until

from game.tui.app import AccordApp
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.event import EventModal
from game.tui.screens.report import TurnReportScreen

Snap = Callable[..., bool]


def on(name: str, tmp_path: Path) -> AccordApp:
    return AccordApp(
        scenario=scenario(name), scenario_path=SCENARIOS / f"{name}.yaml", saves=tmp_path / "saves"
    )


def test_menu(snap_compare: Snap, tmp_path: Path) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: "no autosave yet" in screen_text(pilot.app))

    assert snap_compare(AccordApp(saves=tmp_path / "saves"), terminal_size=SIZE, run_before=ready)


def test_briefing(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(on("hybrid_mandate", tmp_path), terminal_size=SIZE)


def test_dashboard(snap_compare: Snap, tmp_path: Path) -> None:
    async def plan(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen))
        await pilot.press("home", "plus", "plus", "down", "down", "down", "1", "2", "enter")
        await settle(pilot)

    assert snap_compare(on("hybrid_mandate", tmp_path), terminal_size=SIZE, run_before=plan)


def test_dashboard_at_80_by_24(snap_compare: Snap, tmp_path: Path) -> None:
    async def plan(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen))
        await settle(pilot)

    assert snap_compare(on("tutorial", tmp_path), terminal_size=(80, 24), run_before=plan)


def test_negotiation(snap_compare: Snap, tmp_path: Path) -> None:
    async def propose(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, EventModal))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen))
        await pilot.press("n", "home", "enter", "right", "enter")
        await settle(pilot)

    app = resumed(played(turns=1), saves=tmp_path / "saves")
    assert snap_compare(app, terminal_size=SIZE, run_before=propose)


def test_turn_report(snap_compare: Snap, tmp_path: Path) -> None:
    async def end_turn(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen))
        await pilot.press("p", "home", "enter", "a", "home", "m", "e", "e")
        await until(pilot, lambda: isinstance(pilot.app.screen, TurnReportScreen))

    assert snap_compare(on("hybrid_mandate", tmp_path), terminal_size=SIZE, run_before=end_turn)


def test_ending(snap_compare: Snap, tmp_path: Path) -> None:
    app = resumed(played(), saves=tmp_path / "saves")
    assert snap_compare(app, terminal_size=SIZE)
