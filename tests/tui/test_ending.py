"""The end of a mission: ending, grade, score, chart, lessons, and what comes next."""

from __future__ import annotations

from pathlib import Path

import pytest
from tuitools import SIZE, area_text, flat, played, press, quiet, resumed, screen_text, until

from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.menu import MenuScreen
from game.tui.screens.report import TurnReportScreen
from game.tui.text import number


async def test_the_end_screen_shows_what_the_engine_says(tmp_path: Path) -> None:
    game = played()
    app = resumed(game, saves=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        text = flat(screen_text(app))
        ending = game.s.endings[game.ending or ""]
        assert flat(ending.text) in text
        assert f"Grade {game.grade} Score {number(game.score)} / 100" in text
        for lesson in game.lessons():
            assert flat(lesson) in text
        # The chart: one column per value (the start, then each turn), labelled below.
        chart = area_text(app, "#ending-chart").splitlines()
        values = [game.s.model.metrics["stability"].start, *game.state.history["stability"]]
        assert chart[-2].split() == [str(round(v)) for v in values]
        assert chart[-1].split() == [str(i) for i in range(len(values))]
        # r: the final report; Enter returns.
        await press(pilot, "r")
        await until(pilot, lambda: isinstance(app.screen, TurnReportScreen))
        assert app.screen.report is game.reports[-1]  # type: ignore[attr-defined]
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        # n: a new game of the same scenario, on the same seed.
        await press(pilot, "n")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.session is not None and app.session.game is not game
        assert app.session.game.state.turn == 1 and app.session.game.seed == game.seed
        # Esc on the dashboard: back to the menu, the game autosaved (Continue offers it).
        await press(pilot, "home", "plus", "escape")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        assert len(app.screen_stack) == 1
        await until(pilot, lambda: "Continue  (Hybrid Mandate, Month 1 of 12)" in screen_text(app))


async def test_the_debrief_can_be_read_and_exported(tmp_path: Path) -> None:
    pytest.importorskip("game.debrief")
    game = played()
    app = resumed(game, saves=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        chart = area_text(app, "#ending-chart").splitlines()
        await press(pilot, "d")
        await until(pilot, lambda: "WHAT HAPPENED" in screen_text(app))
        assert "After-action review: Hybrid Mandate" in screen_text(app)
        # The debrief draws the headline's history on the end screen's axis, column for
        # column (the end screen adds each value under its column).
        from game.debrief import build_debrief
        from game.debrief.render import series_chart

        d = build_debrief(game)
        drawn = [line.rstrip() for line in series_chart(d.metric(d.headline))]
        shown = [line.rstrip() for line in chart if line.strip()]
        assert shown[:-2] + shown[-1:] == drawn
        await press(pilot, "x")
        await quiet(pilot)
        written = list((tmp_path / "saves").glob("debrief-hybrid_mandate-*.md"))
        assert len(written) == 1
        assert "Hybrid Mandate" in written[0].read_text(encoding="utf-8")
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))


async def test_the_last_report_says_that_enter_leads_to_the_ending() -> None:
    """The key bar names what Enter does: back to the dashboard after an ordinary turn, on to
    the ending after the last one."""
    from textual.app import App

    game = played()

    class One(App[None]):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

        def on_mount(self) -> None:
            self.push_screen(TurnReportScreen(game.s, game.reports[self.index]))

    for index, words in ((0, "Back to the dashboard"), (-1, "See how the mission ended")):
        app = One(index)
        async with app.run_test(size=SIZE) as pilot:
            await quiet(pilot)
            assert words in flat(area_text(app, "KeyBar"))
            await press(pilot, "enter")
            await quiet(pilot)
            assert not isinstance(app.screen, TurnReportScreen)


async def test_the_end_screens_footer_has_every_key_its_hint_line_lists(tmp_path: Path) -> None:
    """The line above the footer says "n play again · m menu · r last report · d debrief ·
    ctrl+q quit": the footer lists each of those keys, each once."""
    pytest.importorskip("game.debrief")
    app = resumed(played(), saves=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        bar = flat(area_text(app, "KeyBar"))
        hint = flat(str(app.screen.query_one(".statusbar").render()))
        assert "d debrief" in hint
        for entry in hint.split(" · "):
            key, words = entry.split(" ", 1)
            shown = f"{key.replace('ctrl+', '^')} {words}"
            assert bar.lower().count(shown) == 1, (shown, bar)


async def test_the_menus_footer_lists_quit_once_with_both_its_keys(tmp_path: Path) -> None:
    """On the menu, q and ctrl+q both quit: one entry, "q/^q Quit", not two."""
    from game.tui.app import AccordApp

    app = AccordApp(saves=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        bar = flat(area_text(app, "KeyBar"))
        assert bar.count("Quit") == 1 and "q/^q Quit" in bar, bar
        for words in ("n New game", "c Continue", "l Load", "? Help"):
            assert bar.count(words) == 1, bar
