"""The Game: one playthrough of a scenario, driven by actions, explained by its ledger."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from itertools import compress
from types import MappingProxyType
from typing import Any

from game.engine.actions import (
    Action,
    Activate,
    Allocate,
    Choose,
    EndStrategy,
    EndTurn,
    Propose,
    Unallocate,
)
from game.engine.explain import unmet
from game.engine.plan import plan_of
from game.engine.report import (
    Change,
    DisagreementStatus,
    GameState,
    Known,
    Outcome,
    Preview,
    ProposalRecord,
    TurnReport,
)
from game.engine.rules import Phase, Rules
from game.engine.state import Board
from game.scenario.compiled import Scenario
from game.scenario.expr import Compiled


class Game(Rules):
    """A game in progress. `apply` is the only way to change it; refusals change nothing."""

    @classmethod
    def new(cls, scenario: Scenario, seed: int | None = None) -> Game:
        game = cls(scenario, scenario.model.seed if seed is None else seed)
        game.start_turn()
        return game

    def __init__(self, scenario: Scenario, seed: int, board: Board | None = None) -> None:
        if board is None:
            board = Board(values=dict(plan_of(scenario).initial), rng=random.Random(seed))
        super().__init__(scenario, board)
        self.seed = seed
        # The snapshot and the legal actions, each with the length of the action log it was
        # made at: every change is an accepted action, so a longer log means it is stale.
        self._state: tuple[int, GameState] | None = None
        self._legal: tuple[int, list[Action]] | None = None

    def copy(self) -> Game:
        """An independent copy (for previews and bots that look ahead): its own board."""
        return Game(self.s, self.seed, self.board.copy())

    def look_ahead(self, actions: Iterable[Action]) -> Game:
        """A copy of the game with `actions` taken (a refused one changes nothing, as ever)
        and the turn ended as far as steps 4 and 5: resolution, endings, the turn's report.
        The next turn is not begun: its values, score, grade and reports read as at the end
        of this turn, which is what a bot weighs a candidate turn by, and it takes no action.
        When the turn cannot end (an event still waits for its answer), the copy is left as
        the actions left it."""
        ahead = self.copy()
        apply = ahead.apply
        for action in actions:
            apply(action)
        if not ahead.refusal(_END_TURN):
            ahead.board.actions.append(_END_TURN)
            ahead.close_turn()
            ahead.board.looked_ahead = True
        return ahead

    def take(self, ahead: Game) -> TurnReport:
        """Play the turn `ahead` looked ahead to (a `look_ahead` of this game as it stands): the
        game becomes that copy and the next turn begins, exactly as taking its actions and
        ending the turn would, without resolving the turn a second time. A bot that weighed
        its candidate turns on look-aheads plays the best this way. ValueError for a copy that
        is not a look-ahead of this game."""
        b, mine = ahead.board, self.board
        if not (
            ahead.s is self.s
            and b.looked_ahead
            and len(b.reports) == len(mine.reports) + 1
            and b.actions[: len(mine.actions)] == mine.actions
        ):
            raise ValueError("take() needs a look-ahead of this game as it stands")
        self.board = b.copy()
        self.board.looked_ahead = False
        if not self.board.finished:
            self.start_turn()
        return self.board.reports[-1]

    # ---- public API ------------------------------------------------------------------

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(self.board.actions)

    @property
    def reports(self) -> tuple[TurnReport, ...]:
        return tuple(self.board.reports)

    @property
    def looked_ahead(self) -> bool:
        """Whether this is a look-ahead whose turn is resolved (`look_ahead`): `take` plays it."""
        return self.board.looked_ahead

    @property
    def turn(self) -> int:
        return self.board.turn

    @property
    def finished(self) -> bool:
        return self.board.finished

    @property
    def ending(self) -> str | None:
        return self.board.ending

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(self.board.pending)

    @property
    def fired_now(self) -> tuple[str, ...]:
        """The events that fired at the start of the current turn, in file order."""
        return tuple(self.board.fired_now)

    @property
    def changes_now(self) -> tuple[Change, ...]:
        """The changes made so far in the current turn, in order: income, contributions, the
        events that fired at its start, then the decisions (the turn report will list them)."""
        return tuple(self.board.ledger)

    @property
    def warnings_now(self) -> tuple[str, ...]:
        """The warnings given so far in the current turn."""
        return tuple(self.board.warnings)

    @property
    def proposals_now(self) -> tuple[ProposalRecord, ...]:
        """The proposals made so far in the current turn (earlier ones are in the reports)."""
        return tuple(self.board.proposals[self.board.proposals_start :])

    def offers(self, did: str) -> dict[str, tuple[tuple[str, str], ...]]:
        """Each party's offer on disagreement `did` as it stands, in party order: a package it
        accepts now, or () when it accepts none. Empty when the talks are not open or make no
        offers (`offers: none`, or `after_refusal` before any refusal)."""
        if not self.board.values[self.plan.talks[did].open]:
            return {}  # agreed or failed since the turn began
        self.settle_offers(did)
        return dict(self.board.offers.get(did, ()))

    def knowledge(self, did: str) -> dict[str, Known]:
        """What the trainee knows of each party's position on `did`: what the scenario makes
        public (`public:` on its preferences), plus what offers, refusals and `reveal` effects
        have disclosed so far."""
        d = self.s.disagreements[did]
        self.settle_offers()
        out = {}
        for party in d.parties:
            pref = d.preferences.get(party)
            public = pref.public if pref is not None else ()
            known = Known(
                "weights" in public, tuple(sorted(d.issues)) if "options" in public else ()
            )
            found = self.board.revealed.get((did, party))
            out[party] = known if found is None else known.learn(found.weights, found.options)
        return out

    @property
    def values(self) -> Mapping[str, Any]:
        """Every expression name's current value: a live, read-only view."""
        return MappingProxyType(self.board.values)

    def value(self, name: str) -> Any:
        """The current value of an expression name (KeyError when the scenario has no such name)."""
        if name not in self.s.names:
            raise KeyError(name)
        return self.board.values[name]

    def evaluate(self, expression: Compiled) -> Any:
        """An expression of this scenario (score and lessons' history functions included)
        computed on the game as it stands."""
        return expression.fn(self.environment())

    def apply(self, action: Action) -> Outcome:
        """Apply a player's action. Never raises for a player's mistake: a refusal says why."""
        reason = self.refusal(action)
        if reason:
            return Outcome(ok=False, reason=reason)
        self.board.actions.append(action)
        return self.decide(action)

    def check(self, action: Action) -> str:
        """Why `action` would be refused now ('' when it would be accepted)."""
        return self.refusal(action)

    def legal_actions(self) -> list[Action]:
        """What can be done now. Allocate/Unallocate carry the largest legal amount:
        any whole amount from 1 to it is legal too."""
        known = self._legal
        if known is None or known[0] != len(self.board.actions):
            known = self._legal = (len(self.board.actions), self._list_legal())
        return list(known[1])

    def _list_legal(self) -> list[Action]:
        if self.finished or self.board.looked_ahead:
            return []
        v, s, plan = self.board.values, self.s, self.plan
        out: list[Action] = []
        for event in self.board.pending:
            for cid, choice in s.events[event].choices.items():
                if choice.requires is None or choice.requires.fn(v):
                    out.append(Choose(event, cid))
        for (lid, r), (stock, allocated) in plan.slots.items():
            if v[stock] > 0:
                out.append(Allocate(lid, r, int(v[stock])))
            if v[allocated] > 0:
                out.append(Unallocate(lid, r, int(v[allocated])))
        active = sum(plan.read_active(v))
        limit = s.model.max_active_strategies
        room = limit is None or active < limit
        for sid, st in s.strategies.items():
            row = plan.strategies[sid]
            if v[row.active]:
                out.append(EndStrategy(sid))
            elif (
                room
                and self.board.ended_turn.get(sid) != self.turn
                and len(self.present(st.partners)) == len(st.partners)
                and not any(v[plan.strategies[o].active] for o in row.exclusive)
                and (st.requires is None or st.requires.fn(v))
                and all(v[plan.res[r]] >= amount for r, amount in st.cost)
            ):
                out.append(Activate(sid))
        for did, d in s.disagreements.items():
            if v[plan.talks[did].open] and all(v[plan.res[r]] >= a for r, a in d.proposal_cost):
                out.append(Propose(did, tuple((i, opts[0]) for i, opts in d.issues.items())))
        if not any(self._answerable(e) for e in self.board.pending):
            out.append(EndTurn())
        return out

    def preview(self, action: Action) -> Preview:
        """What `action` would move by the end of this turn's resolution, in the current state.
        For a proposal, the effects if it were agreed."""
        reason = self.refusal(action)
        if reason or isinstance(action, EndTurn):
            return Preview(False, reason or "ending the turn has no preview")
        base = self.copy()
        trial = self.copy()
        if isinstance(action, Propose):
            trial.propose(
                action.disagreement,
                self._in_issue_order(action),
                force=True,
                transfers=action.transfers,
            )
        else:
            trial.decide(action)
        base.resolve()
        trial.resolve()
        deltas = {}
        for key, before, after in base._compare(trial):
            if abs(after - before) > 1e-9:
                deltas[key] = after - before
        return Preview(
            True,
            deltas=MappingProxyType(deltas),
            next_turn=_differences(base._arriving(), trial._arriving()),
            upkeep=_differences(base._upkeep_due(), trial._upkeep_due()),
        )

    def _arriving(self) -> dict[str, float]:
        """What the resource changes queued so far will move at the next income, by resource
        (a queued `set` counts as the change from the stock as it stands)."""
        v, out = self.board.values, dict[str, float]()
        for rid, amount, _, _, is_set in self.board.queued:
            stock = v[self.plan.res[rid]] + out.get(f"resource:{rid}", 0)
            out[f"resource:{rid}"] = out.get(f"resource:{rid}", 0) + (
                amount - stock if is_set else amount
            )
        return out

    def _upkeep_due(self) -> dict[str, float]:
        """The upkeep the active strategies will cost at the next income, by resource (negative)."""
        plan, out = self.plan, dict[str, float]()
        for row in compress(plan.upkeep, plan.read_upkeep_active(self.board.values)):
            for _, amount, change in row.costs:
                key = f"resource:{change.target}"
                out[key] = out.get(key, 0) - amount
        return out

    def contribution_at_trust(self, partner: str) -> Mapping[str, int]:
        """What `partner` would give, by resource, at its trust now: `state.contributions` is
        what it gave when this turn began, at the trust of then. Empty when it has withdrawn.
        Computed by the start-of-turn rule itself; the turn's warnings are left as they were."""
        row = next((r for r in self.plan.contribution_rows if r.partner.id == partner), None)
        values = self.board.values
        if row is None or values[row.partner.gone]:
            return MappingProxyType({})
        warnings = len(self.board.warnings)
        (given, _), _ = self.contribution(
            row.provides, values[row.partner.trust], row.cause, row.line
        )
        del self.board.warnings[warnings:]
        return given

    @property
    def score(self) -> float:
        b = self.board
        if b.final_score is not None:
            return b.final_score
        value = float(self.evaluate(self.s.score))
        score = min(100.0, max(0.0, value)) if math.isfinite(value) else 0.0
        if b.finished:  # a finished game never changes: its score is kept
            b.final_score = score
        return score

    @property
    def grade(self) -> str:
        if self.finished and self.ending is not None:
            g = self.s.endings[self.ending].grade
            if g is not None:
                return g
        score = self.score
        for grade, floor in self.s.grades:
            if score >= floor:
                return grade
        return "F"

    def lessons(self) -> list[str]:
        """The scenario's lessons whose condition holds now, in the scenario's words."""
        env = self.environment()
        return [lesson.text for lesson in self.s.lessons if lesson.when.fn(env)]

    def lesson_indices(self) -> list[int]:
        env = self.environment()
        return [lesson.index for lesson in self.s.lessons if lesson.when.fn(env)]

    @property
    def state(self) -> GameState:
        known = self._state
        if known is None or known[0] != len(self.board.actions):
            known = self._state = (len(self.board.actions), self._snapshot())
        return known[1]

    # ---- refusals --------------------------------------------------------------------

    def refusal(self, action: Any) -> str:
        """Why `action` would be refused now, in a trainee's words ('' when it would not)."""
        if self.board.finished:
            return "The mission is over."
        if self.board.looked_ahead:
            return "This is a look-ahead copy of the game: its turn is over and takes no action."
        match action:
            case Allocate() | Unallocate():
                return self._amount_refusal(action)
            case Activate():
                return self._activate_refusal(action.strategy)
            case EndTurn():
                waiting = [e for e in self.board.pending if self._answerable(e)]
                if waiting:
                    titles = ", ".join(self.s.events[e].title for e in waiting)
                    return f"Answer the pending event first: {titles}."
                return ""
            case EndStrategy():
                st = self.s.strategies.get(action.strategy)
                if st is None:
                    return f"There is no strategy '{action.strategy}'."
                if not self.board.values[self.plan.strategies[action.strategy].active]:
                    return f"{st.label} is not active."
                return ""
            case Propose():
                return self._propose_refusal(action)
            case Choose():
                return self._choose_refusal(action)
            case _:
                return f"Not an action: {action!r}."

    def _amount_refusal(self, action: Allocate | Unallocate) -> str:
        slot = self.plan.slots.get((action.line, action.resource))
        if slot is None:
            return self._slot_refusal(action)
        amount = action.amount
        if type(amount) is not int:  # not a bool either
            return "An amount must be a whole number."
        if amount < 1:
            return "An amount must be at least 1."
        stock, allocated = slot
        if isinstance(action, Allocate):
            left = self.board.values[stock]
            if amount > left:
                label = self.s.model.resources[action.resource].label
                return f"Not enough {label}: {_n(left)} left, {amount} asked."
        else:
            have = self.board.values[allocated]
            if amount > have:
                label = self.s.model.resources[action.resource].label
                line = self.s.lines[action.line].label
                return f"Only {_n(have)} {label} allocated to {line}, {amount} asked back."
        return ""

    def _slot_refusal(self, action: Allocate | Unallocate) -> str:
        """Why a line of effort and a resource do not make a place to allocate to."""
        s = self.s
        line = s.lines.get(action.line)
        if line is None:
            return f"There is no line of effort '{action.line}'."
        if action.resource not in s.model.resources:
            return f"There is no resource '{action.resource}'."
        label = s.model.resources[action.resource].label
        return f"{line.label} does not take {label}."

    def _choose_refusal(self, action: Choose) -> str:
        s = self.s
        if action.event not in s.events:
            return f"There is no event '{action.event}'."
        ev = s.events[action.event]
        if action.event not in self.board.pending:
            return f"{ev.title} is not waiting for an answer."
        choice = ev.choices.get(action.choice)
        if choice is None:
            return f"{ev.title} has no choice '{action.choice}'."
        if choice.requires is not None and not choice.requires.fn(self.board.values):
            written = s.model.events[action.event].choices[action.choice].requires
            return f"{choice.label} needs {self._unmet(written)}."
        return ""

    def _unmet(self, requirement: str | float | bool | None) -> str:
        """The failing parts of a requirement as written, in the trainee's words."""
        return unmet(self.plan, str(requirement), self.board.values)

    def _answerable(self, event: str) -> bool:
        ev = self.s.events[event]
        v = self.board.values
        return any(c.requires is None or c.requires.fn(v) for c in ev.choices.values())

    def _cost_refusal(self, cost: tuple[tuple[str, int], ...], what: str) -> str:
        for rid, amount in cost:
            left = self.board.values[self.plan.res[rid]]
            if amount > left:
                label = self.s.model.resources[rid].label
                return f"Not enough {label} for {what}: {_n(left)} left, {amount} needed."
        return ""

    def _activate_refusal(self, sid: str) -> str:
        st = self.s.strategies.get(sid)
        if st is None:
            return f"There is no strategy '{sid}'."
        v, plan = self.board.values, self.plan
        row = plan.strategies[sid]
        if v[row.active]:
            return f"{st.label} is already active."
        if self.board.ended_turn.get(sid) == self.turn:
            return (
                f"{st.label} ended this {self.s.model.turn_label}; it can be activated again "
                f"from the next one."
            )
        gone = [p for p in st.partners if p not in self.present(st.partners)]
        if gone:
            return (
                f"{st.label} needs {self.s.model.stakeholders[gone[0]].name}, who has "
                f"left the mission."
            )
        for other in row.exclusive:
            if v[plan.strategies[other].active]:
                return f"{st.label} cannot run alongside {self.s.strategies[other].label}."
        limit = self.s.model.max_active_strategies
        if limit is not None and sum(plan.read_active(v)) >= limit:
            return f"At most {limit} strategies can be active at once."
        if st.requires is not None and not st.requires.fn(v):
            written = self.s.model.strategies[sid].requires
            return f"{st.label} needs {self._unmet(written)}."
        return self._cost_refusal(st.cost, st.label)

    def _propose_refusal(self, action: Propose) -> str:
        d = self.s.disagreements.get(action.disagreement)
        if d is None:
            return f"There is no disagreement '{action.disagreement}'."
        if not self.board.values[self.plan.talks[action.disagreement].open]:
            words = {
                "not_open": "is not open yet",
                "agreed": "is already settled",
                "failed": "has failed",
                "broken": "broke down and stays closed",
            }
            return f"{d.label} {words.get(self._status(action.disagreement), 'is closed')}."
        try:
            package = dict(action.package) if isinstance(action.package, tuple) else {}
            hash(action.package)  # text pairs only: the engine keeps packages by value
        except (TypeError, ValueError):
            return f"A proposal on {d.label} must pair each issue with one option."
        for issue, options in d.issues.items():
            if issue not in package:
                return f"A proposal on {d.label} must pick an option for {issue}."
            if package[issue] not in options:
                return f"'{package[issue]}' is not an option of {issue}."
        extra = [i for i in package if i not in d.issues]
        if extra:
            return f"{d.label} has no issue '{extra[0]}'."
        cost = self._cost_refusal(d.proposal_cost, "a proposal")
        return cost if cost or not action.transfers else self._transfer_refusal(action)

    def _transfer_refusal(self, action: Propose) -> str:
        """Why a proposal's side payments cannot be offered: to a party of the talks still
        present, of a resource it values, whole units from 1 to its most per proposal, and
        all of them (with the proposal's cost) within the unallocated stock."""
        if not action.transfers:
            return ""
        d, m = self.s.disagreements[action.disagreement], self.s.model
        try:
            offered = {party: dict(units) for party, units in action.transfers}
            hash(action.transfers)
        except (TypeError, ValueError):
            return f"Side payments on {d.label} must give whole units of resources to parties."
        if len(offered) != len(action.transfers) or any(
            len(offered[party]) != len(units) for party, units in action.transfers
        ):
            return f"A proposal on {d.label} names a party's side payment twice."
        total: dict[str, int] = dict(d.proposal_cost)
        for party, units in offered.items():
            if party not in d.parties:
                return f"'{party}' is not a party to {d.label}."
            name = m.stakeholders[party].name
            if party not in self.present(d.parties):
                return f"{name} has left the mission: it takes no side payment."
            valued = d.preferences[party].side_payments
            for rid, amount in units.items():
                if rid not in m.resources:
                    return f"There is no resource '{rid}'."
                label = m.resources[rid].label
                if rid not in valued:
                    return f"{name} does not value {label} as a side payment in {d.label}."
                if type(amount) is not int or amount < 1:
                    return f"A side payment of {label} must be a whole number of at least 1."
                if amount > valued[rid][1]:
                    return (
                        f"{name} takes at most {valued[rid][1]} {label} per proposal, "
                        f"{amount} offered."
                    )
                total[rid] = total.get(rid, 0) + amount
        for rid, amount in total.items():
            left = self.board.values[self.plan.res[rid]]
            if amount > left:
                label = m.resources[rid].label
                cost = dict(d.proposal_cost).get(rid, 0)
                needed = (
                    f"{amount} needed ({amount - cost} in side payments, {cost} for the proposal)"
                    if cost
                    else f"{amount} needed"
                )
                return (
                    f"Not enough {label} for the side payments: {_n(left)} left unallocated, "
                    f"{needed}."
                )
        return ""

    # ---- decisions -------------------------------------------------------------------

    def decide(self, action: Action) -> Outcome:
        """Make an accepted action's changes, and say what they were: a decision (step 3), or
        the end of the turn (steps 4 and 5, then the next turn's steps 1 and 2)."""
        match action:
            case Allocate():
                stock, allocated = self.plan.slots[action.line, action.resource]
                v = self.board.values
                v[stock] -= action.amount
                v[allocated] += action.amount
                # The ledger records what was allocated when the turn ends (`spend_allocations`).
                return ACCEPTED
            case Unallocate():
                stock, allocated = self.plan.slots[action.line, action.resource]
                v = self.board.values
                v[allocated] -= action.amount
                v[stock] += action.amount
                return ACCEPTED
            case EndTurn():
                report = self.end_turn()
                return Outcome(ok=True, changes=report.changes, report=report)
            case _:
                mark = len(self.board.ledger)
                record = self._ledger_decision(action)
                changes = tuple(self.board.ledger[mark:])
                return Outcome(ok=True, changes=changes, proposal=record)

    def _ledger_decision(self, action: Action) -> ProposalRecord | None:
        """A decision whose changes go into the ledger: a strategy activated or ended, a
        proposal (its record), an event's choice."""
        match action:
            case Activate():
                self.activate(self.plan.strategies[action.strategy])
            case EndStrategy():
                self.end_strategy(self.plan.strategies[action.strategy], Phase.DECISION)
            case Propose():
                return self.propose(
                    action.disagreement, self._in_issue_order(action), transfers=action.transfers
                )
            case Choose():
                self.choose(action.event, action.choice)
        return None

    def _in_issue_order(self, action: Propose) -> tuple[tuple[str, str], ...]:
        """A valid package in its disagreement's issue order, whatever order the proposal was
        written in, so equal packages always give the same game."""
        chosen = dict(action.package)
        return tuple(
            (issue, chosen[issue]) for issue in self.s.disagreements[action.disagreement].issues
        )

    # ---- snapshots -------------------------------------------------------------------

    def _status(self, did: str) -> Any:
        v, talks = self.board.values, self.plan.talks[did]
        if v[talks.agreed]:
            return "agreed"
        if v[talks.failed]:
            return "failed"
        if v[talks.open]:
            return "open"
        return "broken" if v[talks.broken] else "not_open"

    def deadline_of(self, did: str) -> int:
        """A disagreement's deadline now: its own, or the one it reopened with after a
        breach."""
        return self.deadline(self.plan.talks[did])

    def opened_turn(self, did: str) -> int:
        """The turn the talks (last) opened: τ counts from it (0 when never opened)."""
        return self.board.opened.get(did, 0)

    def holds_now(self, did: str) -> list[tuple[str | None, str, bool]]:
        """An agreement's conditions and whether each holds now: (party or None for the
        disagreement's own, the condition as written, holds)."""
        v = self.board.values
        return [(party, source, bool(fn(v))) for party, source, fn in self.plan.talks[did].holds]

    def _compare(self, other: Game) -> list[tuple[str, float, float]]:
        m, v, w, plan = self.s.model, self.board.values, other.board.values, self.plan
        out = [(f"metric:{k}", v[k], w[k]) for k in m.metrics]
        out += [(f"trust:{k}", v[p.trust], w[p.trust]) for k, p in plan.partners.items()]
        out += [(f"resource:{k}", v[key], w[key]) for k, key in plan.res.items()]
        return out

    def _snapshot(self) -> GameState:
        s, m, v, b, plan = self.s, self.s.model, self.board.values, self.board, self.plan
        return GameState(
            scenario=m.id,
            seed=self.seed,
            turn=b.turn,
            turns=m.turns,
            finished=b.finished,
            ending=b.ending,
            metrics=MappingProxyType({k: v[k] for k in m.metrics}),
            trust=MappingProxyType({k: v[p.trust] for k, p in plan.partners.items()}),
            withdrawn=frozenset(k for k, p in plan.partners.items() if v[p.gone]),
            resources=MappingProxyType({k: int(v[key]) for k, key in plan.res.items()}),
            allocations=MappingProxyType(
                {
                    lid: MappingProxyType({r: int(v[plan.slots[lid, r][1]]) for r in line.accepts})
                    for lid, line in s.lines.items()
                }
            ),
            active=MappingProxyType(
                {k: v[row.turns] for k, row in plan.strategies.items() if v[row.active]}
            ),
            disagreements=MappingProxyType(
                {
                    did: DisagreementStatus(
                        self._status(did),
                        b.opened.get(did, 0),
                        v[talks.open_turns],
                        v[talks.agreed_turn],
                        b.packages.get(did, ()),
                    )
                    for did, talks in plan.talks.items()
                }
            ),
            pending=tuple(b.pending),
            fired=frozenset(k for k, key in plan.fired.items() if v[key]),
            flags=MappingProxyType({f: v[key] for f, key in plan.flags.items()}),
            history=MappingProxyType({k: tuple(h) for k, h in self.history().items()}),
            contributions=MappingProxyType(
                {k: MappingProxyType(dict(c)) for k, c in b.contributions.items()}
            ),
            score=self.score,
        )


ACCEPTED = Outcome(ok=True)
_END_TURN = EndTurn()


def _differences(base: Mapping[str, float], trial: Mapping[str, float]) -> Mapping[str, float]:
    """`trial` less `base`, key by key, the keys that differ only."""
    out = {k: trial.get(k, 0) - base.get(k, 0) for k in (*base, *trial)}
    return MappingProxyType({k: d for k, d in out.items() if abs(d) > 1e-9})


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


__all__ = ["Game"]
