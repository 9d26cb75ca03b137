"""The debrief screen: the comparison with bots is seen when asked for, and conditions read
as in the briefing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static
from tuitools import SIZE, area_text, flat, played, press, quiet, resumed, screen_text, until

from game.tui import debrief_view
from game.tui.app import AccordApp
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.ending import EndingScreen

pytest.importorskip("game.debrief")


async def open_debrief(pilot: Any, app: AccordApp) -> None:
    await until(pilot, lambda: isinstance(app.screen, EndingScreen))
    await press(pilot, "d")
    await until(pilot, lambda: "WHAT HAPPENED" in screen_text(app))


def shown(app: AccordApp) -> str:
    """The part of the review in view."""
    return area_text(app, "#debrief-body")


def notices(app: AccordApp) -> list[str]:
    return [note.message for note in app._notifications]


def status(app: AccordApp) -> str:
    return str(app.screen.query_one("#debrief-status", Static).content)


async def test_b_brings_the_comparison_into_view_with_a_notice(tmp_path: Path) -> None:
    """The comparison is written near the end of a long review: after `b` the screen scrolls
    to it and a notice sums it up, so the key visibly does something."""
    app = resumed(played(), saves=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await open_debrief(pilot, app)
        assert "BENCHMARK" not in shown(app)
        await press(pilot, "b")
        await until(pilot, lambda: "BENCHMARK" in shown(app), tries=200)
        await until(pilot, lambda: notices(app))
        assert notices(app)[0].startswith("Compared with 20 bot games: your score")
        text = flat(shown(app))
        assert "Your score" in text and "percentile of 20 bot games" in text
        body = app.screen.query_one("#debrief-body")
        assert body.scroll_y > 0
        # Scrolled away and back: `b` shows the same comparison again, without new games.
        await press(pilot, "home")
        await until(pilot, lambda: body.scroll_y == 0)  # (scrolling home is animated)
        assert "BENCHMARK" not in shown(app)
        await press(pilot, "b")
        await until(pilot, lambda: "BENCHMARK" in shown(app))
        assert len(notices(app)) == 2
        # The export has the comparison too.
        await press(pilot, "x")
        await quiet(pilot)
        (written,) = (tmp_path / "saves").glob("debrief-*.md")
        assert "## Benchmark" in written.read_text(encoding="utf-8")


async def test_b_answers_at_once_while_the_bots_play(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot games run off the UI thread: the key is answered and progress shows while they
    are still playing; leaving the screen before they finish is harmless."""
    release = threading.Event()
    real = debrief_view.benchmark

    def slow(game: Any, progress: Any = None) -> Any:
        if progress is not None:
            progress(1, 20)
        assert release.wait(10)
        return real(game)

    monkeypatch.setattr(debrief_view, "benchmark", slow)
    app = resumed(played(), saves=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await open_debrief(pilot, app)
        await press(pilot, "b")
        await until(pilot, lambda: "1 of 20" in status(app))
        assert not release.is_set()  # answered while the bots are still playing
        assert "Comparing with bots" in status(app)
        await press(pilot, "b")  # a second b while busy: a notice, no second run
        assert notices(app) == ["The bots are still playing…"]
        release.set()
        await until(pilot, lambda: "BENCHMARK" in shown(app), tries=200)
        assert "Compared with bots" in status(app)

        release.clear()
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        await press(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await press(pilot, "b")
        await until(pilot, lambda: "1 of 20" in status(app))
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        release.set()
        for _ in range(20):
            await pilot.pause(0.02)
        assert isinstance(app.screen, EndingScreen) and app.is_running


async def test_the_debrief_words_conditions_as_the_briefing_does(tmp_path: Path) -> None:
    app = resumed(played(), saves=tmp_path / "saves")
    async with app.run_test(size=(110, 40)) as pilot:
        await open_debrief(pilot, app)
        text = flat(screen_text(app))
        assert "Mission stability ≥ 65 and Legitimacy ≥ 60 and Local support ≥ 50" in text
        assert "United Nations withdrawn or African Union withdrawn" in text
        assert "0.4 × mean(Mission stability)" in text
        for raw in ("stability >= 65", "withdrawn.un", "local_support", "mean(stability)"):
            assert raw not in text
        await press(pilot, "x")
        await quiet(pilot)
        (written,) = (tmp_path / "saves").glob("debrief-*.md")
        markdown = written.read_text(encoding="utf-8")
        assert "Mission stability ≤ 12" in markdown and "stability <= 12" not in markdown
