"""Markup injection: text from a scenario, a save, a file name or a person is shown as text.

Every text field of a shipped scenario, the scenario's file name, a save's name and player
hold markup that would run an action (`[@click=app.quit]`), crash a screen (`[/]`, a lone
`[`, `[b=`, a trailing backslash) or move the terminal (ESC, BEL). Every screen is opened on
it: none crashes, none quits, and the words are shown as they were written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.pilot import Pilot
from tuitools import SCENARIOS, SIZE, area_text, press, quiet, screen_text, seen, until

from game.engine import Choose, EndTurn, Game, Propose
from game.library import load_scenario
from game.tui.app import AccordApp
from game.tui.screens.briefing import BriefingScreen
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.event import EventModal
from game.tui.screens.help import HelpScreen
from game.tui.screens.load import LoadScreen
from game.tui.screens.menu import MenuScreen
from game.tui.screens.modals import ConfirmModal, SaveModal
from game.tui.screens.picker import ScenarioPickerScreen
from game.tui.screens.report import TurnReportScreen

saves = pytest.importorskip("game.saves")

# What the attacks start with; each text field gets one, with the field's path after it so
# that its words differ. Every one of them is markup Textual would act on or choke on.
ATTACK = "[@click=app.quit]Q[/] [/] [est. [b=x \x1b]0;pwn\x07 \\"
SHORT = "[/]m[@click=app.quit]\\"  # for the turn label (at most 30 characters)
# The scenario's fields that hold words for people (scenario-format.md).
TEXT_KEYS = {
    "title", "summary", "briefing", "label", "name", "blurb", "description", "text", "unit",
    "note",
}  # fmt: skip
SEEN = "[@click=app.quit]Q[/] [/] [est."  # what must show, word for word


def hostile(value: Any, path: str = "") -> Any:
    """`value` (a scenario read from YAML) with an attack in every text field."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            where = f"{path}.{key}"
            if key in TEXT_KEYS and isinstance(item, str):
                out[key] = f"{ATTACK} {where}"
            elif key == "options" and isinstance(item, dict):  # an issue's options
                out[key] = {k: f"{ATTACK} {where}.{k}" for k in item}
            elif key == "turn_label":
                out[key] = SHORT
            else:
                out[key] = hostile(item, where)
        return out
    if isinstance(value, list):
        return [hostile(item, f"{path}[{i}]") for i, item in enumerate(value)]
    return value


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A scenario folder with the hostile scenario and a broken one, both badly named."""
    raw = yaml.safe_load((SCENARIOS / "hybrid_mandate.yaml").read_text(encoding="utf-8"))
    data = hostile(raw)
    data["lessons"] = [{"when": "true", "text": f"{ATTACK} lesson"}]
    out = tmp_path / "scenarios"
    out.mkdir()
    (out / "[@click=app.quit] [est.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (out / "[b=x [@click=app.quit].yaml").write_text(f"title: {ATTACK!r}\n", encoding="utf-8")
    return out


def hostile_path(folder: Path) -> Path:
    return folder / "[@click=app.quit] [est.yaml"


def fields_are_text(game: Game) -> None:
    """The attacks reach the game as they were written (they are text, not cleaned)."""
    assert game.s.title.startswith(ATTACK)
    assert game.s.model.turn_label == SHORT


def shows(app: AccordApp, what: str = SEEN) -> None:
    """The screen is up, the app still runs, and the attack is on screen, word for word."""
    assert app.is_running
    text = screen_text(app)
    assert what in text, text
    assert "\x1b" not in text and "\x07" not in text


def play(game: Game, turns: int) -> Game:
    while not game.finished and len(game.reports) < turns:
        for event in game.state.pending:
            for choice in game.s.events[event].choices:
                if game.apply(Choose(event, choice)).ok:
                    break
        assert game.apply(EndTurn()).ok
    return game


async def test_markup_injection_in_a_scenario_is_shown_as_text_on_every_screen(
    folder: Path, tmp_path: Path
) -> None:
    scenario = load_scenario(hostile_path(folder))
    fields_are_text(Game.new(scenario))
    app = AccordApp(scenario_dirs=[folder], saves=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await press(pilot, "n")  # the scenario list: a broken file and the hostile one
        await until(pilot, lambda: isinstance(app.screen, ScenarioPickerScreen))
        screen = app.screen
        await until(pilot, lambda: bool(screen.entries))  # type: ignore[attr-defined]
        for _ in screen.entries:  # type: ignore[attr-defined]
            await press(pilot, "down")
        await press(pilot, "up")
        shows(app, "[b=x [@click=app.quit].yaml")
        # The hostile scenario (its file shown, as the user's own): easiest first, it follows
        # the tutorial.
        entries = screen.entries  # type: ignore[attr-defined]
        row = next(i for i, e in enumerate(entries) if e.path == hostile_path(folder))
        await press(pilot, "home", *(["down"] * row))
        shows(app)
        # Its file, as text (the line wraps where it may: compared without the spaces).
        squeezed = "".join(screen_text(app).split())
        assert "".join(f"File: {hostile_path(folder)}".split()) in squeezed
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        shows(app)
        await press(pilot, "end")  # the partners, at the briefing's end
        shows(app)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen | EventModal))
        await walk_the_dashboard(pilot, app)
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SaveModal))
        app.screen.query_one("#save-name").value = ""  # type: ignore[attr-defined]
        await press(pilot, *"[/] [@click=app.quit] [est", "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        notices = [n.message for n in app._notifications]
        assert "Saved as “[/] [@click=app.quit] [est”." in notices, notices
        assert app.is_running
        await press(pilot, "question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def walk_the_dashboard(pilot: Pilot[Any], app: AccordApp) -> None:
    """Every tab, an event, a proposal, a strategy, a turn's report and the Log."""
    for _ in range(3):
        if isinstance(app.screen, EventModal):
            shows(app)
            await press(pilot, "enter")
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    shows(app, "[/]m[@click=app.quit]\\ 1")  # the turn label, in the top bar
    for tab in "apnvlo":
        await press(pilot, tab)
        assert app.is_running
        assert SEEN in screen_text(app) or tab in "lo"  # the Log is empty on turn 1
    await press(pilot, "n", "home", "enter", "enter")  # propose the first package
    await quiet(pilot)
    shows(app)
    await press(pilot, "p", "home", "enter")  # activate a strategy (or be told why not)
    await quiet(pilot)
    shows(app)
    await press(pilot, "e")
    await until(pilot, lambda: isinstance(app.screen, ConfirmModal | TurnReportScreen))
    if isinstance(app.screen, ConfirmModal):
        await press(pilot, "enter")
    await until(pilot, lambda: isinstance(app.screen, TurnReportScreen))
    shows(app)
    await press(pilot, "enter")
    await until(pilot, lambda: isinstance(app.screen, DashboardScreen | EventModal))
    if isinstance(app.screen, EventModal):
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    await press(pilot, "l")
    shows(app)


async def test_markup_injection_in_a_save_is_shown_as_text_on_load_continue_and_ending(
    folder: Path, tmp_path: Path
) -> None:
    path = hostile_path(folder)
    scenario = load_scenario(path)
    store = tmp_path / "saves"
    ongoing = Game.new(scenario)
    while not [d for d, st in ongoing.state.disagreements.items() if st.status == "open"]:
        play(ongoing, len(ongoing.reports) + 1)
    did = next(d for d, st in ongoing.state.disagreements.items() if st.status == "open")
    issues = scenario.model.disagreements[did].issues
    package = {i: next(iter(issue.options)) for i, issue in issues.items()}
    assert ongoing.apply(Propose.of(did, package)).ok
    turn = ongoing.state.turn
    saves.autosave(ongoing, store, saves.new_slot(), scenario_path=path)
    finished = play(Game.new(scenario), 99)
    player = "[@click=app.quit]me[/] [est"
    saves.save_game(finished, store, "[/] the [end", scenario_path=path, player=player)
    app = AccordApp(scenario_dirs=[folder], saves=store)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "Continue  ([@click=app.quit]Q[/]" in screen_text(app))
        await press(pilot, "l")
        await until(pilot, lambda: isinstance(app.screen, LoadScreen))
        screen = app.screen
        await until(pilot, lambda: bool(screen.rows))  # type: ignore[attr-defined]
        assert "[/] the [end" in area_text(app, "#save-table")
        shows(app)
        row = next(i for i, r in enumerate(screen.rows) if r.kind == "manual")  # type: ignore[attr-defined]
        await press(pilot, *(["down"] * row), "enter")
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        shows(app)
        await press(pilot, "r")
        await until(pilot, lambda: isinstance(app.screen, TurnReportScreen))
        shows(app)
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        await press(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await until(pilot, lambda: SEEN in screen_text(app))
        shows(app)
        await press(pilot, "escape")
        await press(pilot, "m")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        await press(pilot, "c")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen | EventModal))
        if isinstance(app.screen, EventModal):
            await press(pilot, "escape")
        await press(pilot, "n")
        row = list(scenario.disagreements).index(did)
        await press(pilot, "home", *(["down"] * row))
        await seen(pilot, "#negotiation-answers")  # the panel is long: scroll to the answers
        shows(app, f"Proposal of [/]m[@click=app.quit]\\ {turn}")


async def test_markup_injection_in_a_damaged_save_s_name_is_shown_as_text(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "[@click=app.quit] [b=x.json"
    bad.write_text('{"format": "accord-save", "version": 1}', encoding="utf-8")
    app = AccordApp(saves=tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        app.resume_save(bad)
        await quiet(pilot)
        assert app.is_running and isinstance(app.screen, MenuScreen)
        notices = [n.message for n in app._notifications]
        assert any(str(bad) in notice for notice in notices), notices


def test_no_screen_text_is_built_by_pasting_into_markup() -> None:
    """textual.markup.escape misses a lone `[` and a trailing backslash: game/tui builds
    screen text with game.tui.markup only (it is the one module that may name Content's
    markup)."""
    root = Path(__file__).resolve().parents[2] / "game" / "tui"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "markup.py"
        and any(
            name in path.read_text(encoding="utf-8")
            for name in ("textual.markup", "from_markup", "markup=True")
        )
    ]
    assert offenders == []


def test_loaded_game_fixture_is_hostile(folder: Path) -> None:
    """The fixture itself: every kind of text field holds the attack."""
    scenario = load_scenario(hostile_path(folder))
    m = scenario.model
    texts = [m.title, m.summary, m.briefing, *(x.label for x in m.metrics.values())]
    texts += [x.name for x in m.stakeholders.values()]
    texts += [e.title for e in m.events.values()]
    texts += [c.label for e in m.events.values() for c in e.choices.values()]
    texts += [i.label for d in m.disagreements.values() for i in d.issues.values()]
    assert all(t.startswith(ATTACK) for t in texts)
