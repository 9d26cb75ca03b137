"""The Game: one playthrough of a scenario, driven by actions, explained by its ledger."""

from __future__ import annotations

import random
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
from game.engine.report import (
    Change,
    GameState,
    Outcome,
    PartyAnswer,
    Preview,
    ProposalRecord,
    TurnReport,
)
from game.engine.rules import Rules
from game.negotiation import TOLERANCE, agreement_reached, tau, threshold
from game.scenario.compiled import Scenario

_AMOUNTS = (Allocate, Unallocate)  # a tuple: `A | B` would build a union at every check
Phase = str  # "decision" (resource effects apply at once) or "resolution" (they are queued)


class Game(Rules):
    """A game in progress. `apply` is the only way to change it; refusals change nothing."""

    @classmethod
    def new(cls, scenario: Scenario, seed: int | None = None) -> Game:
        game = cls(scenario, scenario.model.seed if seed is None else seed)
        game._start_turn()
        return game

    def __init__(self, scenario: Scenario, seed: int) -> None:
        super().__init__(scenario)
        self.seed = seed
        self._rng = random.Random(seed)
        self._actions: list[Action] = []
        self._reports: list[TurnReport] = []
        # The snapshot and the legal actions, each with the length of the action log it was
        # made at: every change is an accepted action, so a longer log means it is stale.
        self._state: tuple[int, GameState] | None = None
        self._legal: tuple[int, list[Action]] | None = None

    # ---- public API ------------------------------------------------------------------

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(self._actions)

    @property
    def reports(self) -> tuple[TurnReport, ...]:
        return tuple(self._reports)

    @property
    def turn(self) -> int:
        return self._turn

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def ending(self) -> str | None:
        return self._ending

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(self._pending)

    @property
    def fired_now(self) -> tuple[str, ...]:
        """The events that fired at the start of the current turn, in file order."""
        return tuple(self._fired_now)

    @property
    def changes_now(self) -> tuple[Change, ...]:
        """The changes made so far in the current turn, in order: income, contributions, the
        events that fired at its start, then the decisions (the turn report will list them)."""
        return tuple(self.ledger)

    @property
    def proposals_now(self) -> tuple[ProposalRecord, ...]:
        """The proposals made so far in the current turn (earlier ones are in the reports)."""
        return tuple(self._proposals[self._proposals_start :])

    def value(self, name: str) -> Any:
        """The current value of an expression name (KeyError when the scenario has no such name)."""
        if name not in self.s.names:
            raise KeyError(name)
        return self.v[name]

    def apply(self, action: Action) -> Outcome:
        """Apply a player's action. Never raises for a player's mistake: a refusal says why."""
        if isinstance(action, Allocate):
            # The commonest action, checked and applied inline; anything unusual falls through
            # to the general path, which explains the refusal.
            slot = self.p.slots.get((action.line, action.resource))
            amount = action.amount
            if slot is not None and type(amount) is int and amount > 0 and not self._finished:
                source, target = slot
                v = self.v
                if amount <= v[source]:
                    v[source] -= amount
                    v[target] += amount
                    self._actions.append(action)
                    return _ACCEPTED
        elif type(action) is Propose:
            # A package proposed before on these talks (so known to be valid), talks open and
            # the cost in stock: nothing can refuse it, so the refusal's checks are skipped.
            ordered = self._known_package(action)
            if ordered is not None:
                self._actions.append(action)
                mark = len(self.ledger)
                proposal = self._propose(action, ordered=ordered)
                return _new(Outcome, (True, "", tuple(self.ledger[mark:]), None, proposal))
        elif type(action) is EndTurn and not self._pending and not self._finished:
            # Nothing can refuse the end of a turn with no event waiting.
            self._actions.append(action)
            report = self._end_turn()
            return _new(Outcome, (True, "", report.changes, report, None))
        reason = self._refusal(action)
        if reason:
            return _new(Outcome, (False, reason, (), None, None))
        self._actions.append(action)
        if type(action) is EndTurn:
            report = self._end_turn()
            return _new(Outcome, (True, "", report.changes, report, None))
        mark = len(self.ledger)
        record = self._decide(action)
        return _new(Outcome, (True, "", tuple(self.ledger[mark:]), None, record))

    def check(self, action: Action) -> str:
        """Why `action` would be refused now ('' when it would be accepted)."""
        return self._refusal(action)

    def legal_actions(self) -> list[Action]:
        """What can be done now. Allocate/Unallocate carry the largest legal amount:
        any whole amount from 1 to it is legal too."""
        known = self._legal
        if known is None or known[0] != len(self._actions):
            known = self._legal = (len(self._actions), self._list_legal())
        return list(known[1])

    def _list_legal(self) -> list[Action]:
        if self._finished:
            return []
        v, s = self.v, self.s
        out: list[Action] = []
        for event in self._pending:
            for cid, choice in s.events[event].choices.items():
                if choice.requires is None or choice.requires.fn(v):
                    out.append(Choose(event, cid))
        for lid, r, res_key, alloc_key in self.p.alloc_slots:
            if v[res_key] > 0:
                out.append(Allocate(lid, r, int(v[res_key])))
            if v[alloc_key] > 0:
                out.append(Unallocate(lid, r, int(v[alloc_key])))
        active = [k for k, key in self.p.k_active.items() if v[key]]
        limit = s.model.max_active_strategies
        room = limit is None or len(active) < limit
        for sid, st in s.strategies.items():
            if v[self.p.k_active[sid]]:
                out.append(EndStrategy(sid))
            elif (
                room
                and self._ended_turn.get(sid) != self._turn
                and not any(v[self.p.k_gone[p]] for p in st.partners)
                and not any(v[self.p.k_active[o]] for o in self.p.exclusive[sid])
                and (st.requires is None or st.requires.fn(v))
                and all(v[self.p.k_res[r]] >= amount for r, amount in st.cost)
            ):
                out.append(Activate(sid))
        for did, d in s.disagreements.items():
            if v[self.p.k_open[did]] and all(v[self.p.k_res[r]] >= a for r, a in d.proposal_cost):
                out.append(Propose(did, tuple((i, opts[0]) for i, opts in d.issues.items())))
        if not any(self._answerable(e) for e in self._pending):
            out.append(EndTurn())
        return out

    def copy(self) -> Game:
        """An independent copy (for bots that look ahead); shares only immutable parts."""
        other = Game.__new__(Game)
        other.__dict__.update(self.__dict__)
        other._copy_rules_from(self)
        # A generator made without seeding (seeding reads the system's entropy), then given
        # this one's state.
        other._rng = random.Random.__new__(random.Random)
        other._rng.setstate(self._rng.getstate())
        other._actions = list(self._actions)
        other._reports = list(self._reports)
        other._state = None
        other._legal = None
        return other

    def preview(self, action: Action) -> Preview:
        """What `action` would move by the end of this turn's resolution, in the current state.
        For a proposal, the effects if it were agreed."""
        reason = self._refusal(action)
        if reason or isinstance(action, EndTurn):
            return Preview(False, reason or "ending the turn has no preview")
        base = self.copy()
        trial = self.copy()
        if isinstance(action, Propose):
            trial._propose(action, force=True)
        else:
            trial._decide(action)
        base._resolve()
        trial._resolve()
        deltas = {}
        for key, before, after in base._compare(trial):
            if abs(after - before) > 1e-9:
                deltas[key] = after - before
        return Preview(True, deltas=MappingProxyType(deltas))

    @property
    def score(self) -> float:
        return self._score()

    @property
    def grade(self) -> str:
        if self._finished and self._ending is not None:
            g = self.s.endings[self._ending].grade
            if g is not None:
                return g
        score = self._score()
        for grade, floor in self.s.grades:
            if score >= floor:
                return grade
        return "F"

    def lessons(self) -> list[str]:
        """The scenario's lessons whose condition holds now, in the scenario's words."""
        env = self._history_env()
        return [lesson.text for lesson in self.s.lessons if lesson.when.fn(env)]

    def lesson_indices(self) -> list[int]:
        env = self._history_env()
        return [lesson.index for lesson in self.s.lessons if lesson.when.fn(env)]

    @property
    def state(self) -> GameState:
        known = self._state
        if known is None or known[0] != len(self._actions):
            known = self._state = (len(self._actions), self._snapshot())
        return known[1]

    # ---- refusals --------------------------------------------------------------------

    def _refusal(self, action: Any, explain: bool = True) -> str:
        if self._finished:
            return "The mission is over."
        s = self.s
        if isinstance(action, _AMOUNTS):
            line = s.lines.get(action.line)
            if line is None:
                return f"There is no line of effort '{action.line}'."
            if action.resource not in s.model.resources:
                return f"There is no resource '{action.resource}'."
            label = s.model.resources[action.resource].label
            if action.resource not in line.accepts:
                return f"{line.label} does not take {label}."
            if isinstance(action.amount, bool) or not isinstance(action.amount, int):
                return "An amount must be a whole number."
            if action.amount < 1:
                return "An amount must be at least 1."
            if isinstance(action, Allocate):
                left = self.v[self.p.k_res[action.resource]]
                if action.amount > left:
                    return f"Not enough {label}: {_n(left)} left, {action.amount} asked."
            else:
                have = self.v[self.p.slots[action.line, action.resource][1]]
                if action.amount > have:
                    return (
                        f"Only {_n(have)} {label} allocated to {line.label}, {action.amount} "
                        f"asked back."
                    )
            return ""
        if isinstance(action, Activate):
            return self._activate_refusal(action.strategy, explain)
        if isinstance(action, EndStrategy):
            st = s.strategies.get(action.strategy)
            if st is None:
                return f"There is no strategy '{action.strategy}'."
            if not self.v[self.p.k_active[action.strategy]]:
                return f"{st.label} is not active."
            return ""
        if isinstance(action, Propose):
            return self._propose_refusal(action)
        if isinstance(action, Choose):
            if action.event not in s.events:
                return f"There is no event '{action.event}'."
            ev = s.events[action.event]
            if action.event not in self._pending:
                return f"{ev.title} is not waiting for an answer."
            choice = ev.choices.get(action.choice)
            if choice is None:
                return f"{ev.title} has no choice '{action.choice}'."
            if choice.requires is not None and not choice.requires.fn(self.v):
                if not explain:
                    return "requirement not met"
                req = s.model.events[action.event].choices[action.choice].requires
                assert req is not None
                return f"{choice.label} needs {unmet(s, req, self.v)}."
            return ""
        if isinstance(action, EndTurn):
            waiting = [e for e in self._pending if self._answerable(e)]
            if waiting:
                titles = ", ".join(s.events[e].title for e in waiting)
                return f"Answer the pending event first: {titles}."
            return ""
        return f"Not an action: {action!r}."

    def _answerable(self, event: str) -> bool:
        ev = self.s.events[event]
        return any(c.requires is None or c.requires.fn(self.v) for c in ev.choices.values())

    def _cost_refusal(self, cost: tuple[tuple[str, int], ...], what: str) -> str:
        for rid, amount in cost:
            left = self.v[self.p.k_res[rid]]
            if amount > left:
                label = self.s.model.resources[rid].label
                return f"Not enough {label} for {what}: {_n(left)} left, {amount} needed."
        return ""

    def _activate_refusal(self, sid: str, explain: bool = True) -> str:
        st = self.s.strategies.get(sid)
        if st is None:
            return f"There is no strategy '{sid}'."
        v, p = self.v, self.p
        if v[p.k_active[sid]]:
            return f"{st.label} is already active."
        if self._ended_turn.get(sid) == self._turn:
            return (
                f"{st.label} ended this {self.s.model.turn_label}; it can be activated again "
                f"from the next one."
            )
        gone = [partner for partner in st.partners if v[p.k_gone[partner]]]
        if gone:
            return (
                f"{st.label} needs {self.s.model.stakeholders[gone[0]].name}, who has "
                f"left the mission."
            )
        for other in p.exclusive[sid]:
            if v[p.k_active[other]]:
                return f"{st.label} cannot run alongside {self.s.strategies[other].label}."
        limit = self.s.model.max_active_strategies
        if limit is not None and sum(p.activity(v)) >= limit:
            return f"At most {limit} strategies can be active at once."
        if st.requires is not None and not st.requires.fn(v):
            if not explain:
                return "requirement not met"
            req = self.s.model.strategies[sid].requires
            assert req is not None
            return f"{st.label} needs {unmet(self.s, req, self.v)}."
        return self._cost_refusal(st.cost, st.label)

    def _propose_refusal(self, action: Propose) -> str:
        d = self.s.disagreements.get(action.disagreement)
        if d is None:
            return f"There is no disagreement '{action.disagreement}'."
        if not self.v[self.p.k_open[action.disagreement]]:
            status = self._status(action.disagreement)
            words = {
                "not_open": "is not open yet",
                "agreed": "is already settled",
                "failed": "has failed",
            }
            return f"{d.label} {words.get(status, 'is closed')}."
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
        return self._cost_refusal(d.proposal_cost, "a proposal")

    # ---- decisions -------------------------------------------------------------------

    def _decide(self, action: Action) -> ProposalRecord | None:
        v, p = self.v, self.p
        if isinstance(action, _AMOUNTS):
            stock, allocated = p.slots[action.line, action.resource]
            amount = action.amount if isinstance(action, Allocate) else -action.amount
            v[stock] -= amount
            v[allocated] += amount
        elif isinstance(action, Activate):
            st = self.s.strategies[action.strategy]
            self._pay(st.cost, f"{st.label}: activation", st.line)
            v[p.k_active[st.id]] = True
            v[p.k_turns[st.id]] = 1
            self._run(st.on_activate, "decision")
        elif isinstance(action, EndStrategy):
            self._end_strategy(action.strategy, "decision")
        elif isinstance(action, Propose):
            return self._propose(action)
        elif isinstance(action, Choose):
            ev = self.s.events[action.event]
            choice = ev.choices[action.choice]
            self._pending.remove(action.event)
            v[p.k_chose[ev.id, choice.id]] = True
            self._choices.append((ev.id, choice.id))
            self._run(choice.effects, "decision")
        return None

    def _known_package(self, action: Propose) -> tuple[tuple[str, str], ...] | None:
        """The package in issue order when `action` cannot be refused and its package was
        proposed before on these talks (so it is valid); None when the full check is due."""
        v, p = self.v, self.p
        try:
            ordered = p.ordered.get((action.disagreement, action.package))
        except TypeError:  # not text pairs: the full check explains it
            return None
        if ordered is None or self._finished or not v[p.k_open[action.disagreement]]:
            return None
        for key, amount in p.proposal_costs[action.disagreement]:
            if v[key] < amount:
                return None
        return ordered

    def _propose(
        self,
        action: Propose,
        force: bool = False,
        ordered: tuple[tuple[str, str], ...] | None = None,
    ) -> ProposalRecord:
        d = self.s.disagreements[action.disagreement]
        v, p = self.v, self.p
        # The disagreement's issue order, whatever order the proposal was written in, so equal
        # packages always give the same game.
        if ordered is None:
            ordered = p.ordered_package(d, action.package)
        if d.proposal_cost:
            self._pay(d.proposal_cost, p.proposal_causes[d.id], d.line)
        t = tau(self._turn, self._opened[d.id], d.deadline)
        gone, trust = p.k_gone, p.k_trust
        present: set[str] = set()
        accepting: set[str] = set()
        answers = []
        for party, (pref, value, worst) in zip(d.parties, p.values(d, ordered), strict=True):
            if v[gone[party]]:
                continue
            present.add(party)
            ok = force or value >= threshold(pref, t, v[trust[party]]) - TOLERANCE
            if ok:
                accepting.add(party)
            answers.append(_new(PartyAnswer, (party, ok, value, None if ok else worst)))
        agreed = agreement_reached(d, accepting, present)
        if agreed:
            self._agree(d.id, ordered)
        else:
            for answer in answers:
                if not answer.accepts:
                    self._change_trust(answer.party, -1, p.rejection_causes[d.id], d.line)
        record = _new(ProposalRecord, (self._turn, d.id, ordered, tuple(answers), agreed))
        self._proposals.append(record)
        return record


_ACCEPTED = Outcome(True, "", (), None, None)
_new = tuple.__new__  # builds an Outcome without the NamedTuple's Python-level __new__


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


__all__ = ["Game"]
