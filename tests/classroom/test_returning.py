"""A trainee who comes back (the tab closed, the same name typed again, in any capitals) lands
on their game in progress of the class's scenario; a finished game or a new name starts anew."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from game.classroom.names import trainee
from game.classroom.seats import TRAINEE_FILE, take_seat
from game.engine import Choose, EndTurn, Game
from game.library import SHIPPED, load_scenario
from game.saves import autosave
from game.tui.app import AccordApp

TUTORIAL = SHIPPED / "tutorial.yaml"


@pytest.fixture(autouse=True)
def _saves_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.setenv("ACCORD_SAVES", str(tmp_path / "own-saves"))


def played(class_dir: Path, name: str, turns: int, *, finish: bool = False) -> Path:
    """`name` joined and played `turns` turns (or to the end), autosaved as the game does."""
    seat = take_seat(class_dir, trainee(name))
    seat.release()
    game = Game.new(load_scenario(TUTORIAL), seed=5)
    while not game.finished and (finish or len(game.reports) < turns):
        for event in game.state.pending:
            for choice in game.s.events[event].choices:
                if game.apply(Choose(event, choice)).ok:
                    break
        assert game.apply(EndTurn()).ok
    return autosave(game, seat.folder, "auto-1", scenario_path=TUTORIAL,
                    player=seat.trainee.name)  # fmt: skip


async def joined_screen(
    class_dir: Path, typed: str, *, scenario: bool = True
) -> tuple[str, AccordApp]:
    """The screen the class's game (of the tutorial, or of the trainee's choice) opens on
    once `typed` has joined."""
    if scenario:
        app = AccordApp(scenario=load_scenario(TUTORIAL), scenario_path=TUTORIAL,
                        class_dir=class_dir)  # fmt: skip
    else:
        app = AccordApp(class_dir=class_dir)
    screen = ""
    async with app.run_test(size=(100, 34)) as pilot:
        for _ in range(200):
            if type(app.screen).__name__ == "JoinScreen":
                break
            await pilot.pause()
        app.screen.query_one("#join-name", Input).value = typed
        await pilot.press("enter")
        for _ in range(200):  # a number of frames, not a time
            await pilot.pause()
            screen = type(app.screen).__name__
            if screen not in ("JoinScreen", "MenuScreen"):
                break
        await app.workers.wait_for_complete()
    return screen, app


async def test_a_returning_name_continues_its_game_in_progress(tmp_path: Path) -> None:
    played(tmp_path, "Amina", 1)
    screen, app = await joined_screen(tmp_path, "AMINA")
    assert screen == "DashboardScreen"
    assert app.session is not None and len(app.session.game.reports) == 1
    # The name is the one first typed, in the game and in the class folder alike.
    assert app.player == "Amina" and app.session.player == "Amina"
    assert (tmp_path / "amina" / TRAINEE_FILE).read_text(encoding="utf-8") == "Amina"


async def test_a_finished_game_or_a_new_name_starts_a_new_game(tmp_path: Path) -> None:
    played(tmp_path, "Amina", 0, finish=True)
    screen, _ = await joined_screen(tmp_path, "amina")
    assert screen == "BriefingScreen"
    played(tmp_path, "Bea", 2)
    screen, app = await joined_screen(tmp_path, "Carl")
    assert screen == "BriefingScreen" and app.session is None


def test_the_first_spelling_of_a_name_is_kept(tmp_path: Path) -> None:
    take_seat(tmp_path, trainee("Amina")).release()
    seat = take_seat(tmp_path, trainee("AMINA"))
    seat.release()
    assert seat.trainee.name == "Amina"
    assert (tmp_path / "amina" / TRAINEE_FILE).read_text(encoding="utf-8") == "Amina"


async def test_without_a_class_scenario_a_returning_name_continues_its_latest_game(
    tmp_path: Path,
) -> None:
    """`accord serve` with no scenario: the trainees choose one from the menu; a trainee who
    comes back continues their game in progress (a new name gets the menu)."""
    played(tmp_path, "Amina", 2)
    screen, app = await joined_screen(tmp_path, "amina", scenario=False)
    assert screen == "DashboardScreen"
    assert app.session is not None and len(app.session.game.reports) == 2
    screen, app = await joined_screen(tmp_path, "Bea", scenario=False)
    assert screen == "MenuScreen" and app.session is None
