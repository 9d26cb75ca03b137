"""What the first frame after a key shows: the whole answer to the key, not half of it with
the rest a frame later."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static, TabbedContent, Tabs
from tuitools import SIZE, MakeApp, played, press, quiet, resumed, to_negotiations

from game.tui.widgets import FocusUnstyled
from game.tui.widgets.allocation import AllocationTable
from game.tui.widgets.events import EventsPanel, LogPanel
from game.tui.widgets.negotiations import DisagreementTable
from game.tui.widgets.partnerships import StrategyTable


async def test_a_disagreement_and_its_detail_come_in_the_same_frame() -> None:
    """↑/↓ in the Negotiations tab: the detail has changed when the cursor has moved, with no
    await between them in which a frame could show the new row beside the old detail."""
    app = resumed(played(turns=1))
    async with app.run_test(size=SIZE) as pilot:
        await to_negotiations(pilot)
        table = app.screen.query_one(DisagreementTable)
        detail = app.screen.query_one("#disagreement-detail", Static)
        table.action_move(1)  # what ↓ does
        assert str(detail.render()).startswith("Cost sharing · not open yet")
        table.action_move(-1)  # ↑
        assert str(detail.render()).startswith("Mandate scope · open")


def shows(app: App[Any], tab: str, focused: type) -> None:
    """The dashboard shows `tab` alone, its label marked and underlined, `focused` focused."""
    from textual.widgets._tabs import Underline

    tabs = app.screen.query_one(TabbedContent)
    switcher = tabs.query_one(ContentSwitcher)
    assert tabs.active == tab
    assert switcher.current == tab
    assert [pane.id for pane in switcher.children if pane.display] == [tab]
    label = tabs.get_tab(tab)
    assert tabs.query_one(Tabs).active == label.id
    assert [t.id for t in tabs.query(".-active")] == [label.id]
    underline = tabs.query_one(Underline)
    span = label.virtual_region.shrink(label.styles.gutter).column_span
    assert (underline.highlight_start, underline.highlight_end) == span
    assert isinstance(app.screen.focused, focused)
    assert tabs.get_pane(tab) in app.screen.focused.ancestors


async def test_a_tab_by_key_or_by_mouse_shows_its_panel_alone_and_focuses_it(
    make_app: MakeApp,
) -> None:
    """Keys switch tabs without TabbedContent's watchers (DashboardScreen._switch): the tab
    bar, its underline, the switcher and the focus end as a click on the tab leaves them."""
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        for key, tab, focused in (
            ("n", "negotiations", DisagreementTable),
            ("p", "partnerships", StrategyTable),
            ("v", "events", EventsPanel),
            ("l", "log", LogPanel),
            ("a", "allocation", AllocationTable),
        ):
            await press(pilot, key)
            shows(app, tab, focused)
        await pilot.click("#--content-tab-negotiations")
        await quiet(pilot)
        shows(app, "negotiations", DisagreementTable)
        await press(pilot, "l")
        shows(app, "log", LogPanel)
        await pilot.click("#--content-tab-allocation")
        await quiet(pilot)
        shows(app, "allocation", AllocationTable)


async def test_the_narrow_overview_tab_by_key_and_back_to_allocation_when_wide(
    make_app: MakeApp,
) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await quiet(pilot)
        await press(pilot, "o")
        shows(app, "overview", VerticalScroll)
        await press(pilot, "n")
        shows(app, "negotiations", DisagreementTable)
        await press(pilot, "v", "o")  # (in Negotiations, o loads an offer)
        shows(app, "overview", VerticalScroll)
        await pilot.resize_terminal(120, 40)
        await quiet(pilot)
        shows(app, "allocation", AllocationTable)
        assert not app.screen.query_one(TabbedContent).get_tab("overview").display
        await press(pilot, "l")
        shows(app, "log", LogPanel)


def restyled(widget: Widget) -> list[tuple[object, str, list[str]]]:
    """The styles of a widget and its descendants (component classes too), computed anew."""
    widget.app.update_styles(widget)
    return [
        (
            node,
            node.styles.css,
            [node.get_component_styles(name).css for name in sorted(node.COMPONENT_CLASSES)],
        )
        for node in widget.walk_children(with_self=True)
    ]


async def test_widgets_left_unstyled_by_focus_look_the_same_focused_or_not(
    make_app: MakeApp,
) -> None:
    """FocusUnstyled skips Textual's restyling on focus: right only while no CSS rule styles
    these widgets (or what they hold) by focus. Restyled by force, focused and not, they
    must come out the same."""
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        checked = set()
        for key in "pnvla":
            await press(pilot, key)
            focused = app.screen.focused
            assert isinstance(focused, FocusUnstyled) and isinstance(focused, Widget)
            with_focus = restyled(focused)
            app.screen.set_focus(None)
            await quiet(pilot)
            assert not focused.has_focus
            assert restyled(focused) == with_focus, type(focused).__name__
            checked.add(type(focused).__name__)
        tables = {"AllocationTable", "StrategyTable", "DisagreementTable"}
        assert checked == {*tables, "EventsPanel", "LogPanel"}
