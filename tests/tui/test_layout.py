"""Text laid out for the terminal: wrapped lines hang under their text, labels and keys whole at
100 columns, words that do not contradict, an event not answered by keys typed before it."""

from __future__ import annotations

import pytest
from textual import events
from textual.content import Content
from textual.widgets import Static
from tuitools import (
    MakeApp,
    area_text,
    flat,
    played,
    press,
    quiet,
    resumed,
    screen_text,
    seen,
    to_negotiations,
    until,
)

from game.engine import Choose
from game.tui.markup import lines, markup
from game.tui.screens.briefing import objective_markup
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.event import EventModal
from game.tui.screens.help import HelpScreen

LONG = "then Assessed plus voluntary contributions from every partner, audited by the donor"


def rows(content: Content, width: int) -> list[str]:
    """How a widget `width` cells wide shows `content`, row by row."""
    return [line.plain for line in content.wrap(width)]


@pytest.mark.parametrize("width", range(20, 90, 3))
def test_a_wrapped_bullet_or_indented_line_hangs_under_its_text_at_any_width(width: int) -> None:
    text = lines(
        [
            markup("[b]Answers[/b]"),
            f"• {LONG}",
            markup("  [$error]✗[/] Government of Qaraba refuses · $why", why=LONG),
            f"  Government of Qaraba: prefers {LONG}",
            f"A flush paragraph: {LONG}",
        ]
    )
    shown = rows(text, width)
    # Each row that goes on a line starts under that line's text; flush text stays flush.
    starts = {"•": 2, "  ✗": 4, "  Gov": 2, "A flush": 0}
    hang = 0
    for row in shown[1:]:
        first = next((h for start, h in starts.items() if row.startswith(start)), None)
        if first is not None:
            hang = first
            continue
        assert row[:hang] == " " * hang and row[hang : hang + 1] != " ", (width, shown)
    # Nothing lost, nothing doubled; and a widget measures the height it draws.
    words = " ".join(" ".join(shown).split())
    assert words == " ".join(text.plain.split())
    assert text.get_height({}, width) == len(shown)


def test_a_hung_line_hangs_at_its_own_column() -> None:
    from game.tui.markup import hung

    text = lines([hung(f"  0-9       {LONG}", 12)])
    first, *rest = rows(text, 50)
    assert first.startswith("  0-9       then")
    assert rest and all(row.startswith(" " * 12) and row[12] != " " for row in rest)


def test_a_line_hangs_flush_when_its_indent_would_leave_no_room() -> None:
    assert rows(lines([f"        • {LONG}"]), 20)[1][0] != " "


async def test_the_answers_and_what_is_known_hang_under_their_party(make_app: MakeApp) -> None:
    """At 80 columns a refusal's reasons and a party's known preferences wrap: their second
    lines start under the text, not at the panel's edge."""
    app = resumed(played(turns=1))
    async with app.run_test(size=(80, 40)) as pilot:
        await to_negotiations(pilot)
        await press(pilot, "enter", "right", "enter")  # propose a package
        for area in ("#negotiation-answers", "#negotiation-knowledge"):
            shown = [row for row in (await seen(pilot, area)).splitlines() if row.strip()]
            assert len(shown) > 2, shown
            for row in shown[1:]:  # below the heading: items at 2, their next lines deeper
                assert row.startswith("  "), (area, shown)


async def test_labels_and_keys_are_whole_at_100_columns(make_app: MakeApp) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        sidebar = area_text(app, "#sidebar")
        assert "AU–UN interoperability" in sidebar and "Political capital" in sidebar, sidebar
        assert "…" not in sidebar
        assert "Meters (0–100)" in sidebar  # one range for every meter, said once
        bar = screen_text(app).splitlines()[-1]
        assert bar.rstrip().endswith("^p palette"), bar


def test_the_key_bar_leaves_out_whole_entries_when_narrow() -> None:
    from game.tui.widgets.keybar import fitted

    parts = [Content(f"{key} {what}") for key, what in (("e", "End turn"), ("^q", "Quit"))]
    assert fitted(parts, 40).plain == "e End turn  ^q Quit"
    assert fitted(parts, 18).plain == "e End turn ^q Quit"
    assert fitted(parts, 15).plain == "e End turn"


async def test_help_has_room_for_each_key_and_wraps_under_the_descriptions(
    make_app: MakeApp,
) -> None:
    for width in (100, 80):
        app = make_app(dashboard=True)
        async with app.run_test(size=(width, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen))  # noqa: B023
            await press(pilot, "question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))  # noqa: B023
            shown = area_text(app, "#help-text").splitlines()
            at = next(i for i, row in enumerate(shown) if row.lstrip().startswith("0-9"))
            column = shown[at].index("Type an amount")
            if width == 100:
                assert "Enter sets it, Esc cancels" in shown[at], shown[at]
            else:
                assert shown[at + 1][:column].strip() == "", shown[at : at + 2]
                assert shown[at + 1][column] != " ", shown[at : at + 2]


def test_an_ending_checked_each_turn_does_not_say_any_week() -> None:
    """The tutorial's Collapse holds from week 4: '(any week)' beside 'week ≥ 4' read as a
    contradiction."""
    from tuitools import scenario

    said = objective_markup(scenario("tutorial")).plain
    assert "any week" not in said
    assert "week ≥ 4 and" in said and "(checked every week)" in said


async def test_pressure_reads_as_an_amount_each_turn_while_open(make_app: MakeApp) -> None:
    app = resumed(played(turns=1))
    async with app.run_test(size=(110, 40)) as pilot:
        await to_negotiations(pilot)
        detail = flat(area_text(app, "#disagreement-detail"))
        assert "Pressure: Mission stability -0.5 × months open, each month while open" in detail


async def test_an_event_is_not_answered_by_an_enter_typed_before_it_opened(
    make_app: MakeApp,
) -> None:
    """'2 Enter' typed for the allocation as the event opened over it: the Enter stays
    unanswered; an Enter pressed once the dialog is there chooses."""
    game = played(turns=1)
    app = resumed(game)
    async with app.run_test(size=(100, 34)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        typed = [events.Key("2", "2"), events.Key("enter", "\r")]  # typed now...
        dashboard.open_pending()  # ...and read once the dialog is open
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        for key in typed:
            assert app._driver is not None
            app._driver.send_message(key)
            await quiet(pilot)
        assert isinstance(app.screen, EventModal) and game.state.pending == ("militia_raid",)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert not game.state.pending and isinstance(game.actions[-1], Choose)


async def test_a_refusal_is_said_in_the_status_bar_without_a_notice_over_the_panels(
    make_app: MakeApp,
) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "home", "minus")  # nothing there to take back
        status = app.screen.query_one("#status", Static)
        assert str(status.content).startswith("✗ "), status.content
        assert not app._notifications


async def test_two_enters_in_one_burst_answer_the_event_and_stay_on_the_dashboard(
    make_app: MakeApp,
) -> None:
    """Two Enters read together (a double press, a paste): the first answers the event; the
    second must not close the dialog again, which popped the dashboard too (back to the
    menu). Every dialog closes once the same way (game.tui.screens.modals.Dialog)."""
    game = played(turns=1)
    app = resumed(game)
    async with app.run_test(size=(100, 34)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        assert app._driver is not None
        for _ in range(2):  # both queued before either is handled
            app._driver.send_message(events.Key("enter", "\r"))
        for _ in range(3):
            await quiet(pilot)
        assert isinstance(app.screen, DashboardScreen) and not game.state.pending
        # A question (End turn?) and the help close once the same way.
        for opened, key in (("e", "n"), ("question_mark", "q")):
            await press(pilot, opened)
            await until(pilot, lambda: not isinstance(app.screen, DashboardScreen))
            for _ in range(2):
                app._driver.send_message(events.Key(key, key))
            for _ in range(3):
                await quiet(pilot)
            assert isinstance(app.screen, DashboardScreen), type(app.screen).__name__
