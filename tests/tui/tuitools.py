"""Helpers for the terminal UI tests: shipped scenarios, apps, and the screen as text."""

from __future__ import annotations

import asyncio
import dataclasses
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from game.engine import Choose, EndTurn, Game
from game.library import load_scenario
from game.scenario.compiled import Scenario
from game.tui.app import AccordApp
from game.tui.saving import LoadedGame

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SIZE = (100, 34)


@cache
def scenario(name: str = "hybrid_mandate") -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.yaml")


def with_difficulty(name: str, difficulty: str) -> Scenario:
    """A shipped scenario played at another difficulty (the model is frozen: copy it)."""
    base = scenario(name)
    model = base.model.model_copy(update={"difficulty": difficulty})
    return dataclasses.replace(base, model=model)


MakeApp = Callable[..., AccordApp]


def screen_text(app: App[Any]) -> str:
    """The active screen as plain text, line by line (a modal shows without its background)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    """Text with runs of spaces and line ends squeezed, for phrases that may wrap."""
    return " ".join(text.split())


async def settle(pilot: Pilot[Any], times: int = 3) -> None:
    for _ in range(times):
        await pilot.pause()


async def start_mission(pilot: Pilot[Any]) -> None:
    """From the briefing to the dashboard of turn 1."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def area_text(app: App[Any], selector: str) -> str:
    """What is visible of one widget on the screen (its region of the screen text, without
    its scrollbar)."""
    region = app.screen.query_one(selector).scrollable_content_region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


async def seen(pilot: Pilot[Any], selector: str) -> str:
    """What a person sees of one widget after scrolling it into view (a long panel may hold it
    below or above the fold)."""
    pilot.app.screen.query_one(selector).scroll_visible(animate=False, immediate=True)
    await quiet(pilot)
    return area_text(pilot.app, selector)


def row_numbers(text: str, label: str) -> list[str]:
    """The numbers that end the line starting with `label` (a row of a panel)."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            words = line.strip()[len(label) :].split()
            numbers = []
            for word in reversed(words):
                if not word.lstrip("+-").replace(".", "", 1).isdigit():
                    break
                numbers.append(word)
            return list(reversed(numbers))
    raise AssertionError(f"no row {label!r} in:\n{text}")


async def until(pilot: Pilot[Any], condition: Callable[[], object], tries: int = 40) -> None:
    """Pause until `condition()` holds (a screen opened, a worker finished)."""
    for _ in range(tries):
        if condition():
            await quiet(pilot)
            return
        await quiet(pilot)
        await asyncio.sleep(0.02)
    raise AssertionError("the screen did not reach the expected state")


def played(name: str = "hybrid_mandate", turns: int | None = None, seed: int | None = None) -> Game:
    """A game played by a plain policy through the engine: answer events with the first open
    choice, allocate nothing, end the turn; `turns` turns, or to the end."""
    game = Game.new(scenario(name), seed)
    while not game.finished and (turns is None or len(game.reports) < turns):
        for event in game.state.pending:
            for choice in game.s.events[event].choices:
                if game.apply(Choose(event, choice)).ok:
                    break
        assert game.apply(EndTurn()).ok
    return game


def resumed(game: Game, name: str = "hybrid_mandate", **kwargs: Any) -> AccordApp:
    """An app that opens on `game` as if it had been loaded from a save."""
    loaded = LoadedGame(game, SCENARIOS / f"{name}.yaml", None, None, ())
    return AccordApp(loaded=loaded, **kwargs)


async def quiet(pilot: Pilot[Any]) -> None:
    """Wait until every message pump of the app has drained its queue and no screen callback
    is pending (Pilot.press also waits for the CPU to idle, some 60 ms a key)."""
    app = pilot.app
    for _ in range(200):
        await pilot._wait_for_screen()
        pumps = [app, *(w for s in app.screen_stack for w in s.walk_children(with_self=True))]
        if all(p.message_queue_size == 0 for p in pumps) and not app.screen._callbacks:
            app.screen._on_timer_update()  # lay out and paint now, as Pilot.pause does
            return
        await asyncio.sleep(0.002)
    raise AssertionError("the app did not settle")


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys one by one, each handled completely before the next (a quicker Pilot.press)."""
    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char: str | None = unicodedata.lookup(
                _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
            )
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        assert app._driver is not None
        app._driver.send_message(event)
        await quiet(pilot)


async def to_negotiations(pilot: Pilot[Any]) -> None:
    """From a game `resumed` at Month 2 of Hybrid Mandate: its pending event put off (Esc),
    the Negotiations tab open on its first disagreement."""
    from game.tui.screens.dashboard import DashboardScreen
    from game.tui.screens.event import EventModal

    app = pilot.app
    await quiet(pilot)
    await until(pilot, lambda: isinstance(app.screen, EventModal))
    await press(pilot, "escape")
    await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    await press(pilot, "n", "home")
    await quiet(pilot)


async def to_saves(pilot: Pilot[Any]) -> Any:
    """From the menu: the Load screen (l), once its list of saves has been read."""
    from game.tui.screens.load import LoadScreen

    app = pilot.app
    await quiet(pilot)
    await press(pilot, "l")
    await until(pilot, lambda: isinstance(app.screen, LoadScreen))
    screen = app.screen
    assert isinstance(screen, LoadScreen)
    await until(pilot, lambda: bool(screen.rows))
    return screen
