"""The engine keeps amounts computed from discrete inputs (allocations, stocks, counts) and
partners' contributions per scenario. Keeping them must change nothing a player can see."""

from __future__ import annotations

import pytest

from game.engine import Allocate, Choose, EndTurn, Game
from game.engine.plan import plan_of
from game.library import SHIPPED, load_scenario
from game.playtest.policies import RandomPolicy, play_game


def _record(game: Game) -> list[object]:
    return [report.to_json() for report in game.reports] + [game.score, list(game.actions)]


def test_games_on_a_warm_scenario_match_games_on_a_fresh_one():
    """Game k played after 60 others (every kept amount in place) is the same game as game k
    played first on a freshly loaded scenario (nothing kept)."""
    warm = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    policy = RandomPolicy(warm)
    for seed in range(60):
        play_game(warm, policy, seed)
    assert plan_of(warm).contributions  # amounts were kept
    for seed in (3, 17, 42, 59):
        fresh = load_scenario(SHIPPED / "hybrid_mandate.yaml")
        cold = play_game(fresh, RandomPolicy(fresh), seed)
        again = play_game(warm, policy, seed)
        assert _record(again) == _record(cold)


def _security_adding_to_support(amount: str) -> dict[str, object]:
    """The tiny scenario's one line of effort, its effect adding `amount` to support."""
    return {
        "security": {
            "label": "Security operations",
            "accepts": ["funding", "capital"],
            "effects": [{"metric": "support", "add": amount}],
        }
    }


def test_a_warning_is_given_every_turn_even_for_a_kept_amount(make):
    """A division by zero warns each time it happens: its 0 is not kept silently."""
    scenario = make(lines_of_effort=_security_adding_to_support("10 / alloc.security.capital"))
    game = Game.new(scenario)
    for _ in range(3):
        game.apply(Allocate("security", "funding", 1))
        report = game.apply(EndTurn()).report
        assert report is not None
        assert any("division by zero" in w for w in report.warnings)
    game.apply(Allocate("security", "capital", 2))
    report = game.apply(EndTurn()).report
    assert report is not None and report.metrics_after["support"] == 45
    assert not report.warnings


def test_a_kept_amount_is_used_only_for_the_same_inputs(make):
    """sqrt(allocation) with 4, 9, 4: 2, 3, 2 again (kept), never a neighbour's value."""
    scenario = make(lines_of_effort=_security_adding_to_support("sqrt(alloc.security.funding)"))
    game = Game.new(scenario)
    moves = []
    for amount in (4, 9, 4):
        game.apply(Allocate("security", "funding", amount))
        report = game.apply(EndTurn()).report
        assert report is not None
        moves.append(report.metrics_after["support"] - report.metrics_before["support"])
    assert moves == [2, 3, 2]


def test_values_is_a_live_read_only_view():
    """Game.values: every name's current value, following the game, never written through."""
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    game = Game.new(scenario, 1)
    before = game.values["res.troops"]
    game.apply(Allocate("security_ops", "troops", 2))
    assert game.values["res.troops"] == before - 2
    assert game.values["alloc.security_ops.troops"] == 2
    with pytest.raises(TypeError):
        game.values["res.troops"] = 99  # type: ignore[index]
    assert game.values["res.troops"] == before - 2
    copy = game.copy()
    copy.apply(Allocate("security_ops", "troops", 1))
    assert game.values["alloc.security_ops.troops"] == 2  # a copy has its own view


def test_every_key_is_the_values_own_string_object():
    """Plan keys, effect targets and expression names are the very objects the values are
    keyed by (Scenario.canonical), so lookups never compare text."""
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    game = Game.new(scenario, 1)
    own = {key: key for key in game.values}
    plan = game.plan
    used = [p.trust for p in plan.partners.values()] + [p.gone for p in plan.partners.values()]
    used += [*plan.res.values(), *(st.active for st in plan.strategies.values())]
    used += [key for stock_and_allocated in plan.slots.values() for key in stock_and_allocated]
    used += [reach.key for e in plan.line_effects for reach in e.reaches]
    used += [name for rule in scenario.rules if rule.when for name in rule.when.names]
    used += [
        name for line in scenario.lines.values() for e in line.effects for name in e.value.names
    ]
    assert used and all(own[key] is key for key in used)


def test_a_partners_contribution_at_its_trust_now_is_the_start_of_turn_rule():
    """`contribution_at_trust` is what the start-of-turn rule gives at the trust of now: at
    the start of each turn it is what each partner gave, where nothing has moved its trust
    since (the turn's events may have). Asking changes nothing, the turn's warnings included."""
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    game = Game.new(scenario, 4)
    compared = 0
    while not game.finished:
        first = {sid: st.trust for sid, st in scenario.model.stakeholders.items()}
        start = game.reports[-1].trust_after if game.reports else first
        warnings = game.warnings_now
        for sid, trust in game.state.trust.items():
            if sid in game.state.withdrawn or start[sid] != trust:
                continue
            given = dict(game.state.contributions.get(sid, {}))
            assert dict(game.contribution_at_trust(sid)) == given
            compared += 1
        assert game.warnings_now == warnings
        for event in game.state.pending:
            for choice in scenario.events[event].choices:
                if game.apply(Choose(event, choice)).ok:
                    break
        assert game.apply(EndTurn()).ok
    assert compared >= 20
