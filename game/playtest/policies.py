"""Bots that play whole games: random, greedy, one-track (fixed) and plugged-in policies.

A policy takes all the decisions of one turn (never EndTurn). The built-in policies act in
the order a playthrough script replays a turn (allocate, end, activate, propose, choose), so
any game they play can be written down as a script that reproduces it exactly.
"""

from __future__ import annotations

import importlib
import inspect
import random
from collections.abc import Callable, Sequence
from itertools import compress
from typing import Any, Protocol, runtime_checkable

from game.engine import (
    Action,
    Activate,
    Allocate,
    Choose,
    EndStrategy,
    EndTurn,
    Game,
    Propose,
)
from game.engine.plan import getter
from game.playtest.coverage import reached
from game.playtest.deals import agreeable, bought, offered
from game.playtest.draws import pair, pick, shuffle
from game.playtest.explain import conditions
from game.playtest.search import Plan, PlanPlayer, plan_value, search
from game.safe_text import printable
from game.scenario import Scenario, names
from game.scenario.compiled import CEffect
from game.scenario.expr import Compiled
from game.scenario.hints import did_you_mean
from game.scenario.models import Target

GRADE_ORDER = "FDCBA"  # worst to best


class PolicyError(Exception):
    """A policy name that names no policy, or a policy that cannot finish a turn."""


@runtime_checkable
class Policy(Protocol):
    """A bot: `play_turn` takes every decision of the current turn, but does not end it."""

    name: str

    def play_turn(self, game: Game, rng: random.Random) -> None: ...


# ---- the random policy and its one-track variants -------------------------------------


class RandomPolicy:
    """Uniform among legal options, with a sensible turn shape: allocates most of its stock,
    sometimes ends or activates a strategy, proposes random packages, answers events at random.

    Subclasses fix one kind of decision and leave the others random; the hooks below are the
    seams they override. The turn is planned from expression values and `Game.check`, not from
    `legal_actions()`, which keeps a random game cheap next to the engine's own work.
    """

    name = "random"
    activate_chance = 0.4
    end_chance = 0.1
    propose_chance = 0.5
    adopt_share = 0.25  # of its proposals, the share that adopts a party's offer (when any)

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

        # The game's own key objects (see Scenario.canonical): reading by them skips comparing
        # text.
        def key(text: str) -> str:
            return scenario.canonical.get(text, text)

        self.resources = tuple(scenario.model.resources)
        self.stock = getter(tuple(key(names.RES(r)) for r in self.resources))
        self.lines_for: dict[str, tuple[str, ...]] = {
            r: tuple(lid for lid, line in scenario.lines.items() if r in line.accepts)
            for r in scenario.model.resources
        }
        # The resources some line takes, with those lines, their count and its bit length.
        self._allocating = tuple(
            (r, lines, len(lines), len(lines).bit_length())
            for r, lines in self.lines_for.items()
            if lines
        )
        self._spans: dict[int, tuple[int, int, int]] = {}
        self.strategies = tuple(scenario.strategies)
        self.active = getter(tuple(key(names.ACTIVE(sid)) for sid in scenario.strategies))
        self.disagreements = tuple(scenario.disagreements)
        self.talks = getter(tuple(key(names.OPEN(did)) for did in scenario.disagreements))
        self.issues = {did: tuple(d.issues.items()) for did, d in scenario.disagreements.items()}
        self.choices = {eid: tuple(ev.choices) for eid, ev in scenario.events.items()}
        # For each strategy's and choice's requirement: its names and a reader of their values.
        self.requires = {
            sid: self._condition(st.requires) for sid, st in scenario.strategies.items()
        }
        self.choice_requires = {
            (eid, cid): self._condition(choice.requires)
            for eid, ev in scenario.events.items()
            for cid, choice in ev.choices.items()
        }
        # Actions are immutable values: each is made once and used again.
        self._allocations: dict[tuple[str, str, int], Allocate] = {}
        self._proposals: dict[tuple[str, tuple[tuple[str, str], ...]], Propose] = {}
        self._activate = {sid: Activate(sid) for sid in scenario.strategies}
        self._end = {sid: EndStrategy(sid) for sid in scenario.strategies}
        self._choose = {
            (eid, cid): Choose(eid, cid)
            for eid, ev in scenario.events.items()
            for cid in ev.choices
        }
        # The answers whose effects move a resource (the others leave the stock as it is), and
        # of those the ones that add constants: their stock is worked out from the file.
        self._moves_stock = {
            (eid, cid): any(e.kind == Target.RESOURCE for e in choice.effects)
            for eid, ev in scenario.events.items()
            for cid, choice in ev.choices.items()
        }
        self._stock_adds = {
            (eid, cid): _constant_stock_adds(choice.effects, self.resources)
            for eid, ev in scenario.events.items()
            for cid, choice in ev.choices.items()
        }
        self._tops = tuple(scenario.model.resources[r].max for r in self.resources)

    def play_turn(self, game: Game, rng: random.Random) -> None:
        values, apply = game.values, game.apply
        # The answers are chosen first, and the stock they take is set aside: a choice that
        # needs stock is not starved by the allocations. They are given last all the same, in
        # the order a playthrough script replays a turn.
        answers = self.pick_answers(game, rng) if game.pending else []
        budget = self.budget(game, answers)
        to_end = self.pick_ends(list(compress(self.strategies, self.active(values))), rng)
        to_activate = [s for s in self.pick_activations(game, rng) if self._afford(budget, s)]
        talks = list(compress(self.disagreements, self.talks(values)))
        proposals = [p for p in self.pick_proposals(game, talks, rng) if self._afford(budget, p)]
        for action in self.allocations(game, budget, rng):
            apply(action)
        for sid in to_end:
            apply(self._end[sid])
        for sid in to_activate:
            apply(self._activate[sid])
        for proposal in proposals:
            apply(proposal)
        for event, first in answers:
            for choice in (first, *self.choices[event]):
                requirement = self.choice_requires[event, choice]
                if _holds(game, requirement) and apply(self._choose[event, choice]).ok:
                    break

    def pick_answers(self, game: Game, rng: random.Random) -> list[tuple[str, str]]:
        """For each pending event, the first choice in `choice_order` that can be taken now."""
        out = []
        for event in game.pending:
            for choice in self.choice_order(event, rng):
                if _holds(game, self.choice_requires[event, choice]):
                    out.append((event, choice))
                    break
        return out

    def budget(self, game: Game, answers: Sequence[tuple[str, str]]) -> dict[str, int]:
        """Each resource's stock, less what the answers will take."""
        stock = tuple(map(int, self.stock(game.values)))
        moving = [answer for answer in answers if self._moves_stock[answer]]
        adds = self._stock_adds[moving[0]] if len(moving) == 1 else None
        if adds is not None:
            # One answer adding constants (its requirement holds now, so it will be taken):
            # each held within 0 and the storage at once, as the engine does.
            after = list(stock)
            for k, amount in adds:
                top = self._tops[k]
                after[k] = max(0, after[k] + amount)
                after[k] = after[k] if top is None else min(after[k], top)
            stock = tuple(map(min, stock, after))
        elif moving:  # formulas, or answers that may stand in each other's way: a trial says
            trial = game.copy()
            for event, choice in answers:
                trial.apply(self._choose[event, choice])
            stock = tuple(
                min(a, int(b)) for a, b in zip(stock, self.stock(trial.values), strict=True)
            )
        return dict(zip(self.resources, stock, strict=True))

    # ---- hooks -----------------------------------------------------------------------

    def pick_ends(self, active: list[str], rng: random.Random) -> list[str]:
        return [pick(rng, active)] if active and rng.random() < self.end_chance else []

    def pick_activations(self, game: Game, rng: random.Random) -> list[str]:
        """At most one strategy, uniform among those that can be activated now."""
        if not self.strategies or rng.random() >= self.activate_chance:
            return []
        order = list(self.strategies)
        shuffle(rng, order)
        for sid in order:
            if self.can_activate(game, sid):
                return [sid]
        return []

    def pick_proposals(self, game: Game, talks: list[str], rng: random.Random) -> list[Propose]:
        """For each open disagreement, with `propose_chance`, a proposal: a random package, or
        (a quarter of the time, when parties have made offers) one party's offer, adopted as
        it stands. The one draw decides both, so a game without offers draws as before."""
        out = []
        made = self._proposals
        adopt = self.propose_chance * self.adopt_share
        for did in talks:
            draw = rng.random()
            if draw < self.propose_chance:
                offers = [pkg for pkg in game.offers(did).values() if pkg] if draw < adopt else []
                if offers:
                    package = offers[min(int(draw / adopt * len(offers)), len(offers) - 1)]
                else:
                    package = tuple([(issue, pick(rng, o)) for issue, o in self.issues[did]])
                proposal = made.get((did, package))
                if proposal is None:
                    proposal = Propose(did, package)
                    if len(made) < 10_000:
                        made[did, package] = proposal
                out.append(proposal)
        return out

    def choice_order(self, event: str, rng: random.Random) -> list[str]:
        """The order in which to try an event's choices: the first legal one is taken."""
        order = list(self.choices[event])
        shuffle(rng, order)
        return order

    def allocations(self, game: Game, budget: dict[str, int], rng: random.Random) -> list[Action]:
        """Most of each resource's stock (a half to all of it), over one or two lines."""
        # The draws of `between` and `pick` (see game.playtest.draws), written out inline,
        # with each range's size and bit count kept: this loop is a fifth of a bot's work.
        out: list[Action] = []
        made = self._allocations
        bits = rng.getrandbits
        spans = self._spans
        shares: tuple[tuple[str, int], ...]
        for r, lines, count, count_bits in self._allocating:
            stock = budget[r]
            if stock <= 0:
                continue
            span = spans.get(stock)
            if span is None:
                span = _span(stock)
                if len(spans) < 10_000:
                    spans[stock] = span
            low, n, k = span
            drawn = bits(k)
            while drawn >= n:
                drawn = bits(k)
            amount = low + drawn  # between(rng, (stock + 1) // 2, stock)
            if count > 1 and amount > 1 and rng.random() < 0.5:
                first, second = pair(rng, lines)
                n = amount - 1
                k = n.bit_length()
                drawn = bits(k)
                while drawn >= n:
                    drawn = bits(k)
                part = 1 + drawn  # between(rng, 1, amount - 1)
                shares = ((first, part), (second, amount - part))
            else:
                drawn = bits(count_bits)
                while drawn >= count:
                    drawn = bits(count_bits)
                shares = ((lines[drawn], amount),)  # pick(rng, lines)
            for line, share in shares:
                action = made.get((line, r, share))
                if action is None:
                    action = Allocate(line, r, share)
                    if len(made) < 10_000:
                        made[line, r, share] = action
                out.append(action)
        return out

    # ---- helpers ---------------------------------------------------------------------

    def can_activate(self, game: Game, sid: str) -> bool:
        # The requirement first: the engine's refusal would explain it in words, which is slow.
        return _holds(game, self.requires[sid]) and not game.check(self._activate[sid])

    @staticmethod
    def _condition(condition: Compiled | None) -> Requirement:
        if condition is None:
            return None
        read = tuple(condition.names)
        return condition.fn, read, getter(read)

    def _afford(self, budget: dict[str, int], what: str | Propose) -> bool:
        """Set aside the cost of an activation or proposal; False when the stock is short."""
        s = self.scenario
        if isinstance(what, Propose):
            cost = s.disagreements[what.disagreement].proposal_cost
            if what.transfers:  # side payments leave the same stock
                cost = cost + tuple(u for _, units in what.transfers for u in units)
        else:
            cost = s.strategies[what].cost
        for rid, amount in cost:
            if budget[rid] < amount:
                return False
        for rid, amount in cost:
            budget[rid] -= amount
        return True


class LinePolicy(RandomPolicy):
    """Everything a line of effort accepts goes into it; the rest is played at random."""

    def __init__(self, scenario: Scenario, line: str) -> None:
        super().__init__(scenario)
        self.line = line
        self.name = f"fixed:line={line}"
        self.accepts = scenario.lines[line].accepts

    def allocations(self, game: Game, budget: dict[str, int], rng: random.Random) -> list[Action]:
        out: list[Action] = []
        for action in super().allocations(game, budget, rng):
            if isinstance(action, Allocate) and action.resource not in self.accepts:
                out.append(action)
        out += [Allocate(self.line, r, budget[r]) for r in self.accepts if budget[r] > 0]
        return out


class StrategyPolicy(RandomPolicy):
    """Always the same strategy: activated whenever it can be, never ended, no other one."""

    def __init__(self, scenario: Scenario, strategy: str) -> None:
        super().__init__(scenario)
        self.strategy = strategy
        self.name = f"fixed:strategy={strategy}"

    def pick_ends(self, active: list[str], rng: random.Random) -> list[str]:
        return []

    def pick_activations(self, game: Game, rng: random.Random) -> list[str]:
        return [self.strategy] if self.can_activate(game, self.strategy) else []


class FirstChoicePolicy(RandomPolicy):
    """Always the first legal answer to an event and the first option of every issue."""

    name = "fixed:first-choice"

    def pick_proposals(self, game: Game, talks: list[str], rng: random.Random) -> list[Propose]:
        return [Propose(did, tuple((i, opts[0]) for i, opts in self.issues[did])) for did in talks]

    def choice_order(self, event: str, rng: random.Random) -> list[str]:
        return list(self.choices[event])


class IdlePolicy(FirstChoicePolicy):
    """Does nothing it is not forced to: no allocation, strategy or proposal; first answers."""

    name = "fixed:idle"

    def pick_ends(self, active: list[str], rng: random.Random) -> list[str]:
        return []

    def pick_activations(self, game: Game, rng: random.Random) -> list[str]:
        return []

    def pick_proposals(self, game: Game, talks: list[str], rng: random.Random) -> list[Propose]:
        return []

    def allocations(self, game: Game, budget: dict[str, int], rng: random.Random) -> list[Action]:
        return []


# ---- greedy ---------------------------------------------------------------------------


class GreedyPolicy:
    """Tries candidate turns on copies of the game and keeps the one whose end-of-turn
    grade, score and headline metric are best.

    Its candidates: last turn's winner played again (a random turn, or one line of effort
    all-in), `samples` random turns, and one line all-in (a different line each turn). Every
    candidate proposes the deals every party would accept now. A pending event is answered
    first: each legal choice is tried beside the first candidate, the best kept, and the
    stock that answer takes is left for it. Every other turn with no event waiting, it plays
    last turn's shares of the stock again without trying anything (`quiet`); while an
    agreement that can break holds, that replay is tried first and kept unless it breaks one
    or leaves one failing its conditions (one trial where a full search takes eight or more).
    """

    name = "greedy"
    quiet = True
    samples = 3
    every = 2  # a full trial every `every` turns (and whenever an event is new)

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.random = RandomPolicy(scenario)
        self.line_ids = tuple(lid for lid in scenario.lines if scenario.lines[lid].accepts)
        self.lines = {lid: LinePolicy(scenario, lid) for lid in self.line_ids}
        self.grades = scenario.grades
        self.headline = scenario.headline
        self.incumbent: str | None = None
        self.last_turn = -1
        self.breakable = tuple(did for did, d in scenario.disagreements.items() if d.breakable)

    def play_turn(self, game: Game, rng: random.Random) -> None:
        if game.turn != self.last_turn + 1:  # a new game: nothing carries over from the last
            self.incumbent = None
            self.shares: dict[str, list[tuple[str, float]]] = {}
        self.last_turn = game.turn
        self.budgets: dict[tuple[tuple[str, str], ...], dict[str, int]] = {}
        deals = self.deals(game)
        r = self.random
        answers: list[tuple[str, str]] = []  # the pending events' answers, found below
        if (
            self.quiet
            and not game.pending
            and self.incumbent is not None
            and game.turn % self.every
        ):
            # Every other turn, when no event is new: last turn's shares again. While an
            # agreement that can break holds, the replay is tried first, and kept only if it
            # breaks none and leaves none failing its conditions.
            plan = self.replay(game, answers, deals)
            if not self.at_stake(game):
                for action in plan:
                    game.apply(action)
                return
            ahead = self.trial(game, plan)
            if self.value(ahead)[1] == 0:
                self.play(game, plan, ahead)
                return
        kinds = self.kinds(game.turn)
        if self.breakable and self.at_stake(game):  # every line all-in: one may keep it alive
            kinds += [f"line:{lid}" for lid in self.line_ids if f"line:{lid}" not in kinds]
        # The best so far: its value, plan, kind, and the game it leads to.
        best: tuple[tuple[float, ...], list[Action], str, Game] | None = None
        for event in game.pending:  # each legal answer, beside the first candidate
            tried: tuple[tuple[float, ...], list[Action], str, Game] | None = None
            for choice in r.choices[event]:
                if _holds(game, r.choice_requires[event, choice]):
                    chosen = [*answers, (event, choice)]
                    plan = self.plan(kinds[0], game, chosen, deals, rng)
                    ahead = self.trial(game, plan)
                    value = self.value(ahead)
                    if tried is None or value > tried[0]:
                        tried = (value, plan, choice, ahead)
            if tried is not None:
                answers.append((event, tried[2]))
                best = (tried[0], tried[1], kinds[0], tried[3])
        for kind in kinds[1:] if best is not None else kinds:
            plan = self.plan(kind, game, answers, deals, rng)
            ahead = self.trial(game, plan)
            value = self.value(ahead)
            if best is None or value > best[0]:
                best = (value, plan, kind, ahead)
        assert best is not None
        self.incumbent = best[2]
        budget = self.budgets.get(tuple(answers)) or r.budget(game, answers)
        self.shares = {}
        for action in best[1]:
            if isinstance(action, Allocate) and budget.get(action.resource, 0) > 0:
                share = action.amount / budget[action.resource]
                self.shares.setdefault(action.resource, []).append((action.line, share))
        self.play(game, best[1], best[3])

    @staticmethod
    def play(game: Game, plan: Sequence[Action], ahead: Game) -> None:
        """Play the plan: the turn it was tried on is taken as it is (`Game.take`) when the
        try ended the turn, else its actions are taken one by one."""
        if ahead.looked_ahead:
            game.take(ahead)
            return
        for action in plan:
            game.apply(action)

    def at_stake(self, game: Game) -> bool:
        """Whether an agreement that can break holds now."""
        values = game.values
        return any(values[names.AGREED(did)] for did in self.breakable)

    def at_risk(self, game: Game) -> int:
        """How many agreements that hold now have a condition that fails now: they break at
        the next resolution unless something mends it first."""
        values = game.values
        return sum(
            1
            for did in self.breakable
            if values[names.AGREED(did)] and not all(ok for _, _, ok in game.holds_now(did))
        )

    def replay(
        self, game: Game, answers: Sequence[tuple[str, str]], deals: Sequence[Propose]
    ) -> list[Action]:
        """Last turn's shares of each resource, the deals, and the answers."""
        r = self.random
        budget = r.budget(game, answers)
        proposals = [p for p in deals if r._afford(budget, p)]
        plan: list[Action] = []
        for resource, parts in self.shares.items():
            stock = budget.get(resource, 0)
            left = stock
            for line, share in parts:
                amount = min(left, round(share * stock))
                if amount > 0:
                    plan.append(Allocate(line, resource, amount))
                    left -= amount
        return [*plan, *proposals, *(r._choose[e, c] for e, c in answers)]

    def kinds(self, turn: int) -> list[str]:
        """Last turn's winner, a random turn, and one line all-in (each line in turn)."""
        kinds = [] if self.incumbent is None else [self.incumbent]
        if "random" not in kinds:
            kinds.append("random")
        kinds += ["random"] * (self.samples - 1)
        lines = self.line_ids
        for k in range(len(lines)):
            kind = "line:" + lines[(turn + k) % len(lines)]
            if kind not in kinds:
                kinds.append(kind)
                break
        return kinds

    def plan(
        self,
        kind: str,
        game: Game,
        answers: Sequence[tuple[str, str]],
        deals: Sequence[Propose],
        rng: random.Random,
    ) -> list[Action]:
        """A candidate turn, in the order a playthrough script replays a turn."""
        r = self.random
        key = tuple(answers)
        if key not in self.budgets:
            self.budgets[key] = r.budget(game, answers)
        budget = dict(self.budgets[key])
        sub = random.Random(rng.getrandbits(64))
        proposals = [p for p in deals if r._afford(budget, p)]
        activations = [s for s in r.pick_activations(game, sub) if r._afford(budget, s)]
        if kind.startswith("line:"):
            allocations = self.lines[kind[5:]].allocations(game, budget, sub)
        else:
            allocations = r.allocations(game, budget, sub)
        plan: list[Action] = [*allocations, *(r._activate[s] for s in activations), *proposals]
        plan += [r._choose[e, c] for e, c in answers]
        return plan

    def trial(self, game: Game, plan: Sequence[Action]) -> Game:
        """The game as the plan would leave it at the end of this turn's resolution."""
        return game.look_ahead(plan)

    def deals(self, game: Game) -> list[Propose]:
        """For each open disagreement, the package agreed now with the most joint utility
        among those the bots weigh; failing that, one that side payments make pass (`bought`);
        failing that (a disagreement too large to weigh every package), the first party's
        offer that would be agreed now."""
        out = []
        for did in compress(self.random.disagreements, self.random.talks(game.values)):
            proposal = (
                agreeable(self.scenario, game, did)
                or bought(self.scenario, game, did)
                or offered(self.scenario, game, did)
            )
            if proposal is not None:
                out.append(proposal)
        return out

    def value(self, game: Game) -> tuple[float, ...]:
        """Grade (best first), agreements kept (a turn that breaks one ranks below any that
        breaks none), score, headline metric: the score is worked out once."""
        score = game.score
        if game.finished:
            grade = game.grade
        else:
            grade = "F"
            for letter, floor in self.grades:
                if score >= floor:
                    grade = letter
                    break
        broken = len(game.reports[-1].breaches) if game.reports else 0
        broken += self.at_risk(game)
        headline = float(game.value(self.headline))
        return (float(GRADE_ORDER.index(grade)), -float(broken), score, headline)


class ExpertPolicy:
    """Searches for the scenario's ceiling (see game.playtest.search): on the first turn it
    plays the greedy bot's game and one-line plans on copies of the game, then improves the
    best by mutation within `plays` plays; every turn it plays the plan it found."""

    name = "expert"
    plays = 4000

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.player = PlanPlayer(scenario)
        self.greedy = GreedyPolicy(scenario)
        self.plan: Plan | None = None
        self.last_turn = -1
        # When no plan beats the greedy bot's own game, that game's actions, turn by turn.
        self.replay: list[list[Action]] | None = None

    def play_turn(self, game: Game, rng: random.Random) -> None:
        if self.plan is None or game.turn != self.last_turn + 1:
            turns = self.scenario.model.turns
            start = game.copy()
            # The greedy bot's game as it would play it with this generator (the same game
            # as `--policy greedy` on this seed), played on a copy of the generator.
            mirror = random.Random()
            mirror.setstate(rng.getstate())
            greedy = self._greedy_game(start, mirror)
            seeds = [self.player.from_game(greedy, turns)]
            seeds += [self.player.line_plan(lid, turns) for lid in self.greedy.line_ids]
            self.plan = search(self.player, start, seeds, self.plays, rng)
            # The ceiling is at least what greedy reaches: a game that beats every plan found
            # is played again, action for action (the game and its dice are the same).
            found = plan_value(self.player.play(start, self.plan))
            self.replay = _turns_of(greedy) if plan_value(greedy) > found else None
        self.last_turn = game.turn
        if self.replay is not None:
            for action in self.replay[game.turn - 1] if game.turn <= len(self.replay) else []:
                game.apply(action)
            return
        for action in self.player.turn_actions(game, self.plan):
            game.apply(action)

    def _greedy_game(self, game: Game, rng: random.Random) -> Game:
        bot = self.greedy
        bot.last_turn = -1
        trial = game.copy()
        while not trial.finished:
            turn = trial.turn
            bot.play_turn(trial, rng)
            if trial.finished or trial.turn != turn:
                continue
            if not trial.apply(_END_TURN).ok:
                _answer_pending(trial)
                trial.apply(_END_TURN)
        return trial


class CoveragePolicy:
    """Steers toward what other bots never reached: each game it searches plans (as the
    expert does, with `plays` plays) for the one that reaches the most of its `targets`
    (under `--policy all`: what no other policy reached), then the most items with a
    condition, then one ending drawn at random for the game (so games spread over endings)."""

    name = "coverage"
    plays = 300

    def __init__(self, scenario: Scenario, targets: frozenset[str] = frozenset()) -> None:
        self.scenario = scenario
        self.targets = targets
        self.player = PlanPlayer(scenario)
        self.plan: Plan | None = None
        self.last_turn = -1
        self.gated = frozenset(conditions(scenario)) | {
            f"agreements.{did}" for did in scenario.disagreements
        }

    def play_turn(self, game: Game, rng: random.Random) -> None:
        if self.plan is None or game.turn != self.last_turn + 1:
            endings = list(self.scenario.endings)
            wanted = f"endings.{pick(rng, endings)}" if endings else ""
            targets, gated = self.targets, self.gated

            def value(g: Game) -> tuple[float, ...]:
                got = reached(g)
                return (
                    float(len(got & targets)),
                    float(len(got & gated)) + 3.0 * (wanted in got),
                    g.score,
                )

            turns = self.scenario.model.turns
            seeds = [self.player.line_plan(lid, turns) for lid in self.scenario.lines]
            randomly = tuple(self.player.random_turn(rng) for _ in range(turns))
            seeds.append(Plan(randomly, self.player.first_answers()))
            self.plan = search(self.player, game.copy(), seeds, self.plays, rng, value)
        self.last_turn = game.turn
        for action in self.player.turn_actions(game, self.plan):
            game.apply(action)


# ---- names ----------------------------------------------------------------------------


def policy_names(scenario: Scenario) -> list[str]:
    """Every built-in policy, for `--policy all`: random, greedy, the expert, coverage, then
    the one-track ones."""
    out = ["random", "greedy", "expert", "coverage", "fixed:first-choice", "fixed:idle"]
    out += [f"fixed:line={lid}" for lid in scenario.lines]
    out += [f"fixed:strategy={sid}" for sid in scenario.strategies]
    return out


def is_fixed(name: str) -> bool:
    """Whether a policy name is a one-track (fixed) policy, the candidates for dominance."""
    return name.startswith("fixed:")


_BUILT_IN: dict[str, Callable[[Scenario], Policy]] = {
    "random": RandomPolicy,
    "greedy": GreedyPolicy,
    "expert": ExpertPolicy,
    "coverage": CoveragePolicy,
    "fixed:first-choice": FirstChoicePolicy,
    "fixed:idle": IdlePolicy,
}


def is_built_in(name: str) -> bool:
    """Whether a policy name is one of ours (none of which keeps state between games)."""
    return name in _BUILT_IN or name.startswith(("fixed:line=", "fixed:strategy="))


def make_policy(name: str, scenario: Scenario) -> Policy:
    """The policy called `name`; PolicyError (one sentence) when there is none."""
    if name in _BUILT_IN:
        return _BUILT_IN[name](scenario)
    if name.startswith("fixed:line="):
        line = name.removeprefix("fixed:line=")
        if line not in scenario.lines:
            raise PolicyError(
                f"{scenario.id} has no line of effort '{printable(line)}' "
                f"(policy '{printable(name)}')"
            )
        return LinePolicy(scenario, line)
    if name.startswith("fixed:strategy="):
        sid = name.removeprefix("fixed:strategy=")
        if sid not in scenario.strategies:
            raise PolicyError(
                f"{scenario.id} has no strategy '{printable(sid)}' (policy '{printable(name)}')"
            )
        return StrategyPolicy(scenario, sid)
    if ":" in name and not name.startswith("fixed:"):
        return _plugged_in(name, scenario)
    known = ", ".join(policy_names(scenario)[:6])
    hint = did_you_mean(name, [*policy_names(scenario), "all"])
    raise PolicyError(
        f"unknown policy '{printable(name)}'{hint}; use {known}, fixed:line=LINE, "
        "fixed:strategy=STRATEGY, all, or module.path:Class"
    )


def _plugged_in(name: str, scenario: Scenario) -> Policy:
    module_name, _, attr = name.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise PolicyError(f"cannot import policy module '{module_name}': {exc}") from exc
    factory = getattr(module, attr, None)
    if factory is None:
        raise PolicyError(f"module '{module_name}' has no '{attr}' (policy '{name}')")
    try:
        takes_scenario = callable(factory) and _takes_argument(factory)
        policy: Any = factory(scenario) if takes_scenario else factory()
    except Exception as exc:
        raise PolicyError(f"cannot create policy '{name}': {type(exc).__name__}: {exc}") from exc
    if not callable(getattr(policy, "play_turn", None)):
        raise PolicyError(f"policy '{name}' has no play_turn(game, rng) method")
    if not isinstance(getattr(policy, "name", None), str):
        try:
            policy.name = name
        except AttributeError as exc:
            raise PolicyError(f"policy '{name}' has no 'name' and cannot be given one") from exc
    return policy  # type: ignore[no-any-return]


def _takes_argument(factory: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        return False
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(p.kind in kinds or p.kind is inspect.Parameter.VAR_POSITIONAL for p in params)


def _span(stock: int) -> tuple[int, int, int]:
    """The amounts the random policy draws from a stock (half of it, rounded up, to all of
    it): the lowest, how many there are and that count's bit length."""
    low = (stock + 1) // 2
    n = stock - low + 1
    return low, n, n.bit_length()


# A requirement as the random policy tests it: the condition, its names and a reader of their
# values (None: no requirement).
Requirement = tuple[Callable[[Any], Any], tuple[str, ...], Callable[[Any], tuple[Any, ...]]] | None


def _holds(game: Game, requirement: Requirement) -> bool:
    """Whether a requirement prepared by `RandomPolicy._condition` holds in the game now."""
    if requirement is None:
        return True
    fn, names, read = requirement
    # A fresh mapping of just its names: a warning it may give must not reach the game.
    return bool(fn(dict(zip(names, read(game.values), strict=True))))


# ---- a whole game ---------------------------------------------------------------------


_END_TURN = EndTurn()


def play_game(scenario: Scenario, policy: Policy | str, seed: int) -> Game:
    """Play one whole game; the game and the policy's generator are both seeded with `seed`."""
    bot = make_policy(policy, scenario) if isinstance(policy, str) else policy
    game = Game.new(scenario, seed)
    rng = random.Random(seed)
    while not game.finished:
        turn = game.turn
        bot.play_turn(game, rng)
        if game.finished or game.turn != turn:
            continue  # a plugged-in policy ended the turn itself
        if not game.apply(_END_TURN).ok:
            _answer_pending(game)
            outcome = game.apply(_END_TURN)
            if not outcome.ok:
                raise PolicyError(
                    f"policy '{bot.name}' left turn {turn} unfinished: {outcome.reason}"
                )
    return game


def _turns_of(game: Game) -> list[list[Action]]:
    """A game's actions, one list per turn (the turn's end left out)."""
    turns: list[list[Action]] = [[]]
    for action in game.actions:
        if type(action) is EndTurn:
            turns.append([])
        else:
            turns[-1].append(action)
    return turns


def _constant_stock_adds(
    effects: Sequence[CEffect], resources: tuple[str, ...]
) -> tuple[tuple[int, int], ...] | None:
    """A choice's constant additions to stocks, in order, as (resource index, amount); None
    when a resource effect is a formula, a `set` or conditional (a trial game then says)."""
    out = []
    for e in effects:
        if e.kind != Target.RESOURCE:
            continue
        if e.op != "add" or e.when is not None or not e.value.is_constant:
            return None
        out.append((resources.index(e.ids[0]), int(e.value.constant or 0)))
    return tuple(out)


def _answer_pending(game: Game) -> None:
    """A policy left events unanswered: answer each with its first legal choice."""
    for event in game.pending:
        options: Sequence[Action] = [
            a for a in game.legal_actions() if isinstance(a, Choose) and a.event == event
        ]
        if options:
            game.apply(options[0])
