"""Reading a finished game's record: metric moves with their causes, strategy runs, partners."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.debrief.model import Cause, MetricSeries, Move, Partnership, StrategyUse
from game.engine import Activate, Change, EndStrategy, EndTurn, Game, TurnReport
from game.scenario.models import Target

EPSILON = 1e-9


def group_causes(changes: Iterable[Change]) -> tuple[Cause, ...]:
    """Sum ledger lines by cause; largest absolute change first, then in ledger order."""
    totals: dict[str, list[float]] = {}
    first: dict[str, Change] = {}
    for change in changes:
        totals.setdefault(change.cause, []).append(change.amount)
        first.setdefault(change.cause, change)
    causes = [
        Cause(cause, sum(amounts), first[cause].line, first[cause].note)
        for cause, amounts in totals.items()
        if abs(sum(amounts)) > EPSILON
    ]
    order = {cause: i for i, cause in enumerate(totals)}
    causes.sort(key=lambda c: (-abs(c.change), order[c.cause]))
    return tuple(causes)


def metric_series(game: Game) -> tuple[MetricSeries, ...]:
    """Every metric from its start through its value after each turn, the headline first."""
    m = game.s.model
    history = game.state.history
    out = [
        MetricSeries(
            mid,
            metric.label,
            mid == game.s.headline,
            float(metric.start),
            tuple(float(x) for x in history.get(mid, ())),
            float(metric.min),
            float(metric.max),
        )
        for mid, metric in m.metrics.items()
    ]
    out.sort(key=lambda series: not series.headline)
    return tuple(out)


def turn_moves(report: TurnReport) -> tuple[Move, ...]:
    """Each metric that moved in this turn, with the ledger lines that moved it."""
    moves = []
    for metric, before in report.metrics_before.items():
        after = report.metrics_after[metric]
        causes = group_causes(report.changes_for(Target.METRIC, metric))
        if abs(after - before) > EPSILON or causes:
            moves.append(Move(report.turn, metric, float(before), float(after), causes))
    return tuple(moves)


def turning_points(game: Game, metric: str, count: int = 3) -> tuple[Move, ...]:
    """The turns with the largest moves of `metric`, largest first (earlier turn on a tie)."""
    moves = [mv for report in game.reports for mv in turn_moves(report) if mv.metric == metric]
    moves = [mv for mv in moves if abs(mv.change) > EPSILON]
    moves.sort(key=lambda mv: (-abs(mv.change), mv.turn))
    return tuple(moves[: max(0, count)])


@dataclass
class _Run:
    strategy: str
    started: int
    turns: int = 0
    last: int | None = None

    def close(self, game: Game, ended: str, ended_in: int | None) -> StrategyUse:
        st = game.s.strategies[self.strategy]
        # The engine counts the turn of activation and the turn of ending (`active_turns`).
        early = ended_in is not None and ended_in - self.started + 1 < st.min_turns
        return StrategyUse(self.strategy, st.label, st.partners, self.started, self.last,
                           self.turns, ended, ended_in, early, st.min_turns)  # fmt: skip


def strategy_runs(game: Game) -> tuple[StrategyUse, ...]:
    """Every run of every strategy, from the action log replayed on a fresh copy of the game.

    Replaying shows which strategies were in effect at each resolution, and which the engine
    ended by itself (a partner withdrew, or the upkeep could not be paid)."""
    replay = Game.new(game.s, game.seed)
    open_runs: dict[str, _Run] = {}
    done: list[StrategyUse] = []
    turn = 1
    for action in game.actions:
        if isinstance(action, Activate):
            open_runs[action.strategy] = _Run(action.strategy, turn)
        elif isinstance(action, EndStrategy) and action.strategy in open_runs:
            done.append(open_runs.pop(action.strategy).close(game, "by you", turn))
        if not isinstance(action, EndTurn):
            replay.apply(action)
            continue
        in_effect = replay.state.active
        for sid, run in open_runs.items():
            if sid in in_effect:
                run.turns, run.last = run.turns + 1, turn
        replay.apply(action)
        still, gone = replay.state.active, replay.state.withdrawn
        for sid in [sid for sid in open_runs if sid not in still]:
            if set(game.s.strategies[sid].partners) & gone:
                done.append(open_runs.pop(sid).close(game, "partner withdrew", turn))
            else:  # ended at the start of the next turn, before any decision
                done.append(open_runs.pop(sid).close(game, "upkeep unpaid", turn + 1))
        turn += 1
    ending = "still active at the end" if game.finished else "still active"
    done += [run.close(game, ending, None) for run in open_runs.values()]
    done.sort(key=lambda use: (use.started, list(game.s.strategies).index(use.strategy)))
    return tuple(done)


def partnerships(game: Game, runs: tuple[StrategyUse, ...]) -> tuple[Partnership, ...]:
    """Every stakeholder: trust after each turn, when it withdrew, the strategies it served."""
    out = []
    for sid, st in game.s.model.stakeholders.items():
        withdrawn = next((r.turn for r in game.reports if sid in r.withdrawn), None)
        used = tuple(dict.fromkeys(run.label for run in runs if sid in run.partners))
        trust = tuple(float(r.trust_after[sid]) for r in game.reports)
        limit = None if st.withdraws_below is None else float(st.withdraws_below)
        out.append(
            Partnership(sid, st.name, st.kind, float(st.trust), trust, withdrawn, limit, used)
        )
    return tuple(out)
