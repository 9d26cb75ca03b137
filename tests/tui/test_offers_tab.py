"""The Negotiations tab shows each party's offer and what the trainee knows of it; `o` loads
an offer as the package, Enter proposes it as it stands."""

from __future__ import annotations

from tuitools import SIZE, area_text, flat, played, press, quiet, resumed, to_negotiations, until

from game.engine import Game
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.event import EventModal
from game.tui.screens.modals import ConfirmModal
from game.tui.screens.report import TurnReportScreen
from game.tui.widgets.negotiations import package_words


async def test_offers_and_knowledge_show_and_o_loads_an_offer_that_enter_proposes() -> None:
    game: Game = played(turns=1)
    offers = game.offers("mandate_scope")
    assert offers and all(offers.values())
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await to_negotiations(pilot)
        tab = app.screen.query_one("#negotiations-panel")
        tab.scroll_to_widget(app.screen.query_one("#negotiation-knowledge"), animate=False)
        await quiet(pilot)
        panel = flat(area_text(app, "#negotiations-panel"))
        assert "Offers this month" in panel
        for party, package in offers.items():
            name = game.s.model.stakeholders[party].name
            assert f"{name} offers: {package_words(game.s, 'mandate_scope', package)}" in panel
        assert "What you know of each party" in panel
        first, second = list(offers)[:2]
        await press(pilot, "o")  # the first party's offer
        await quiet(pilot)
        await press(pilot, "o")  # then the second's
        await quiet(pilot)
        table = area_text(app, "#package-table")
        for _, option in offers[second]:
            label = next(
                i.options[option]
                for i in game.s.model.disagreements["mandate_scope"].issues.values()
                if option in i.options
            )
            assert f"‹ {label} ›" in table
        await press(pilot, "enter")
        await quiet(pilot)
        record = app.session.proposals("mandate_scope")[-1]  # type: ignore[union-attr]
        assert record.package == offers[second]
        # The party that offered it accepts its own offer.
        assert {a.party: a.accepts for a in record.answers}[second]
        assert first != second


async def test_the_tutorials_week_4_is_agreed_by_taking_up_an_offer_with_o_and_enter() -> None:
    """The tutorial's briefing teaches, for week 4: read the new offers, press `o` to load
    one, `Enter` to propose it as it stands. Done that way, the patrol plan is agreed."""
    game: Game = played("tutorial", turns=3)
    assert game.turn == 4
    offers = game.offers("patrol_plan")
    assert offers["un"] != offers["coastal_union"]
    app = resumed(game, "tutorial")
    async with app.run_test(size=SIZE) as pilot:
        await to_negotiations(pilot)
        await press(pilot, "o")  # the first party's offer: the UN's
        await quiet(pilot)
        await press(pilot, "enter")
        await quiet(pilot)
        record = app.session.proposals("patrol_plan")[-1]  # type: ignore[union-attr]
        assert record.package == offers["un"]
        assert record.agreed


async def test_o_starts_again_with_the_first_party_at_a_new_turn() -> None:
    """`o` goes through the parties' offers in turn; at the next turn, with new offers on the
    table, it starts again with the first party, not the one after last turn's."""
    game: Game = played(turns=1)
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await to_negotiations(pilot)
        first = next(p for p, package in game.offers("mandate_scope").items() if package)
        await press(pilot, "o")  # Month 2: the first party's offer
        name = game.s.model.stakeholders[first].name
        assert flat(area_text(app, "#status")).startswith(f"Loaded the offer of {name}:")
        # Answer the event, end Month 2 (past the reminders), read the report.
        await press(pilot, "v", "enter")
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "e")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))  # nothing allocated
        await press(pilot, "e")
        await until(pilot, lambda: isinstance(app.screen, TurnReportScreen))
        await press(pilot, "enter")
        await until(pilot, lambda: not isinstance(app.screen, TurnReportScreen))
        while isinstance(app.screen, EventModal):
            await press(pilot, "escape")
        assert game.turn == 3
        parties = [p for p, package in game.offers("mandate_scope").items() if package]
        assert len(parties) > 1 and first in parties  # the old order would load the second
        await press(pilot, "n", "home", "o")
        name = game.s.model.stakeholders[parties[0]].name
        assert flat(area_text(app, "#status")).startswith(f"Loaded the offer of {name}:")
