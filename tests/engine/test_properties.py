"""Properties of random legal play on every shipped scenario (testing.md): bounds, ledger sums,
legal actions empty only when finished, JSON round trips, replay equality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from game.engine import (
    Allocate,
    EndTurn,
    Game,
    Propose,
    Unallocate,
    action_from_json,
    action_to_json,
)
from game.library import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = {p.stem: load_scenario(p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))}


def check_report(game: Game) -> None:
    """For every metric, trust value and stock, the changes of a turn add up exactly to its
    movement (a resource change queued in resolution moves its stock at the next income)."""
    report = game.reports[-1]
    for metric, after in report.metrics_after.items():
        moved = sum(c.amount for c in report.changes_for("metric", metric))
        assert report.metrics_before[metric] + moved == pytest.approx(after, abs=1e-9)
    for party, after in report.trust_after.items():
        moved = sum(c.amount for c in report.changes_for("trust", party))
        assert report.trust_before[party] + moved == pytest.approx(after, abs=1e-9)
    assert set(report.resources_after) == set(game.s.model.resources)
    for rid, after in report.resources_after.items():
        moved = sum(c.amount for c in report.moved_now("resource", rid))
        assert report.resources_before[rid] + moved == after, (rid, report.turn)
    # What was queued arrives, with its cause, at the start of the next turn.
    if not game.finished:
        arrived = [c.cause for c in game.changes_now if c.kind == "resource"]
        for queued in (c for c in report.changes if c.later and c.amount):
            assert queued.cause in arrived


class PlayAnyScenario(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.game: Game | None = None

    @precondition(lambda self: self.game is None)
    @rule(name=st.sampled_from(sorted(SCENARIOS)), seed=st.integers(0, 10_000))
    def start(self, name: str, seed: int) -> None:
        self.game = Game.new(SCENARIOS[name], seed)

    @precondition(lambda self: self.game is not None and not self.game.finished)
    @rule(data=st.data())
    def decide(self, data: st.DataObject) -> None:
        assert self.game is not None
        actions = [a for a in self.game.legal_actions() if not isinstance(a, EndTurn)]
        if not actions:
            return
        action = data.draw(st.sampled_from(actions))
        if isinstance(action, Allocate | Unallocate):
            amount = data.draw(st.integers(1, action.amount))
            action = type(action)(action.line, action.resource, amount)
        elif isinstance(action, Propose):
            d = self.game.s.disagreements[action.disagreement]
            package = {i: data.draw(st.sampled_from(opts)) for i, opts in d.issues.items()}
            action = Propose.of(action.disagreement, package)
        outcome = self.game.apply(action)
        assert outcome.ok, outcome.reason

    @precondition(lambda self: self.game is not None and not self.game.finished)
    @rule()
    def end_turn(self) -> None:
        assert self.game is not None
        outcome = self.game.apply(EndTurn())
        if outcome.ok:
            check_report(self.game)
        else:
            assert self.game.state.pending, outcome.reason

    @precondition(lambda self: self.game is not None and self.game.finished)
    @rule()
    def a_finished_game_refuses_everything(self) -> None:
        assert self.game is not None
        before = self.game.state.to_json()
        assert not self.game.apply(EndTurn()).ok
        assert self.game.state.to_json() == before

    @invariant()
    def bounded_and_consistent(self) -> None:
        game = self.game
        if game is None:
            return
        m = game.s.model
        state = game.state
        # Metrics are clamped at the end of resolution: check them as each report left them.
        for report in game.reports[-1:]:
            for metric, value in report.metrics_after.items():
                assert m.metrics[metric].min <= value <= m.metrics[metric].max
            for value in report.trust_after.values():
                assert 0 <= value <= 100
        assert all(v >= 0 for v in state.resources.values())
        assert (game.legal_actions() == []) == game.finished
        json.dumps(state.to_json())

    def teardown(self) -> None:
        game = self.game
        if game is None:
            return
        log = json.loads(json.dumps([action_to_json(a) for a in game.actions]))
        replay = Game.new(game.s, game.seed)
        for data in log:
            assert replay.apply(action_from_json(data)).ok
        assert replay.state.to_json() == game.state.to_json()


PlayAnyScenario.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestPlayAnyScenario = PlayAnyScenario.TestCase
