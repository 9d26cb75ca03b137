"""A whole mission of Hybrid Mandate, keyboard only, the screen checked against the engine."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from tuitools import (
    SIZE,
    MakeApp,
    area_text,
    flat,
    press,
    quiet,
    row_numbers,
    screen_text,
    until,
)

from game.engine import Allocate, Choose, Game
from game.tui.app import AccordApp
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.event import EventModal
from game.tui.screens.modals import ConfirmModal
from game.tui.screens.report import TurnReportScreen
from game.tui.text import moved, number, stock_causes, turn_title


def game_of(app: AccordApp) -> Game:
    assert app.session is not None
    return app.session.game


async def answer_events(pilot: Pilot[Any], app: AccordApp, seen: set[str]) -> None:
    """Answer every event modal with its first open choice; a closed choice must say why."""
    while isinstance(app.screen, EventModal):
        modal = app.screen
        game = game_of(app)
        ev = game.s.events[modal.event]
        assert ev.title in screen_text(app)
        text = flat(area_text(app, "#event-choices"))
        reasons = {cid: game.check(Choose(modal.event, cid)) for cid in ev.choices}
        for reason in reasons.values():
            if reason:
                assert flat(reason) in text, f"a closed choice without its reason: {reason}"
        first_open = next(cid for cid, reason in reasons.items() if not reason)
        await press(pilot, "enter")
        await until(pilot, lambda: app.screen is not modal)  # noqa: B023 (awaited at once)
        seen.add(modal.event)
        assert game.actions[-1] == Choose(modal.event, first_open)
        assert modal.event not in game.state.pending


async def allocate(pilot: Pilot[Any], app: AccordApp, typed: bool) -> None:
    """All troops to security; funding to humanitarian aid (typed once, else all that is left).
    Rows: 0 security troops, 1 security logistics, 2 security funding, 3 humanitarian funding."""
    game = game_of(app)
    funding = game.state.resources["funding"]
    await press(pilot, "a")
    await press(pilot, "home", "m", "down", "down", "down")
    if typed:
        wanted = max(1, funding // 2)
        await press(pilot, *str(wanted), "enter")
        assert game.state.allocations["humanitarian_aid"]["funding"] == wanted
        await press(pilot, *str(funding + 1), "enter")  # more than the stock: refused, in words
        await quiet(pilot)
        reason = game.check(Allocate("humanitarian_aid", "funding", funding + 1 - wanted))
        assert flat(reason) in flat(area_text(app, "#status"))
        assert game.state.allocations["humanitarian_aid"]["funding"] == wanted
    await press(pilot, "m")
    await quiet(pilot)
    state = game.state
    assert state.resources["troops"] == 0 and state.resources["funding"] == 0
    assert state.allocations["humanitarian_aid"]["funding"] == funding
    sidebar = area_text(app, "#resources")
    troops = state.allocations["security_ops"]["troops"]
    assert row_numbers(sidebar, "Troop battalions") == [str(troops), str(troops), "0"]
    assert row_numbers(sidebar, "Funding ($M)") == [str(funding), str(funding), "0"]


async def propose(pilot: Pilot[Any], app: AccordApp) -> bool:
    """Propose Balanced / Designated areas on the mandate; True when a proposal was made."""
    game = game_of(app)
    status = game.state.disagreements["mandate_scope"].status
    if status != "open" or game.state.resources["political_capital"] < 1:
        return False
    await press(pilot, "n", "home", "enter")  # the first disagreement; Enter: to its package
    panel = app.screen.query_one("#negotiations-panel")
    package = panel.package("mandate_scope")  # type: ignore[attr-defined]
    # Pick Balanced (posture) and Designated areas (poc) with the arrow keys.
    options = game.s.disagreements["mandate_scope"].issues
    await press(pilot, "home")
    for _ in range(
        (options["posture"].index("balanced") - options["posture"].index(package["posture"])) % 3
    ):
        await press(pilot, "right")
    await press(pilot, "down")
    for _ in range((options["poc"].index("areas") - options["poc"].index(package["poc"])) % 3):
        await press(pilot, "right")
    before = len(game.reports), len(app.session.proposals("mandate_scope"))  # type: ignore[union-attr]
    await press(pilot, "enter")
    await quiet(pilot)
    records = app.session.proposals("mandate_scope")  # type: ignore[union-attr]
    assert len(records) == before[1] + 1
    record = records[-1]
    assert dict(record.package) == {"posture": "balanced", "poc": "areas"}
    text = flat(area_text(app, "#negotiations-panel"))
    for answer in record.answers:
        name = game.s.model.stakeholders[answer.party].name
        if answer.accepts:
            assert f"✓ {name} accepts" in text
        else:
            issue = game.s.model.disagreements["mandate_scope"].issues[answer.objection or ""]
            nearer = issue.options[answer.prefers[0]]
            assert f"✗ {name} refuses · wants {issue.label} nearer {nearer}" in text
    return True


def check_report(app: AccordApp) -> None:
    """The report shows each meter's and partner's movement, and the causes in order of size."""
    screen = app.screen
    assert isinstance(screen, TurnReportScreen)
    report = screen.report
    game = game_of(app)
    text = screen.query_one("#report-text").render()
    plain = str(text)
    for mid, metric in game.s.model.metrics.items():
        before, after = report.metrics_before[mid], report.metrics_after[mid]
        assert f"{metric.label}  {moved(before, after)}" in plain
    for sid, partner in game.s.model.stakeholders.items():
        before, after = report.trust_before[sid], report.trust_after[sid]
        assert f"{partner.name}  {number(before)} → {number(after)}" in plain
    for rid, res in game.s.model.resources.items():
        before, after = report.resources_before[rid], report.resources_after[rid]
        assert f"{res.label}  {moved(before, after)}" in plain
        # The lines under each stock add up to its movement (a test of the screen's grouping).
        shown = stock_causes(game.s, report.changes_for("resource", rid))
        assert before + sum(amount for _, amount in shown) == after


async def test_a_whole_mission_with_the_keyboard(make_app: MakeApp) -> None:
    app = make_app("hybrid_mandate")
    seen_events: set[str] = set()
    proposals = 0
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        assert "Jebel Assar" in screen_text(app)
        await press(pilot, "enter")
        await quiet(pilot)
        assert isinstance(app.screen, DashboardScreen)
        # Turn 1: a strategy.
        await press(pilot, "p")
        await quiet(pilot)
        await press(pilot, "home", "enter")
        await quiet(pilot)
        assert "hybrid_framework" in game_of(app).state.active
        for _ in range(game_of(app).s.turns):
            game = game_of(app)
            await answer_events(pilot, app, seen_events)
            assert isinstance(app.screen, DashboardScreen)
            top = screen_text(app).splitlines()[0]
            assert turn_title(game.s, game.state.turn) in top
            turn = game.state.turn
            await allocate(pilot, app, typed=turn == 1)
            proposals += await propose(pilot, app)
            await press(pilot, "e")
            await until(pilot, lambda: not isinstance(app.screen, DashboardScreen))
            if isinstance(app.screen, ConfirmModal):
                assert "Still pending" in screen_text(app)
                await press(pilot, "enter")
            await until(pilot, lambda: isinstance(app.screen, TurnReportScreen))
            report_screen = app.screen
            assert isinstance(report_screen, TurnReportScreen)
            assert report_screen.report.turn == turn
            check_report(app)
            await press(pilot, "enter")
            await until(pilot, lambda: not isinstance(app.screen, TurnReportScreen))
            if game.finished:
                break
            pending = bool(game.state.pending)
            await until(pilot, lambda: pending == isinstance(app.screen, EventModal))  # noqa: B023
        assert game_of(app).finished
        assert isinstance(app.screen, EndingScreen)
        text = flat(screen_text(app))
        game = game_of(app)
        assert f"Grade {game.grade}" in text
        assert f"Score {number(game.score)} / 100" in text
        ending = game.s.endings[game.ending]  # type: ignore[index]
        assert flat(ending.text)[:60] in text
        for lesson in game.lessons():
            assert flat(lesson)[:50] in text
        assert proposals >= 1
        assert seen_events, "no event was answered in the whole mission"
        assert len(game.reports) == game.state.turn
