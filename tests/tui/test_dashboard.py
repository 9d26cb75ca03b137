"""The turn dashboard: allocation, strategies, negotiation, events, previews, the turn's end."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static
from tuitools import (
    SIZE,
    MakeApp,
    area_text,
    flat,
    played,
    press,
    quiet,
    resumed,
    row_numbers,
    scenario,
    screen_text,
    seen,
    to_negotiations,
    until,
    with_difficulty,
)

from game.engine import Activate, Allocate, Choose, EndTurn, Game, Propose, Unallocate
from game.outlook import course
from game.playtest.policies import RandomPolicy, StrategyPolicy
from game.tui.app import AccordApp
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.event import EventModal
from game.tui.screens.modals import ConfirmModal
from game.tui.screens.report import TurnReportScreen
from game.tui.text import grouped, signed
from game.tui.widgets.allocation import repeat_allocations


def game_of(app: AccordApp) -> Game:
    assert app.session is not None
    return app.session.game


async def open_dashboard(pilot: Pilot[Any], app: AccordApp) -> DashboardScreen:
    await quiet(pilot)
    if not isinstance(app.screen, DashboardScreen):
        await press(pilot, "enter")
    await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    assert isinstance(app.screen, DashboardScreen)
    return app.screen


async def test_allocation_with_plus_minus_typed_amounts_and_the_engines_refusals(
    make_app: MakeApp,
) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        game = game_of(app)
        troops = game.state.resources["troops"]
        await press(pilot, "home", "plus", "plus", "right", "minus")  # security ops, troops
        await quiet(pilot)
        assert game.state.allocations["security_ops"]["troops"] == 2
        assert row_numbers(area_text(app, "#alloc-table"), "Security operations") == ["2"]
        assert row_numbers(area_text(app, "#resources"), "Troop battalions") == [
            str(troops),
            "2",
            str(troops - 2),
        ]
        # A typed amount sets the row; more than the stock is refused with the engine's words.
        await press(pilot, *str(troops + 3), "enter")
        await quiet(pilot)
        assert game.state.allocations["security_ops"]["troops"] == 2
        reason = f"Not enough Troop battalions: {troops - 2} left, {troops + 1} asked."
        assert reason in flat(area_text(app, "#status"))
        await press(pilot, "1", "enter")
        await quiet(pilot)
        assert game.state.allocations["security_ops"]["troops"] == 1
        # Taking back more than is there is refused too, and changes nothing.
        await press(pilot, "delete", "minus")
        await quiet(pilot)
        assert game.state.allocations["security_ops"]["troops"] == 0
        assert "Only 0 Troop battalions allocated to Security operations" in flat(
            area_text(app, "#status")
        )
        # 'm' puts everything left into the row; the mouse works as well as the keys.
        await press(pilot, "m")
        await quiet(pilot)
        assert game.state.resources["troops"] == 0
        await pilot.click("#alloc-less")
        await quiet(pilot)
        assert game.state.allocations["security_ops"]["troops"] == troops - 1


async def test_the_next_unit_forecast_follows_the_scenarios_difficulty(make_app: MakeApp) -> None:
    app = make_app("tutorial", dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        game = game_of(app)
        text = flat(area_text(app, "#alloc-preview"))
        lid, line = next(iter(game.s.lines.items()))
        preview = game.preview(dataclasses.replace(_allocate(lid, line.accepts[0]), amount=1))
        key, delta = next((k, d) for k, d in preview.deltas.items() if k.startswith("metric:"))
        label = game.s.model.metrics[key.partition(":")[2]].label
        assert f"{label} {signed(delta)}" in text  # intro: exact effects


def _allocate(line: str, resource: str) -> Any:
    from game.engine import Allocate

    return Allocate(line, resource, 1)


async def test_strategies_show_why_they_are_locked_and_ending_early_asks_first(
    make_app: MakeApp,
) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        game = game_of(app)
        await press(pilot, "p", "home", "enter")
        await quiet(pilot)
        assert "hybrid_framework" in game.state.active
        table = area_text(app, "#strategy-table")
        assert "● active · 1/3 months" in table
        # The AU-led operation is now locked: the detail says why, in the engine's words.
        await press(pilot, "down")
        await quiet(pilot)
        reason = game.check(Activate("au_led_operation"))
        assert reason
        assert f"✗ Locked: {reason}" in flat(area_text(app, "#partnerships-panel"))
        await press(pilot, "enter")
        await quiet(pilot)
        assert "au_led_operation" not in game.state.active
        assert reason in flat(area_text(app, "#status"))
        # Ending the framework before its 3 months costs trust: a confirmation first.
        trust = dict(game.state.trust)
        await press(pilot, "up", "x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        text = flat(screen_text(app))
        assert "End AU–UN hybrid framework early?" in text
        assert "United Nations: trust -10" in text and "African Union: trust -10" in text
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert "hybrid_framework" in game.state.active
        await press(pilot, "x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert "hybrid_framework" not in game.state.active
        assert game.state.trust["un"] == trust["un"] - 10


async def test_a_strategy_preview_by_difficulty(make_app: MakeApp) -> None:
    """Intro: exact effects; standard: directions only; hard: nothing."""
    expected = {"intro": "+4", "standard": "↑", "hard": "No forecast at this difficulty"}
    for difficulty, mark in expected.items():
        s = with_difficulty("hybrid_mandate", difficulty)
        app = make_app("hybrid_mandate", scenario=s, dashboard=True)
        async with app.run_test(size=SIZE) as pilot:
            await open_dashboard(pilot, app)
            await press(pilot, "p", "home")
            await quiet(pilot)
            detail = flat(area_text(app, "#strategy-detail"))
            assert "If activated, this month:" in detail
            # The framework's upkeep is paid from next month's income: the forecast says so.
            if difficulty == "intro":
                assert "trust of United Nations +5" in detail  # +4 on activation, no fade
                assert "later: Troop battalions +1 next month" in detail
                assert "Funding -5 upkeep each month from next month" in detail
            elif difficulty == "standard":
                assert "trust of United Nations ↑" in detail and "+4" not in detail
                assert "Funding ↓ upkeep each month from next month" in detail
            else:
                assert mark in detail and "United Nations ↑" not in detail
                assert "later:" not in detail


async def test_an_open_event_has_its_own_keys_and_putting_it_off_gives_the_dashboard_back(
    make_app: MakeApp,
) -> None:
    """While an event is open, the key bar shows the event's keys (not the dashboard's, which
    the dialog would not take), Enter and Esc answer or put it off and ? opens help; a
    dashboard key puts the event off and does what it does on the dashboard."""
    from game.tui.screens.help import HelpScreen

    game = played(turns=1)
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        bar = screen_text(app).splitlines()[-1]
        assert "Enter Choose" in bar and "Esc Decide later" in bar and "? Help" in bar, bar
        assert "End turn" not in bar and "One more" not in bar and "Save" not in bar, bar
        # n: the event waits, and the Negotiations tab opens with the dashboard's keys.
        await press(pilot, "n")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.screen.query_one("#tabs").active == "negotiations"  # type: ignore[attr-defined]
        assert game.state.pending == ("militia_raid",)
        assert "waits for your answer" in flat(area_text(app, "#status"))
        bar = screen_text(app).splitlines()[-1]
        assert "e End turn" in bar and "Decide later" not in bar, bar
        # e: the engine asks for the event first, and it opens again.
        await press(pilot, "e")
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        await press(pilot, "question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        await press(pilot, "enter")  # the highlighted (first open) choice
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert not game.state.pending and isinstance(game.actions[-1], Choose)
        assert "e End turn" in screen_text(app).splitlines()[-1]


async def test_negotiation_pick_options_propose_and_read_the_answers(make_app: MakeApp) -> None:
    game = played(turns=1)
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        await press(pilot, "escape")  # decide later
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "n", "home")
        await quiet(pilot)
        panel = flat(area_text(app, "#negotiations-panel"))
        assert "Mandate scope · open · 1 month" in panel
        # Months 2 to 7: six months in which to propose.
        assert "Deadline: end of Month 7 (6 months to propose, this one included)" in panel
        assert "‹ Robust ›" in panel
        await press(pilot, "enter", "right")  # to the package; posture: next option
        await quiet(pilot)
        assert "‹ Balanced ›" in area_text(app, "#package-table")
        await pilot.click("#package-table", offset=(3, 2))  # the second issue's row: next option
        await quiet(pilot)
        assert "‹ Designated areas ›" in area_text(app, "#package-table")
        capital = game.state.resources["political_capital"]
        await press(pilot, "enter")
        await quiet(pilot)
        record = app.session.proposals("mandate_scope")[-1]  # type: ignore[union-attr]
        assert dict(record.package) == {"posture": "balanced", "poc": "areas"}
        assert game.state.resources["political_capital"] == capital - 1
        answers = flat(area_text(app, "#negotiations-panel"))
        for answer in record.answers:
            name = game.s.model.stakeholders[answer.party].name
            if answer.accepts:
                assert f"✓ {name} accepts" in answers
            else:
                issue = game.s.model.disagreements["mandate_scope"].issues[answer.objection or ""]
                # Standard difficulty: which way the party wants the issue to move.
                assert answer.prefers
                nearer = issue.options[answer.prefers[0]]
                assert f"✗ {name} refuses · wants {issue.label} nearer {nearer}" in answers
        # A disagreement not open yet says when it opens and offers no package.
        await press(pilot, "n", "down")
        await quiet(pilot)
        text = flat(area_text(app, "#negotiations-panel"))
        assert "Cost sharing · not open yet" in text and "Opens in Month 4" in text
        assert not app.screen.query_one("#package-table").display


async def test_an_event_waits_for_its_answer_and_a_closed_choice_says_why(
    make_app: MakeApp,
) -> None:
    game = played(turns=1)
    assert game.state.pending == ("militia_raid",)
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        # e cannot end the turn: the engine says what is pending, and the event opens again.
        await press(pilot, "e")
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        assert game.check(EndTurn()) == "Answer the pending event first: Raid on Umm Sidra."
        # Said in the status bar under the dialog, not in a notice over the screen.
        status = app.screen_stack[-2].query_one("#status", Static)
        assert "✗ Answer the pending event first: Raid on Umm Sidra." in str(status.content)
        assert not app._notifications
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert "waits for your answer" in flat(area_text(app, "#status"))
        # Put every troop to work: the quick-reaction force can no longer be sent.
        await press(pilot, "a", "home", "m", "v")
        await quiet(pilot)
        assert "Raid on Umm Sidra" in area_text(app, "#events-panel")
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        reason = game.check(Choose("militia_raid", "quick_reaction"))
        assert reason.startswith("Send the AU quick-reaction force needs")
        text = flat(area_text(app, "#event-choices"))
        assert f"✗ {reason}" in text
        await press(pilot, "enter")  # the first open choice is highlighted, not the closed one
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert game.actions[-1] == Choose("militia_raid", "joint_inquiry")
        assert not game.state.pending


async def test_the_turn_report_explains_each_movement_largest_cause_first(
    make_app: MakeApp,
) -> None:
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        game = game_of(app)
        await press(pilot, "home", "m", "e")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert "not carried over to the next turn" in flat(screen_text(app))
        await press(pilot, "e")  # a second e confirms
        await until(pilot, lambda: isinstance(app.screen, TurnReportScreen))
        report = game.reports[-1]
        text = str(app.screen.query_one("#report-text").render())
        lines = text.splitlines()
        start = lines.index(next(line for line in lines if line.startswith("Mission stability")))
        shown = []
        for line in lines[start + 1 :]:
            if not line.startswith("   "):
                break
            amount, cause = line.split(maxsplit=1)
            shown.append((cause, amount))
        expected = [
            (cause, signed(amount))
            for cause, amount in grouped(report.changes_for("metric", "stability"))
        ]
        assert shown == expected
        assert "Security operations" in dict(shown)
        await press(pilot, "enter")
        await until(pilot, lambda: not isinstance(app.screen, TurnReportScreen))
        if isinstance(app.screen, EventModal):
            await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        # The log keeps the report: Enter opens it again.
        await press(pilot, "l")
        await quiet(pilot)
        assert "Month 1: Mission stability" in area_text(app, "#log-panel")
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, TurnReportScreen))
        assert app.screen.report is report  # type: ignore[attr-defined]


async def test_an_agreement_shows_in_the_dashboard(make_app: MakeApp) -> None:
    """By month 6 the parties accept Balanced / Designated areas: the screen says it is agreed."""
    game = played(turns=5)
    package = {"posture": "balanced", "poc": "areas"}
    trial = game.copy()
    for event in trial.state.pending:
        trial.apply(Choose(event, next(iter(trial.s.events[event].choices))))
    outcome = trial.apply(Propose.of("mandate_scope", package))
    assert outcome.proposal is not None and outcome.proposal.agreed  # the engine's verdict
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        while isinstance(app.screen, EventModal):
            await press(pilot, "enter")
            await quiet(pilot)
        await press(pilot, "n", "home", "enter", "right", "down", "right", "enter")
        await quiet(pilot)
        assert game.state.disagreements["mandate_scope"].status == "agreed"
        assert dict(game.state.disagreements["mandate_scope"].package) == package
        assert "Mandate scope: agreed!" in flat(area_text(app, "#status"))
        assert "agreed in Month 6" in await seen(pilot, "#disagreement-table")
        assert "Agreed package: Balanced / Designated areas" in flat(
            area_text(app, "#negotiations-panel")
        )


async def test_an_event_that_fired_at_the_start_of_the_turn_says_what_it_changed() -> None:
    """A meter that moved between turns is explained before the next report: the Events tab
    lists what each event of this turn changed at once."""
    game = Game.new(scenario(), 4)
    bot, rng = RandomPolicy(game.s), random.Random(4)
    while game.turn < 8:  # a random mission that is still running in month 8
        bot.play_turn(game, rng)
        assert game.apply(EndTurn()).ok
    assert game.fired_now == ("rainy_season",)  # the road to El Naqa is cut
    moved = [(c.target, c.amount) for c in game.changes_now if c.cause == "Rainy season"]
    assert ("protection", -2) in moved
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        while not isinstance(app.screen, DashboardScreen):  # an event of month 8 may ask
            await press(pilot, "escape")
            await quiet(pilot)
        await press(pilot, "v")
        await quiet(pilot)
        text = flat(area_text(app, "#events-panel"))
        assert "Rainy season" in text
        assert "Civilian protection -2" in text and "Logistics units -2 (Roads washed out)" in text
        # The status line says it too when the report that ends month 7 closes.
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert dashboard._turn_news() == (
            "Rainy season: Logistics units -2 (Roads washed out) · Civilian protection -2 "
            "(Events tab: v)"
        )


async def test_a_strategy_past_its_commitment_says_so() -> None:
    """While its commitment runs a strategy reads "3/3 months"; after it, "commitment met",
    never "4/3"."""
    game = Game.new(scenario(), 4)
    bot, rng = StrategyPolicy(game.s, "hybrid_framework"), random.Random(4)  # never ends it
    while game.turn < 5:
        bot.play_turn(game, rng)
        assert game.apply(EndTurn()).ok
    assert game.state.active["hybrid_framework"] == 5
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        while not isinstance(app.screen, DashboardScreen):
            await press(pilot, "escape")
            await quiet(pilot)
        await press(pilot, "p")
        await quiet(pilot)
        table = area_text(app, "#strategy-table")
        assert "● active · 5 months, commitment met" in table and "/3" not in table


async def test_a_resumed_game_offers_the_last_package_proposed() -> None:
    """After `accord continue`, each disagreement's package is the one last proposed, not the
    first option of every issue."""
    game = played(turns=1)
    package = (("posture", "diplomatic"), ("poc", "areas"))
    assert game.apply(Propose("mandate_scope", package)).ok
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await to_negotiations(pilot)
        table = await seen(pilot, "#package-table")
        assert "‹ Diplomatic ›" in table and "‹ Designated areas ›" in table


def shown_text(app: AccordApp, selector: str) -> str:
    """All a Static shows, scrolled into view or not, on one line."""
    return flat(str(app.screen.query_one(selector).render()))


async def test_counts_agree_with_their_labels_and_a_partners_gift_says_which_trust_it_used(
    make_app: MakeApp,
) -> None:
    """Month 1: the host government gives 1 Logistics unit (not "units"); the unallocated
    stock is said to be lost in words that suit any label. Month 7, after the donor's trust
    fell in the turn: what it gave, and what it would give next turn at its trust now."""
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        game = game_of(app)
        assert dict(game.state.contributions["host_gov"]) == {"logistics": 1}
        partners = shown_text(app, "#partners-list")
        assert "gives 1 Logistics unit" in partners and "1 Logistics units" not in partners
        assert "gives 20 Funding, 3 Logistics units" in partners  # the UN: plural kept
        note = shown_text(app, "#alloc-note")
        assert note == (
            "Unallocated Funding, Troop battalions, Logistics units: "
            "not carried over to the next turn."
        )
    game = played(turns=6)
    gave = game.state.contributions["donor"]["funding"]
    now = game.contribution_at_trust("donor")["funding"]
    assert now < gave  # its trust fell since the turn began
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        if isinstance(app.screen, EventModal):
            await press(pilot, "escape")  # decide later
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        partners = shown_text(app, "#partners-list")
        assert f"gave {gave} Funding this turn · {now} Funding next turn at current trust" in (
            partners
        )
        # The others' trust has not moved in the turn: one figure each, "gives".
        others = len(game.s.model.stakeholders) - 1
        assert partners.count(" gave ") == 1 and partners.count(" gives ") == others


async def test_the_outlook_shows_thresholds_and_the_course_by_difficulty(make_app: MakeApp) -> None:
    """Each partner shows the trust below which it walks out; the Outlook panel shows where the
    current plan leads (the rollout of game/outlook.py) at intro and standard, not at hard."""
    for difficulty in ("intro", "standard", "hard"):
        s = with_difficulty("hybrid_mandate", difficulty)
        app = make_app("hybrid_mandate", scenario=s, dashboard=True)
        async with app.run_test(size=SIZE) as pilot:
            await open_dashboard(pilot, app)
            sidebar = flat(area_text(app, "#sidebar"))
            assert "Outlook" in sidebar
            un = s.model.stakeholders["un"]
            assert f"walks out below {un.withdraws_below:g}" in sidebar
            game = app.screen.session.game  # type: ignore[attr-defined]
            if difficulty == "hard":
                assert "On current course" not in sidebar
            else:
                found = course(game)
                assert found is not None
                assert f"grade {found.grade}" in sidebar and "On current course" in sidebar


def _answer(game: Game) -> None:
    for event in game.state.pending:
        for choice in game.s.events[event].choices:
            if game.apply(Choose(event, choice)).ok:
                break


async def test_r_repeats_last_turns_allocation_as_far_as_the_stock_goes() -> None:
    """A trainee re-entered eight rows every month: `r` tops every row up to what it held
    when last turn ended (never takes back), in one step, and says what it did."""
    idle = Game.new(scenario(), 1)  # a turn that allocated nothing: nothing to repeat
    _answer(idle)
    assert idle.apply(EndTurn()).ok
    assert repeat_allocations(idle) == ([], "Nothing was allocated last month: nothing to repeat.")
    game = Game.new(scenario(), 1)
    _answer(game)
    rows = [(lid, line.accepts[0]) for lid, line in game.s.lines.items()]
    for lid, rid in rows:
        assert game.apply(Allocate(lid, rid, 1)).ok
    assert game.apply(EndTurn()).ok
    _answer(game)
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        first_row, first_resource = rows[0]
        await press(pilot, "home", "plus", "plus")  # more than last turn on the first row
        await press(pilot, "r")
        await quiet(pilot)
        assert game.state.allocations[first_row][first_resource] == 2  # not taken back
        for lid, rid in rows[1:]:
            assert game.state.allocations[lid][rid] == 1
        assert "Last month's allocation again." in flat(area_text(app, "#status"))
        await press(pilot, "r")
        await quiet(pilot)
        assert "Already allocated as last month, or more." in flat(area_text(app, "#status"))
        # Short of stock: as far as it goes, and said. One row emptied, and its resource's
        # stock all spent on another line that takes it.
        lid, rid = next(
            (lid, rid)
            for lid, rid in rows[1:]
            if any(rid in line.accepts for other, line in game.s.lines.items() if other != lid)
        )
        other = next(o for o, line in game.s.lines.items() if o != lid and rid in line.accepts)
        assert game.apply(Unallocate(lid, rid, 1)).ok
        assert game.apply(Allocate(other, rid, game.state.resources[rid])).ok
        await press(pilot, "r")
        await quiet(pilot)
        label = game.s.model.resources[rid].label
        said = flat(area_text(app, "#status"))
        assert f"Last month's allocation, as far as stock goes: 1 {label} short." in said
        assert game.state.allocations[lid][rid] == 0


async def test_a_strategy_that_reveals_a_partys_position_says_so(make_app: MakeApp) -> None:
    """A forecast shows what moves, and a `reveal` moves nothing: the strategy's detail says
    what activating it discloses (a tester learnt it from the briefing only)."""
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        await press(pilot, "p", "end")
        await quiet(pilot)
        detail = flat(area_text(app, "#strategy-detail"))
        assert "Joint assessment cell" in detail
        assert "Activating it reveals the priorities of every party in Mandate scope" in detail
        await press(pilot, "home")
        await quiet(pilot)
        assert "reveals" not in flat(area_text(app, "#strategy-detail"))
