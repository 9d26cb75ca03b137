"""The help screen lists every key once, where it applies, in columns that do not run on."""

from __future__ import annotations

import re

from textual.widgets import Static
from tuitools import MakeApp, press, quiet, until

from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.help import HelpScreen, help_markup
from game.tui.screens.menu import MenuScreen

ROW = re.compile(r"^  (?P<keys>\S.*?)  +(?P<what>\S.*)$")


def test_each_key_is_listed_once_and_the_app_s_own_keys_only_under_everywhere() -> None:
    sections: dict[str, list[tuple[str, str]]] = {}
    title = ""
    for line in help_markup().plain.splitlines():
        if line and not line.startswith(" "):
            title = line
            sections[title] = []
        elif (row := ROW.match(line)) is not None:
            sections[title].append((row["keys"], row["what"]))
    assert len(sections) > 10
    for name, rows in sections.items():
        tokens = [token for keys, _ in rows for token in keys.split()]
        assert len(tokens) == len(set(tokens)), (name, rows)
        if name != "Everywhere":
            assert not any(k.startswith("Ctrl+") or k == "?" for k, _ in rows), (name, rows)
    assert ("Enter", "Back to the dashboard / See how the mission ended") in sections["Turn report"]


def test_the_longest_keys_leave_a_space_before_what_they_do() -> None:
    for line in help_markup().plain.splitlines():
        if "PgUp PgDn Home End" in line:
            assert "PgUp PgDn Home End   Page up" in line
            break
    else:
        raise AssertionError("the page keys are not listed")


def section_titles(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith(" ")]


async def test_help_lists_the_keys_of_the_screen_it_is_opened_on_first(make_app: MakeApp) -> None:
    """`?` on the dashboard: the dashboard's keys and its tabs' come before the menu's and
    everyone else's; `?` on the menu: the menu's first."""
    app = make_app(dashboard=True)
    async with app.run_test(size=(100, 34)) as pilot:
        await quiet(pilot)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        titles = section_titles(str(app.screen.query_one("#help-text", Static).render()))
        assert titles[:6] == [
            "Dashboard",
            "Allocation tab",
            "Partnerships tab",
            "Negotiations tab",
            "Events tab and dialogs",
            "Everywhere",
        ]
        assert titles.index("Menu") > titles.index("Dashboard")
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "escape")  # to the menu
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        await press(pilot, "question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        titles = section_titles(str(app.screen.query_one("#help-text", Static).render()))
        assert titles[:2] == ["Menu", "Everywhere"]
    # Whatever the order, each section is listed once, with the same rows.
    dashboard_first = help_markup("DashboardScreen").plain.splitlines()
    assert sorted(dashboard_first) == sorted(help_markup().plain.splitlines())


def test_help_opened_on_a_dialog_lists_that_dialogs_keys_first() -> None:
    """`?` in an event's dialog lists the event keys first, in a question the questions'
    (the help began with the keys of every screen)."""
    for screen, first in (("EventModal", "Events tab and dialogs"), ("ConfirmModal", "Questions"),
                          ("SaveModal", "Questions")):  # fmt: skip
        assert section_titles(help_markup(screen).plain)[0] == first
