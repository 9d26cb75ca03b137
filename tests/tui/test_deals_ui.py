"""The Negotiations tab with side payments and an agreement that can break (issue 16)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tuitools import (
    SIZE,
    area_text,
    flat,
    played,
    press,
    quiet,
    resumed,
    seen,
    to_negotiations,
    until,
)

from game.engine import EndTurn, Game, Propose
from game.library import load_scenario
from game.tui.app import AccordApp
from game.tui.saving import LoadedGame
from game.tui.screens.dashboard import DashboardScreen
from game.tui.widgets.negotiations import NegotiationsPanel, PackageTable

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ceasefire_deal.yaml"


def _app(game: Game) -> AccordApp:
    return AccordApp(loaded=LoadedGame(game, FIXTURE, None, None, ()))


async def _negotiations(pilot: Pilot[object], app: AccordApp) -> str:
    """Open the Negotiations tab on the first disagreement; its text."""
    await quiet(pilot)
    await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    await press(pilot, "n", "home")
    await quiet(pilot)
    return flat(area_text(app, "#negotiations-panel"))


def _at_risk() -> Game:
    """Agreed on turn 1 with 7 Funding; at the start of turn 5 the militia's trust is 30."""
    game = Game.new(load_scenario(FIXTURE))
    assert game.apply(
        Propose.of("ceasefire", {"withdrawal": "cantoned"}, {"militia": {"funding": 7}})
    )
    for _ in range(4):
        game.apply(EndTurn())
    assert game.value("trust.militia") == 30 and game.value("agreed.ceasefire")
    return game


async def test_the_trainee_adds_a_side_payment_to_a_proposal() -> None:
    """A row per side payment a party takes, under the issues: →/← change the units; the
    proposal carries them, and the answers say they were paid."""
    game = Game.new(load_scenario(FIXTURE))
    app = _app(game)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _negotiations(pilot, app)
        assert "Valley militia takes 8 Funding at most per proposal as a side payment" in panel
        assert "‹ 0 Funding ›" in area_text(app, "#package-table")
        await press(pilot, "enter", "down", *["right"] * 7)
        await quiet(pilot)
        assert "‹ 7 Funding ›" in area_text(app, "#package-table")
        await press(pilot, "enter")
        await quiet(pilot)
        record = app.session.proposals("ceasefire")[-1]  # type: ignore[union-attr]
        assert record.agreed and record.transfers == (("militia", (("funding", 7),)),)
        assert game.state.resources["funding"] == 5
        panel = flat(area_text(app, "#negotiations-panel"))
        assert "Side payments (paid): 7 Funding to Valley militia" in panel
        assert "The agreement holds while Valley security ≥ 40 · holds now" in panel
        assert "Valley militia keeps it while trust with Valley militia ≥ 35 · holds now" in panel


async def test_an_agreement_at_risk_is_flagged() -> None:
    """When a held agreement's condition fails now, the tab warns before the resolution."""
    app = _app(_at_risk())
    async with app.run_test(size=SIZE) as pilot:
        panel = await _negotiations(pilot, app)
        assert "agreed in" in panel and "AT RISK" in panel
        assert "Valley militia's condition (trust with Valley militia ≥ 35) fails now" in panel


def test_ending_the_turn_reminds_of_an_agreement_at_risk() -> None:
    """The reminders before ending a turn name an agreement whose condition fails now."""
    from game.tui.text import end_turn_reminders

    fresh = Game.new(load_scenario(FIXTURE))
    assert fresh.apply(
        Propose.of("ceasefire", {"withdrawal": "cantoned"}, {"militia": {"funding": 7}})
    )
    assert not any("breaks" in r for r in end_turn_reminders(fresh))
    game = _at_risk()
    assert (
        "Valley ceasefire breaks at this turn's resolution unless its conditions hold again by "
        "then." in end_turn_reminders(game)
    )


def _failing_from_the_start() -> Game:
    """The fixture with the militia's condition at trust 50 (it starts at 45): agreed on turn 1
    with the condition failing at once."""
    from game.scenario import parse_scenario

    text = FIXTURE.read_text().replace('"trust.militia >= 35"', '"trust.militia >= 50"')
    game = Game.new(parse_scenario(text, str(FIXTURE)))
    assert game.apply(
        Propose.of("ceasefire", {"withdrawal": "cantoned"}, {"militia": {"funding": 7}})
    )
    assert game.value("agreed.ceasefire") and not all(ok for *_, ok in game.holds_now("ceasefire"))
    return game


async def test_an_agreement_made_this_turn_is_checked_from_the_next() -> None:
    """Conditions are never checked on the turn of agreement: a condition that fails at once
    warns of next turn's resolution, and ending this turn does not say it breaks now."""
    from game.tui.text import end_turn_reminders

    game = _failing_from_the_start()
    assert not any("breaks" in r for r in end_turn_reminders(game))
    app = _app(game)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _negotiations(pilot, app)
        assert "the agreement breaks at next turn's resolution" in panel
        assert "breaks at this turn's" not in panel
    game.apply(EndTurn())
    assert game.value("agreed.ceasefire")  # it held through the turn of agreement
    assert any("breaks at this turn's resolution" in r for r in end_turn_reminders(game))


async def test_a_payment_and_an_option_stop_at_their_ends() -> None:
    """Hybrid Mandate, Month 2, Mandate scope: the government's payment (5 Funding at most)
    stops at its maximum and at 0, and an issue's option at its first and last: → past the
    end never brings the payment back to 0 (nor ← to the maximum), and a bell rings."""
    game = played(turns=1)
    app = resumed(game)
    bells: list[None] = []
    app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await to_negotiations(pilot)
        panel = app.screen.query_one(NegotiationsPanel)
        assert panel.slots("mandate_scope") == [("host_gov", "funding", 5)]
        await press(pilot, "enter", "down", "down")  # the payment row, under the two issues
        await press(pilot, *["right"] * 7)
        assert panel.transfers("mandate_scope") == {"host_gov": {"funding": 5}}
        assert "‹ 5 Funding ›" in await seen(pilot, "#package-table")
        assert len(bells) == 2
        await press(pilot, *["left"] * 6)
        assert panel.transfers("mandate_scope") == {}
        assert "‹ 0 Funding ›" in await seen(pilot, "#package-table")
        assert len(bells) == 3
        await press(pilot, "up", "up", "left")  # Posture: Robust is the first option
        assert panel.package("mandate_scope")["posture"] == "robust"
        assert len(bells) == 4
        await press(pilot, "right", "right", "right", "right")
        assert panel.package("mandate_scope")["posture"] == "diplomatic"
        assert "‹ Diplomatic ›" in await seen(pilot, "#package-table")
        assert len(bells) == 6


async def test_a_click_on_the_left_arrow_goes_back_and_stops_at_the_first_option() -> None:
    """A click on a package row moves forward, a click on the ‹ of its option back; both stop
    at the ends like ← and →."""
    game = played(turns=1)
    app = resumed(game)
    async with app.run_test(size=SIZE) as pilot:
        await to_negotiations(pilot)
        panel = app.screen.query_one(NegotiationsPanel)
        await press(pilot, "enter")
        table = app.screen.query_one(PackageTable)
        back = table.column_span(1, 1).start
        for _ in range(4):
            await pilot.click(table, offset=(back + 4, 1))
            await quiet(pilot)
        assert panel.package("mandate_scope")["posture"] == "diplomatic"
        for _ in range(3):
            await pilot.click(table, offset=(back, 1))
            await quiet(pilot)
        assert panel.package("mandate_scope")["posture"] == "robust"
