"""Menu, scenario list, briefing and load screen, as a trainee at the keyboard meets them: keys
typed while the list loads, one list at a time, a briefing read to its end by keys, Esc back to
the list, and labels that say what is true (units, decimals, a finished game)."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.content import Content
from textual.widgets import OptionList, Static
from tuitools import (
    SCENARIOS,
    MakeApp,
    flat,
    played,
    press,
    quiet,
    scenario,
    screen_text,
    to_saves,
    until,
)

import game.library
from game.tui.app import AccordApp
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.menu import MenuScreen
from game.tui.screens.picker import ScenarioPickerScreen
from game.tui.text import number

SIZE = (80, 24)
SHIPPED = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


def pickers(app: AccordApp) -> list[Any]:
    return [s for s in app.screen_stack if isinstance(s, ScenarioPickerScreen)]


async def open_list(pilot: Any, app: AccordApp) -> None:
    """From the menu, open the scenario list and wait for its rows."""
    await quiet(pilot)
    await press(pilot, "n")
    await until(pilot, lambda: bool(pickers(app)) and bool(pickers(app)[0].entries))


# ---- the scenario list -------------------------------------------------------------------


@pytest.mark.parametrize("at_once", [False, True], ids=["one-by-one", "at-once"])
async def test_keys_typed_while_the_scenario_list_loads_are_not_lost(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, at_once: bool
) -> None:
    """`n Down Down Enter` typed quickly: the list is still loading when the arrows and Enter
    come; they act on it once it shows, and Enter opens the briefing two rows below the
    highlighted default. Typed at once (one read of the terminal), the arrows reach the menu
    before `n` has opened the list, and their bindings are looked up once it has."""
    loaded = threading.Event()
    real = game.library.discover

    def slow(extra: list[Path] | None = None) -> list[Any]:
        loaded.wait(10)  # the scan goes on only once the keys have been typed
        return real(extra)

    monkeypatch.setattr(game.library, "discover", slow)
    # A folder of its own: no list found by an earlier test can be reused.
    folder = tmp_path / "more"
    folder.mkdir()
    app = make_app(None, scenario_dirs=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        if at_once:
            for key, char in (("n", "n"), ("down", None), ("down", None), ("enter", "\r")):
                app.post_message(events.Key(key, char))
            await quiet(pilot)
        else:
            await press(pilot, "n")
        await until(pilot, lambda: isinstance(app.screen, ScenarioPickerScreen))
        picker = app.screen
        assert isinstance(picker, ScenarioPickerScreen)
        if not at_once:
            await press(pilot, "down", "down", "enter")
        assert not picker.entries and "Looking for scenarios" in screen_text(app)
        loaded.set()
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen), tries=200)
        entries = picker.entries
        default = next(i for i, e in enumerate(entries) if e.path.stem == "hybrid_mandate")
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        assert briefing.path == entries[default + 2].path
        assert len(pickers(app)) == 1


async def test_the_tutorial_comes_first_and_only_a_users_own_file_shows_its_path(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """The list goes from the easiest scenario (the tutorial) to the hardest; a shipped
    scenario's summary names no file, a scenario from the user's own folder names its file."""
    folder = tmp_path / "mine"
    folder.mkdir()
    own = folder / "my_mission.yaml"
    text = (SCENARIOS / "hybrid_mandate.yaml").read_text(encoding="utf-8")
    own.write_text(text.replace('title: "Hybrid Mandate"', 'title: "My Mission"'), "utf-8")
    app = make_app(None, scenario_dirs=[folder])
    async with app.run_test(size=(110, 36)) as pilot:
        await open_list(pilot, app)
        picker = pickers(app)[0]
        titles = [e.scenario.model.title for e in picker.entries if e.scenario is not None]
        difficulties = [e.scenario.model.difficulty for e in picker.entries if e.scenario]
        assert titles[0] == scenario("tutorial").model.title
        assert difficulties == sorted(difficulties, key=["intro", "standard", "hard"].index)
        table = screen_text(app)
        assert table.index("First Steps") < table.index("Hybrid Mandate")
        for row, entry in enumerate(picker.entries):
            picker.query_one("#scenario-table").move_cursor(row=row)
            await quiet(pilot)
            summary = flat(str(picker.query_one("#scenario-summary", Static).render()))
            if entry.path == own:
                assert f"File: {own}" in summary
            else:
                assert "File:" not in summary and str(SCENARIOS) not in summary
                assert ".yaml" not in summary


async def test_a_second_new_game_does_not_stack_a_second_list(make_app: MakeApp) -> None:
    """Two `n` (or `n` and Enter on New game) handled before the list covers the menu, or New
    game from the palette over the list: one list, and Esc goes back to the menu."""
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        menu.action_pick("new")
        menu.action_pick("new")
        await quiet(pilot)
        app.action_new_game()  # the palette's New game, on the list
        await quiet(pilot)
        assert len(pickers(app)) == 1
        assert [type(s) for s in app.screen_stack] == [MenuScreen, ScenarioPickerScreen]
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        assert len(app.screen_stack) == 1


async def test_new_game_from_the_palette_over_a_briefing_goes_back_to_its_list(
    make_app: MakeApp,
) -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, app)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        app.action_new_game()
        await until(pilot, lambda: isinstance(app.screen, ScenarioPickerScreen))
        assert [type(s) for s in app.screen_stack] == [MenuScreen, ScenarioPickerScreen]


# ---- the briefing ----------------------------------------------------------------------------


def column_text(app: AccordApp, selector: str) -> str:
    """What shows of a briefing column, cut to the briefing's body (scrolled-off parts omitted)."""
    screen = app.screen
    body = screen.query_one("#briefing-body").scrollable_content_region
    region = screen.query_one(selector).scrollable_content_region.intersection(body)
    lines = screen_text(app).splitlines()
    return "\n".join(line[region.x : region.right] for line in lines[region.y : region.bottom])


def shown(app: AccordApp) -> tuple[str, str]:
    return column_text(app, "#briefing-text"), column_text(app, "#briefing-side")


async def scroll(pilot: Any, key: str) -> None:
    """Press a key and wait for the scroll it starts to end."""
    await press(pilot, key)
    await pilot.wait_for_scheduled_animations()
    await quiet(pilot)


def last_words(text: str, count: int) -> str:
    plain = re.sub(r"[*_`#>]", "", text)
    return " ".join(plain.split()[-count:])


@pytest.mark.parametrize("size", [(80, 24), (110, 36)], ids=["80x24", "110x36"])
@pytest.mark.parametrize("name", SHIPPED)
async def test_every_part_of_the_briefing_can_be_read_by_keyboard(
    make_app: MakeApp, name: str, size: tuple[int, int]
) -> None:
    """From the moment it opens, ↓ and PgDn scroll; paging down shows the briefing's last words,
    every ending and every partner; Home goes back to the top; End goes to the very end."""
    s = scenario(name)
    m = s.model
    app = make_app(name)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await quiet(pilot)
        first = shown(app)
        await scroll(pilot, "down")
        assert shown(app) != first, "↓ did not scroll the briefing"
        await scroll(pilot, "up")
        assert shown(app) == first
        pages = [first]
        for _ in range(40):
            await scroll(pilot, "pagedown")
            if shown(app) == pages[-1]:
                break
            pages.append(shown(app))
        seen = flat(" ".join(column for page in pages for column in page))
        assert last_words(m.briefing or m.summary, 6) in seen
        for ending in m.endings.values():
            if ending.title:
                assert ending.title in seen
        for partner in m.stakeholders.values():
            assert partner.name in seen
            if partner.blurb:
                assert last_words(partner.blurb, 3) in seen
        await scroll(pilot, "home")
        assert shown(app) == first
        await scroll(pilot, "end")
        last = list(m.stakeholders.values())[-1]
        assert last.name in flat(shown(app)[1]) or last.name in flat(shown(app)[0])
        hint = app.screen.query_one(".statusbar").render()
        assert "↑/↓" in str(hint) and "PgUp/PgDn" in str(hint)


async def test_esc_on_a_briefing_opened_from_the_list_goes_back_to_the_list(
    make_app: MakeApp,
) -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, app)
        picker = app.screen
        await press(pilot, "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await press(pilot, "escape")
        await until(pilot, lambda: not isinstance(app.screen, BriefingScreen))
        assert app.screen is picker
        assert [type(s) for s in app.screen_stack] == [MenuScreen, ScenarioPickerScreen]
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))


async def test_esc_on_a_briefing_opened_from_the_command_line_goes_to_the_menu(
    make_app: MakeApp,
) -> None:
    app = make_app("tutorial")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        assert len(app.screen_stack) == 1


# ---- what the menu and the load screen say about saves --------------------------------------

saves = pytest.importorskip("game.saves")


def a_fractional_score() -> Any:
    for turns in range(1, 13):
        game = played(turns=turns)
        if abs(game.state.score - round(game.state.score)) >= 0.05:
            return game
    raise AssertionError("no game with a score that is not whole")


async def test_the_load_screen_shows_the_score_as_the_game_does(
    make_app: MakeApp, tmp_path: Path
) -> None:
    game = a_fractional_score()
    saves.save_game(
        game, tmp_path / "saves", "mid", scenario_path=SCENARIOS / "hybrid_mandate.yaml"
    )
    app = make_app(None)
    async with app.run_test(size=(100, 34)) as pilot:
        await to_saves(pilot)
        row = next(line for line in screen_text(app).splitlines() if "mid" in line)
        assert f" {number(game.state.score)} " in row, row  # e.g. 62.8, as on the dashboard


@pytest.mark.parametrize("name", ["hybrid_mandate", "tutorial"])
async def test_continue_names_the_turn_with_the_scenario_s_unit(
    make_app: MakeApp, tmp_path: Path, name: str
) -> None:
    game = played(name, turns=2)
    folder = tmp_path / "saves"
    saves.autosave(game, folder, saves.new_slot(), scenario_path=SCENARIOS / f"{name}.yaml")
    m = scenario(name).model
    unit = m.turn_label.capitalize()
    expected = f"({m.title}, {unit} 3 of {m.turns})"
    app = make_app(None)
    async with app.run_test(size=(100, 34)) as pilot:

        def continue_label() -> str:
            option = app.screen.query_one("#menu", OptionList).get_option("continue")
            return Content.from_markup(str(option.prompt)).plain

        await until(pilot, lambda: "…" not in continue_label())
        assert continue_label() == f"Continue  {expected}"
        assert expected in flat(screen_text(app).replace("│", ""))


async def test_continue_says_no_game_is_in_progress_when_the_last_one_has_ended(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """Continue resumes only a game in progress (as `accord continue` does); with only a
    finished game's autosave it says so, instead of claiming there is no autosave."""
    finished = played()
    assert finished.finished
    folder = tmp_path / "saves"
    saves.autosave(
        finished, folder, saves.new_slot(), scenario_path=SCENARIOS / "hybrid_mandate.yaml"
    )
    assert saves.latest_autosave(folder) is None  # what Continue would resume: nothing
    app = make_app(None)
    async with app.run_test(size=(100, 34)) as pilot:

        def answered() -> bool:
            return "…" not in screen_text(app)

        await until(pilot, answered)
        text = screen_text(app)
        assert "no autosave yet" not in text
        assert "Continue  (no game in progress)" in text
        assert "Hybrid Mandate" in flat(text) and "Load a saved game" in flat(text)
        await press(pilot, "c")
        await quiet(pilot)
        assert isinstance(app.screen, MenuScreen)
        messages = [n.message for n in app._notifications]
        assert any("no game in progress" in m for m in messages), messages


async def test_with_no_save_at_all_continue_says_no_autosave_yet(make_app: MakeApp) -> None:
    app = make_app(None)
    async with app.run_test(size=(100, 34)) as pilot:
        await until(pilot, lambda: "Continue  (no autosave yet)" in screen_text(app))


async def test_a_damaged_autosave_is_named_not_taken_for_none(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """The only autosave was cut short (a full disk): Continue says it is damaged, and the
    note under the menu says which file and why."""
    from game import saves

    folder = tmp_path / "saves"
    hybrid = SCENARIOS / "hybrid_mandate.yaml"
    path = saves.autosave(played(turns=1), folder, saves.new_slot(), scenario_path=hybrid)
    path.write_bytes(path.read_bytes()[:-40])
    app = make_app(None)
    async with app.run_test(size=(100, 34)) as pilot:
        await until(pilot, lambda: "Continue  (the autosave is damaged)" in screen_text(app))
        note = app.screen.query_one("#menu-note", Static).content
        assert path.name in str(note) and "damaged" in str(note)


async def test_home_and_end_go_to_the_first_and_last_scenario(make_app: MakeApp) -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, app)
        table = app.screen.query_one("#scenario-table")
        await press(pilot, "end")
        await until(pilot, lambda: table.cursor_row == table.row_count - 1)
        await press(pilot, "home")
        await until(pilot, lambda: table.cursor_row == 0)
