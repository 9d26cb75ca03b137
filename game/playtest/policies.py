"""Bots that play whole games: random, greedy, one-track (fixed) and plugged-in policies.

A policy takes all the decisions of one turn (never EndTurn). The built-in policies act in
the order a playthrough script replays a turn (allocate, end, activate, propose, choose), so
any game they play can be written down as a script that reproduces it exactly.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import math
import random
from collections.abc import Callable, Iterator, Sequence
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
from game.engine.negotiation import packages
from game.engine.rules import getter
from game.playtest.draws import pair, pick, shuffle
from game.scenario import Scenario
from game.scenario.compiled import CDisagreement
from game.scenario.expr import Compiled

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

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

        # The game's own key objects (see Scenario.canonical): reading by them skips comparing
        # text.
        def key(text: str) -> str:
            return scenario.canonical.get(text, text)

        self.resources = tuple(scenario.model.resources)
        self.stock = getter(tuple(key(f"res.{r}") for r in self.resources))
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
        self.active = getter(tuple(key(f"active.{sid}") for sid in scenario.strategies))
        self.disagreements = tuple(scenario.disagreements)
        self.talks = getter(tuple(key(f"open.{did}") for did in scenario.disagreements))
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

    def play_turn(self, game: Game, rng: random.Random) -> None:
        values, apply = game.values, game.apply
        budget = dict(zip(self.resources, map(int, self.stock(values)), strict=True))
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
        for event in game.pending:
            for choice in self.choice_order(event, rng):
                requirement = self.choice_requires[event, choice]
                if _holds(game, requirement) and apply(self._choose[event, choice]).ok:
                    break

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
        out = []
        made = self._proposals
        for did in talks:
            if rng.random() < self.propose_chance:
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
        names = tuple(condition.names)
        return condition.fn, names, getter(names)

    def _afford(self, budget: dict[str, int], what: str | Propose) -> bool:
        """Set aside the cost of an activation or proposal; False when the stock is short."""
        s = self.scenario
        if isinstance(what, Propose):
            cost = s.disagreements[what.disagreement].proposal_cost
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


class _Negotiator(RandomPolicy):
    """Random, except that it proposes exactly the packages it was told will be agreed."""

    def __init__(self, scenario: Scenario, deals: dict[str, Propose]) -> None:
        super().__init__(scenario)
        self.deals = deals

    def pick_proposals(self, game: Game, talks: list[str], rng: random.Random) -> list[Propose]:
        return [self.deals[did] for did in talks if did in self.deals]


# ---- greedy ---------------------------------------------------------------------------


# The most packages of one disagreement the greedy bot tries each turn (each try plays the
# proposal on a copy of the game): 30 two-option issues make a billion packages.
DEALS_TRIED = 256


def candidate_packages(d: CDisagreement, most: int) -> Iterator[dict[str, str]]:
    """Every package of `d` when there are at most `most`; else `most` of them: first the one
    with the largest total utility over the parties (utility adds up issue by issue), then
    the first ones in file order."""
    if math.prod(len(options) for options in d.issues.values()) <= most:
        yield from packages(d)
        return
    prefs = list(d.preferences.values())

    def joint(issue: str, option: str) -> float:
        return sum(p.weights[issue] * p.values[issue][option] for p in prefs if issue in p.weights)

    yield {
        issue: max(options, key=lambda o: joint(issue, o)) for issue, options in d.issues.items()
    }
    yield from itertools.islice(packages(d), most - 1)


class GreedyPolicy:
    """Tries candidate turns on copies of the game and keeps the one whose end-of-turn score
    (then headline metric) is best. Candidates: random turns, random turns that propose the
    packages every party would accept now (at most DEALS_TRIED of them per disagreement), and
    one all-in turn per line of effort."""

    name = "greedy"
    samples = 4

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.random = RandomPolicy(scenario)
        self.lines = [LinePolicy(scenario, lid) for lid in scenario.lines]

    def play_turn(self, game: Game, rng: random.Random) -> None:
        deals = self.deals(game)
        players: list[Policy] = [self.random] * self.samples
        if deals:
            players += [_Negotiator(self.scenario, deals)] * self.samples
        players += self.lines
        best: tuple[tuple[float, ...], list[Action]] | None = None
        for player in players:
            sub = random.Random(rng.getrandbits(64))
            trial = game.copy()
            start = len(trial.actions)
            player.play_turn(trial, sub)
            plan = list(trial.actions[start:])
            trial.apply(EndTurn())
            value = self.value(trial)
            if best is None or value > best[0]:
                best = (value, plan)
        assert best is not None
        for action in best[1]:
            game.apply(action)

    def deals(self, game: Game) -> dict[str, Propose]:
        """For each open disagreement, the package agreed now with the most joint utility."""
        out: dict[str, Propose] = {}
        for action in game.legal_actions():
            if not isinstance(action, Propose):
                continue
            d = self.scenario.disagreements[action.disagreement]
            best: tuple[float, Propose] | None = None
            for package in candidate_packages(d, DEALS_TRIED):
                proposal = Propose.of(d.id, package)
                record = game.copy().apply(proposal).proposal
                if record is None or not record.agreed:
                    continue
                joint = sum(answer.utility for answer in record.answers)
                if best is None or joint > best[0] + 1e-9:
                    best = (joint, proposal)
            if best is not None:
                out[d.id] = best[1]
        return out

    def value(self, game: Game) -> tuple[float, ...]:
        headline = float(game.value(self.scenario.headline))
        return (float(GRADE_ORDER.index(game.grade)), game.score, headline)


# ---- names ----------------------------------------------------------------------------


def policy_names(scenario: Scenario) -> list[str]:
    """Every built-in policy, for `--policy all`: random, greedy, then the one-track ones."""
    names = ["random", "greedy", "fixed:first-choice", "fixed:idle"]
    names += [f"fixed:line={lid}" for lid in scenario.lines]
    names += [f"fixed:strategy={sid}" for sid in scenario.strategies]
    return names


def is_fixed(name: str) -> bool:
    """Whether a policy name is a one-track (fixed) policy, the candidates for dominance."""
    return name.startswith("fixed:")


_BUILT_IN: dict[str, Callable[[Scenario], Policy]] = {
    "random": RandomPolicy,
    "greedy": GreedyPolicy,
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
            raise PolicyError(f"{scenario.id} has no line of effort '{line}' (policy '{name}')")
        return LinePolicy(scenario, line)
    if name.startswith("fixed:strategy="):
        sid = name.removeprefix("fixed:strategy=")
        if sid not in scenario.strategies:
            raise PolicyError(f"{scenario.id} has no strategy '{sid}' (policy '{name}')")
        return StrategyPolicy(scenario, sid)
    if ":" in name and not name.startswith("fixed:"):
        return _plugged_in(name, scenario)
    known = ", ".join(policy_names(scenario)[:4])
    raise PolicyError(
        f"unknown policy '{name}'; use {known}, fixed:line=LINE, fixed:strategy=STRATEGY, "
        "all, or module.path:Class"
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


def _answer_pending(game: Game) -> None:
    """A policy left events unanswered: answer each with its first legal choice."""
    for event in game.pending:
        options: Sequence[Action] = [
            a for a in game.legal_actions() if isinstance(a, Choose) and a.event == event
        ]
        if options:
            game.apply(options[0])
