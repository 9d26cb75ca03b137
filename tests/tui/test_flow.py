"""The way through the game: menu, scenario picker, briefing, help, palette, layouts, quitting."""

from __future__ import annotations

from pathlib import Path

import pytest
from tuitools import (
    SCENARIOS,
    SIZE,
    MakeApp,
    area_text,
    flat,
    press,
    quiet,
    scenario,
    screen_text,
    until,
)

from game.library import discover
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.help import HelpScreen, key_names
from game.tui.screens.menu import MenuScreen
from game.tui.screens.modals import ConfirmModal
from game.tui.screens.picker import ScenarioPickerScreen
from game.tui.text import turn_title
from game.tui.widgets.allocation import AllocationTable
from game.tui.widgets.keybar import KeyBar


async def test_the_menu_offers_new_game_continue_load_help_and_quit(make_app: MakeApp) -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        assert isinstance(app.screen, MenuScreen)
        text = screen_text(app)
        for item in ("New game", "Continue", "Load a saved game", "Help", "Quit"):
            assert item in text
        await until(pilot, lambda: "no autosave yet" in screen_text(app))


async def test_new_game_lists_every_scenario_and_enter_opens_its_briefing(
    make_app: MakeApp,
) -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await press(pilot, "n")
        await until(pilot, lambda: isinstance(app.screen, ScenarioPickerScreen))
        picker = app.screen
        assert isinstance(picker, ScenarioPickerScreen)
        await until(pilot, lambda: bool(picker.entries))
        text = screen_text(app)
        for entry in discover():
            assert entry.scenario is not None
            m = entry.scenario.model
            assert m.title in text
            row = next(line for line in text.splitlines() if m.title in line)
            assert m.difficulty in row and f"{m.turns} {m.turn_label}s" in row
        # The default scenario is highlighted, its summary shown.
        current = picker.current()
        assert current is not None and current.scenario is not None
        assert current.scenario.id == "hybrid_mandate"
        assert flat(current.scenario.model.summary) in flat(screen_text(app))
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        assert "Jebel Assar" in screen_text(app)
        await press(pilot, "escape")  # back to the list, then to the menu
        await until(pilot, lambda: app.screen is picker)
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))


async def test_a_broken_scenario_in_an_extra_folder_is_listed_with_its_problems(
    make_app: MakeApp, tmp_path: Path
) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "broken.yaml").write_text("format: accord/1\nid: Broken\n", encoding="utf-8")
    app = make_app(None, scenario_dirs=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await press(pilot, "n")
        await until(pilot, lambda: isinstance(app.screen, ScenarioPickerScreen))
        picker = app.screen
        assert isinstance(picker, ScenarioPickerScreen)
        await until(pilot, lambda: bool(picker.entries))
        assert "⚠ broken.yaml" in screen_text(app)
        index = next(i for i, e in enumerate(picker.entries) if e.path.name == "broken.yaml")
        for _ in range(len(picker.entries)):
            await press(pilot, "up")
        for _ in range(index):
            await press(pilot, "down")
        await quiet(pilot)
        assert "cannot be played" in screen_text(app)
        assert "broken.yaml:" in screen_text(app)  # file:line:col problems
        await press(pilot, "enter")
        await quiet(pilot)
        assert isinstance(app.screen, ScenarioPickerScreen)  # refused, not crashed


async def test_the_briefing_shows_the_partners_and_the_objective(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        assert isinstance(app.screen, BriefingScreen)
        side = flat(str(app.screen.query_one("#briefing-partners").render()))
        objective = flat(str(app.screen.query_one("#briefing-objective").render()))
        s = scenario()
        for partner in s.model.stakeholders.values():
            assert partner.name in side
            assert f"trust {partner.trust}" in side
            if partner.withdraws_below is not None:  # the walkout threshold, with the partner
                assert f"walks out below {partner.withdraws_below:g}" in side
        assert "Headline: Mission stability" in objective
        for ending in ("Collapse", "Partner exit", "Consolidated", "Holding"):
            assert ending in objective
        assert "Mission stability ≤ 12" in objective
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert turn_title(s, 1) in screen_text(app).splitlines()[0]


async def test_help_lists_every_key_of_the_dashboard(make_app: MakeApp) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = str(app.screen.query_one("#help-text").render())
        bindings = [*DashboardScreen.BINDINGS, *AllocationTable.BINDINGS]
        for binding in bindings:
            assert key_names(binding.key) in text, binding  # type: ignore[union-attr]
            assert binding.description in text  # type: ignore[union-attr]
        assert "0-9" in text and "Ctrl+P" in text and "Ctrl+Q" in text
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def test_the_command_palette_offers_the_main_actions(make_app: MakeApp) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        names = [name for name, _, _ in app.palette_commands(app.screen)]
        for name in (
            "End turn",
            "Show Negotiations",
            "Save game",
            "Help: keys",
            "Main menu",
            "Quit",
        ):
            assert name in names
        await press(pilot, "ctrl+p")
        await quiet(pilot)
        await press(pilot, *"end turn")
        await quiet(pilot)
        assert "End turn" in screen_text(app)
        await press(pilot, "enter")
        await until(pilot, lambda: not isinstance(app.screen, DashboardScreen))
        # The palette ran End turn: with stock left, the dashboard asks first.
        assert "Still pending" in screen_text(app)


async def test_ctrl_q_quits_from_anywhere(make_app: MakeApp) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await press(pilot, "question_mark")
        await press(pilot, "ctrl+q")
        await quiet(pilot)
    assert app.return_code == 0


async def test_at_80_by_24_the_sidebar_becomes_the_overview_tab(make_app: MakeApp) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await quiet(pilot)
        assert not app.screen.query_one("#sidebar").display
        table = area_text(app, "#alloc-table")
        assert "Community dialogue" in table and "Political capital" in table  # nothing cut
        # Without the sidebar, the allocation tab shows the totals itself.
        totals = flat(area_text(app, "#alloc-totals"))
        assert "Allocated of stock: Funding 0/36 · Troop battalions 0/5" in totals
        await press(pilot, "o")
        await quiet(pilot)
        overview = area_text(app, "#overview-panel")
        for metric in scenario().model.metrics.values():
            assert metric.label in overview
        await pilot.resize_terminal(120, 40)
        await quiet(pilot)
        assert app.screen.query_one("#sidebar").display
        assert "AU–UN interoperability" in area_text(app, "#sidebar")


async def test_at_80_by_24_the_overview_scrolls_by_keys_and_the_top_bar_keeps_the_score(
    make_app: MakeApp,
) -> None:
    """Everything on a small terminal is reachable by keyboard; what matters in the top bar
    (turn, headline, events waiting, score) stays when the rest does not fit."""
    app = make_app(dashboard=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        dashboard.end_turn()  # a report, so there is a score to show
        await quiet(pilot)
        while not isinstance(app.screen, DashboardScreen):  # the report, then any event
            await press(pilot, "escape")
            await quiet(pilot)
        top = flat(area_text(app, "#topbar"))
        assert "score" in top
        assert "Month 2" in top and "★ Mission stability" in top
        await press(pilot, "o")
        await quiet(pilot)
        panel = app.screen.query_one("#overview-panel")
        assert app.focused is panel
        assert panel.max_scroll_y > 0  # more than fits at 80x24
        await press(pilot, "end")
        await until(pilot, lambda: panel.scroll_y == panel.max_scroll_y)
        last = list(scenario().model.stakeholders.values())[-1].name
        assert last in area_text(app, "#overview-panel")


@pytest.mark.parametrize("no_color", [False, True])
async def test_meaning_does_not_rest_on_colour(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    """With NO_COLOR the app drops colour; the words and marks carry the meaning."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color is no_color
        await quiet(pilot)
        await press(pilot, "p")
        await quiet(pilot)
        text = area_text(app, "#partnerships-panel")
        assert "○ available" in text or "✗ locked" in text
        await press(pilot, "a", "minus")
        await quiet(pilot)
        assert "✗ Only 0 Troop battalions allocated" in flat(area_text(app, "#status"))


async def test_the_scenario_path_given_on_the_command_line_goes_straight_to_the_briefing(
    make_app: MakeApp,
) -> None:
    app = make_app("tutorial")
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.path == SCENARIOS / "tutorial.yaml"
        assert len(app.screen_stack) == 2 and isinstance(app.screen_stack[0], MenuScreen)


async def test_the_key_bar_is_clickable(make_app: MakeApp) -> None:
    """With the mouse: a click on a key in the bottom bar presses that key."""
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        bar = app.screen.query_one(KeyBar)
        line = screen_text(app).splitlines()[bar.region.y]
        await pilot.click(KeyBar, offset=(line.index("End turn") - bar.region.x, 0))
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert "End Month 1?" in screen_text(app)
