"""The expert: a search over whole-game plans for a scenario's ceiling.

A plan says, for every turn, how to share each resource among the lines that accept it, which
strategy to start (if any), whether to propose the deals every party accepts; and, for every
event, the order of preference of its answers. Playing a plan on a copy of the game is
deterministic (a copy rolls the same dice as the game), so a plan has one score, and the
search keeps the best plan it finds: it starts from the greedy bot's game and a few one-line
plans, then mutates the best (a (1+λ) evolution strategy) within a budget of plays.

What it reaches is what a skilled player could reach with luck on their side: an upper bound
a class will not reach, the scenario's ceiling.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from game.engine import Action, Activate, Allocate, Choose, EndTurn, Game, Propose
from game.playtest.deals import MOST_SEARCHED, agreed
from game.scenario import Scenario, names

_END_TURN = EndTurn()


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn of a plan. `shares`: per resource (scenario order), a weight per line that
    accepts it (0 weights everywhere keeps the stock); `start`: a strategy index or -1."""

    shares: tuple[tuple[float, ...], ...]
    start: int
    deals: bool
    deal: int = 0  # which of the agreeable packages (best joint utility first)


@dataclass(frozen=True, slots=True)
class Plan:
    turns: tuple[Turn, ...]
    answers: tuple[tuple[int, ...], ...]  # per event (scenario order): choice indices, best first


class PlanPlayer:
    """Plays plans on copies of a game; what the search and the expert share."""

    def __init__(self, scenario: Scenario) -> None:
        s = self.scenario = scenario
        self.resources = tuple(s.model.resources)
        self.lines_for = tuple(
            tuple(lid for lid, line in s.lines.items() if r in line.accepts) for r in self.resources
        )
        self.strategies = tuple(s.strategies)
        self.events = tuple(s.events)
        self.choices = {eid: tuple(ev.choices) for eid, ev in s.events.items()}
        self.event_index = {eid: i for i, eid in enumerate(self.events)}
        self.stock_keys = {r: names.RES(r) for r in self.resources}
        self.activate = [Activate(sid) for sid in self.strategies]

    def stock(self, game: Game) -> list[int]:
        v = game.values
        return [int(v[self.stock_keys[r]]) for r in self.resources]

    def turn_actions(self, game: Game, plan: Plan) -> list[Action]:
        """The actions of the plan's current turn, in the order a script replays a turn; the
        answers' stock is set aside before anything is spent."""
        t = min(game.turn, len(plan.turns)) - 1
        turn = plan.turns[t]
        answers: list[Action] = []
        budget = self.stock(game)
        if game.pending:
            trial = game.copy()
            for event in game.pending:
                order = plan.answers[self.event_index[event]]
                choices = self.choices[event]
                for k in (*order, *range(len(choices))):
                    action = Choose(event, choices[k])
                    if trial.apply(action).ok:
                        answers.append(action)
                        break
            budget = [min(a, b) for a, b in zip(budget, self.stock(trial), strict=True)]
        out: list[Action] = []
        s = self.scenario
        spend = list(budget)
        proposals: list[Action] = []
        if turn.deals:
            for did, d in s.disagreements.items():
                deals = agreed(s, game, did, MOST_SEARCHED)
                found = list(itertools.islice(deals, turn.deal + 1))
                if found and self._pay(spend, d.proposal_cost):
                    proposals.append(found[-1])
        starts: list[Action] = []
        if turn.start >= 0:
            sid = self.strategies[turn.start]
            st = s.strategies[sid]
            if not game.check(self.activate[turn.start]) and self._pay(spend, st.cost):
                starts.append(self.activate[turn.start])
        for r_index, (weights, lines) in enumerate(zip(turn.shares, self.lines_for, strict=True)):
            stock = spend[r_index]
            total = sum(weights)
            if stock <= 0 or total <= 0:
                continue
            left = stock
            for k, (w, line) in enumerate(zip(weights, lines, strict=True)):
                amount = left if k == len(lines) - 1 else min(left, int(stock * w / total))
                if amount > 0:
                    out.append(Allocate(line, self.resources[r_index], amount))
                    left -= amount
        return [*out, *starts, *proposals, *answers]

    def _pay(self, spend: list[int], cost: Sequence[tuple[str, int]]) -> bool:
        index = {r: i for i, r in enumerate(self.resources)}
        if any(spend[index[r]] < amount for r, amount in cost):
            return False
        for r, amount in cost:
            spend[index[r]] -= amount
        return True

    def play(self, game: Game, plan: Plan) -> Game:
        """A copy of `game` played to its end by the plan."""
        trial = game.copy()
        while not trial.finished:
            for action in self.turn_actions(trial, plan):
                trial.apply(action)
            if not trial.apply(_END_TURN).ok:
                for event in trial.pending:
                    for name in self.choices[event]:
                        if trial.apply(Choose(event, name)).ok:
                            break
                trial.apply(_END_TURN)
        return trial

    # ---- plans ---------------------------------------------------------------------------

    def random_turn(self, rng: random.Random) -> Turn:
        shares = tuple(
            tuple(rng.random() ** 2 for _ in lines) if lines else () for lines in self.lines_for
        )
        start = rng.randrange(-1, len(self.strategies)) if self.strategies else -1
        deal = rng.randrange(4) if rng.random() < 0.5 else 0
        return Turn(shares, start if rng.random() < 0.3 else -1, rng.random() < 0.8, deal)

    def line_plan(self, line: str, turns: int) -> Plan:
        shares = tuple(
            tuple(1.0 if lid == line else (0.0 if line in lines else 1.0) for lid in lines)
            for lines in self.lines_for
        )
        return Plan(tuple(Turn(shares, -1, True) for _ in range(turns)), self.first_answers())

    def first_answers(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(range(len(self.choices[e]))) for e in self.events)

    def from_game(self, game: Game, turns: int) -> Plan:
        """The plan closest to a played game: its allocations as shares, its starts, deals
        proposed, and the answers it gave first."""
        rows: list[Turn] = []
        answers: dict[str, int] = {}
        current: list[Action] = []
        for action in [*game.actions, _END_TURN]:
            if type(action) is not EndTurn:
                current.append(action)
                continue
            if len(rows) >= turns:
                break
            amounts = [[0.0] * len(lines) for lines in self.lines_for]
            start = -1
            deals = False
            for a in current:
                if isinstance(a, Allocate):
                    r = self.resources.index(a.resource)
                    amounts[r][self.lines_for[r].index(a.line)] += a.amount
                elif isinstance(a, Activate) and start < 0:
                    start = self.strategies.index(a.strategy)
                elif isinstance(a, Propose):
                    deals = True
                elif isinstance(a, Choose):
                    answers.setdefault(a.event, self.choices[a.event].index(a.choice))
            rows.append(Turn(tuple(tuple(x) for x in amounts), start, deals))
            current = []
        while len(rows) < turns:
            rows.append(rows[-1] if rows else self.line_plan(self.scenario.headline, 1).turns[0])
        order = []
        for e in self.events:
            n = len(self.choices[e])
            first = answers.get(e, 0)
            order.append((first, *(k for k in range(n) if k != first)))
        return Plan(tuple(rows), tuple(order))

    def alternatives(self, turn: Turn) -> list[Turn]:
        """A turn's simple neighbours: one resource all into one line; another strategy to
        start (or none); another of the acceptable deals (or none)."""
        out = []
        for r, lines in enumerate(self.lines_for):
            for k in range(len(lines)):
                one = tuple(1.0 if j == k else 0.0 for j in range(len(lines)))
                if turn.shares[r] != one:
                    shares = list(turn.shares)
                    shares[r] = one
                    out.append(replace(turn, shares=tuple(shares)))
        for start in range(-1, len(self.strategies)):
            if start != turn.start:
                out.append(replace(turn, start=start))
        for deal in range(3):
            if deal != turn.deal or not turn.deals:
                out.append(replace(turn, deals=True, deal=deal))
        if turn.deals:
            out.append(replace(turn, deals=False))
        return out

    def mutate(self, plan: Plan, rng: random.Random) -> Plan:
        turns = list(plan.turns)
        kind = rng.random()
        if kind < 0.15 and plan.answers:
            e = rng.randrange(len(plan.answers))
            order = list(plan.answers[e])
            rng.shuffle(order)
            answers = list(plan.answers)
            answers[e] = tuple(order)
            return replace(plan, answers=tuple(answers))
        t = rng.randrange(len(turns))
        span = 1 if rng.random() < 0.6 else rng.randint(2, 4)
        fresh = self.random_turn(rng)
        for k in range(t, min(len(turns), t + span)):
            old = turns[k]
            part = rng.random()
            if part < 0.3:
                shares = tuple(
                    tuple(
                        max(0.0, w * rng.lognormvariate(0, 0.6) + 0.05 * rng.random()) for w in ws
                    )
                    for ws in old.shares
                )
                turns[k] = replace(old, shares=shares)
                continue
            part = rng.random()
            if part < 0.25 and old.shares:
                r = rng.randrange(len(old.shares))
                one = list(old.shares)
                one[r] = fresh.shares[r]
                turns[k] = replace(old, shares=tuple(one))
            elif part < 0.55:
                turns[k] = replace(old, shares=fresh.shares)
            elif part < 0.7:
                turns[k] = replace(old, deal=fresh.deal, deals=True)
            elif part < 0.88:
                turns[k] = replace(old, start=fresh.start if old.start < 0 else -1)
            else:
                turns[k] = replace(old, deals=not old.deals)
        return replace(plan, turns=tuple(turns))


def search(
    player: PlanPlayer,
    game: Game,
    seeds: Sequence[Plan],
    plays: int,
    rng: random.Random,
    value: Callable[[Game], tuple[float, ...]] | None = None,
) -> Plan:
    """The best plan found from `seeds` by mutation within `plays` plays of the game: the best
    seed is improved in `RESTARTS` independent climbs, and the best climb's plan is kept."""
    judge = value or plan_value
    scored = [(judge(player.play(game, plan)), k) for k, plan in enumerate(seeds)]
    start = seeds[max(scored)[1]]
    polish = int(plays * POLISH)
    left = plays - len(seeds) - polish
    best: tuple[tuple[float, ...], Plan] | None = None
    for _ in range(RESTARTS):
        found = _climb(player, game, start, left // RESTARTS, rng, judge)
        if best is None or found[0] > best[0]:
            best = found
    assert best is not None
    # Polish, climb again from the polished plan with what the polish left, polish again.
    while polish > 0:
        score, plan, used = _polish(player, game, best, polish, judge)
        polish -= used
        best = (score, plan)
        if polish <= 0 or used == 0:
            break
        climb = min(polish, CLIMB_AGAIN)
        found = _climb(player, game, plan, climb, rng, judge)
        polish -= climb
        if found[0] > best[0]:
            best = found
    return best[1]


CLIMB_AGAIN = 500


POLISH = 0.25  # the share of the plays spent trying each turn's simple alternatives


def _polish(
    player: PlanPlayer,
    game: Game,
    best: tuple[tuple[float, ...], Plan],
    plays: int,
    judge: Callable[[Game], tuple[float, ...]],
) -> tuple[tuple[float, ...], Plan, int]:
    """Turn by turn, resource by resource: all of it into each line that takes it; then each
    strategy to start and each deal; kept when no worse. Repeated while plays remain."""
    used = 0
    value, plan = best
    while used < plays:
        improved = False
        for t in range(len(plan.turns)):
            for option in player.alternatives(plan.turns[t]):
                if used >= plays:
                    return value, plan, used
                turns = list(plan.turns)
                turns[t] = option
                child = replace(plan, turns=tuple(turns))
                v = judge(player.play(game, child))
                used += 1
                if v > value:
                    value, plan, improved = v, child, True
        if not improved:
            break
    return value, plan, used


RESTARTS = 2


def plan_value(g: Game) -> tuple[float, ...]:
    return (float("FDCBA".find(g.grade)), g.score)


def _climb(
    player: PlanPlayer,
    game: Game,
    plan: Plan,
    plays: int,
    rng: random.Random,
    judge: Callable[[Game], tuple[float, ...]],
) -> tuple[tuple[float, ...], Plan]:
    best = judge(player.play(game, plan))
    for _ in range(plays - 1):
        child = player.mutate(plan, rng)
        if rng.random() < 0.3:
            child = player.mutate(child, rng)
        v = judge(player.play(game, child))
        if v >= best:
            best, plan = v, child
    return best, plan
