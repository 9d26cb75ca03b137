"""The turn's mechanics: income, openings, effects, resolution, endings, in the format's order."""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress
from types import MappingProxyType
from typing import Any

from game.engine.effects import CACHE_LIMIT, QUEUED, Condition, Runner, block
from game.engine.report import (
    Change,
    DisagreementStatus,
    GameState,
    ProposalRecord,
    TurnReport,
    Watched,
)
from game.negotiation import objection, still_possible, utility
from game.scenario.compiled import CDisagreement, CEffect, CPreference, Scenario

LIMIT = "limit reached"
_new = tuple.__new__  # builds a Change without the NamedTuple's Python-level __new__
UNSPENT = "Unspent stock does not carry over"
# Flags and stocks stay within this, like the numbers an instructor may write: a formula that
# squares a flag every turn would otherwise build numbers of millions of digits.
LARGEST = 10**15


_COUNTS = ("res.", "alloc.", "active_turns.", "open_turns.", "agreed_turn.")


class Plan:
    """What the engine derives once from a scenario: keys, plans of the turn, effect runners."""

    def __init__(self, scenario: Scenario) -> None:
        m = scenario.model
        v: dict[str, Any] = {name: 0 for name in scenario.names}
        for name, kind in scenario.names.items():
            if kind.name == "BOOL":
                v[name] = False
        v["turns"] = m.turns
        for mid, metric in m.metrics.items():
            v[mid] = metric.start
        for sid, st in m.stakeholders.items():
            v[f"trust.{sid}"] = st.trust
        self.initial = v
        # Every key below goes through `key`, to be the very object the values are keyed by.
        self.canonical = canonical = scenario.canonical

        def key(text: str) -> str:
            return canonical.get(text, text)

        def keys(prefix: str, ids: Iterable[str]) -> dict[str, str]:
            return {i: key(f"{prefix}.{i}") for i in ids}

        # Keys are built once: f-strings in the per-effect loop cost more than the rules.
        talks = scenario.disagreements
        self.k_res = keys("res", m.resources)
        self.k_trust, self.k_gone = keys("trust", m.stakeholders), keys("withdrawn", m.stakeholders)
        self.k_active = keys("active", scenario.strategies)
        self.k_turns = keys("active_turns", scenario.strategies)
        self.activity = getter(tuple(self.k_active.values()))  # each strategy: active or not
        self.k_open, self.k_open_turns = keys("open", talks), keys("open_turns", talks)
        self.k_agreed, self.k_agreed_turn = keys("agreed", talks), keys("agreed_turn", talks)
        self.k_failed = keys("failed", talks)
        self.k_fired = keys("fired", scenario.events)
        self.k_flag = keys("flag", scenario.flags)
        self.k_chose = {
            (eid, cid): key(f"chose.{eid}.{cid}")
            for eid, ev in scenario.events.items()
            for cid in ev.choices
        }
        self.k_option = {
            (did, i, o): key(f"chose.{did}.{i}.{o}")
            for did, d in scenario.disagreements.items()
            for i, options in d.issues.items()
            for o in options
        }
        self.stakeholders = tuple(m.stakeholders)
        # Names with few values (true/false, whole-number counts and stocks): an amount that
        # depends on these only is worth keeping from one turn to the next.
        self.discrete = frozenset(
            name
            for name, kind in scenario.names.items()
            if kind.name == "BOOL" or name in ("turn", "turns") or name.startswith(_COUNTS)
        )
        self.metric_ids = tuple(m.metrics)
        # The values a turn report shows before and after: metrics, then trust.
        self.watched = getter((*self.metric_ids, *self.k_trust.values()))
        self.watched_ids = Watched(self.metric_ids, self.stakeholders)
        # Effect runners by id() of their effects tuple; the tuples are kept alive with them so
        # an id() is never reused.
        self.runners: dict[int, tuple[Runner, ...]] = {}
        self.runner_keys: list[tuple[CEffect, ...]] = []
        strategies = scenario.strategies
        # Exclusivity works both ways, whichever side of the pair wrote it.
        self.exclusive = {
            k: tuple(
                o for o in strategies if o in st.exclusive_with or k in strategies[o].exclusive_with
            )
            for k, st in strategies.items()
        }
        # (line, resource) -> (stock key, allocation key), for the allocation fast path.
        self.slots = {
            (lid, r): (self.k_res[r], key(f"alloc.{lid}.{r}"))
            for lid, line in scenario.lines.items()
            for r in line.accepts
        }
        self.alloc_slots = [
            (lid, r, *self.slots[lid, r])
            for lid, line in scenario.lines.items()
            for r in line.accepts
        ]
        self.no_allocations = {allocated: 0 for *_, allocated in self.alloc_slots}
        self.outcomes_once = {
            (did, i, o): tuple(e for e in effects if not e.each_turn)
            for did, d in scenario.disagreements.items()
            for (i, o), effects in d.outcomes.items()
        }
        self.outcomes_each = {
            (did, i, o): self.run_of(tuple(e for e in effects if e.each_turn), d.parties)
            for did, d in scenario.disagreements.items()
            for (i, o), effects in d.outcomes.items()
        }
        # A proposal's cost as (stock key, amount) and its ledger cause, by disagreement.
        self.proposal_costs = {
            did: tuple((self.k_res[r], a) for r, a in d.proposal_cost)
            for did, d in scenario.disagreements.items()
        }
        self.proposal_causes = {did: f"{d.label}: proposal" for did, d in talks.items()}
        self.rejection_causes = {did: f"{d.label}: proposal rejected" for did, d in talks.items()}
        # Valid packages in their disagreement's issue order, by (disagreement, package).
        self.ordered: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[tuple[str, str], ...]]
        self.ordered = {}
        # Packages' values to each party, by (disagreement, package in issue order).
        self.package_values: dict[
            tuple[str, tuple[tuple[str, str], ...]], tuple[tuple[CPreference, float, str], ...]
        ] = {}
        # Contributions already computed, by (stakeholder, trust, turn or 0); never changed.
        self.contributions: dict[
            tuple[str, float, int], tuple[dict[str, int], tuple[tuple[str, int, Change], ...]]
        ] = {}
        self.contribution_uses_turn = "turn" in scenario.contribution.names
        self._turn_plans(scenario)
        self._resolution_plans(scenario)

    def ordered_package(
        self, d: CDisagreement, package: tuple[tuple[str, str], ...]
    ) -> tuple[tuple[str, str], ...]:
        """A (valid) package in the disagreement's issue order (kept: bots propose the same
        packages again and again)."""
        key = (d.id, package)
        ordered = self.ordered.get(key)
        if ordered is None:
            chosen = dict(package)
            ordered = tuple((issue, chosen[issue]) for issue in d.issues)
            if len(self.ordered) < CACHE_LIMIT:
                self.ordered[key] = ordered
        return ordered

    def values(
        self, d: CDisagreement, ordered: tuple[tuple[str, str], ...]
    ) -> tuple[tuple[CPreference, float, str], ...]:
        """For each party of `d`: its preferences, the package's utility to it and the issue
        that costs it most. They depend on the package only, so they are kept."""
        key = (d.id, ordered)
        known = self.package_values.get(key)
        if known is None:
            package = dict(ordered)
            known = tuple(
                (pref, utility(pref, package), objection(pref, package))
                for pref in (d.preferences[party] for party in d.parties)
            )
            if len(self.package_values) < CACHE_LIMIT:
                self.package_values[key] = known
        return known

    def run_of(
        self, effects: tuple[CEffect, ...], parties: tuple[str, ...] = ()
    ) -> tuple[Runner, ...]:
        """The runners of an effects list (built once, then found by the tuple's identity)."""
        runners = self.runners.get(id(effects))
        if runners is None:
            runners = self.runners[id(effects)] = self.block(effects, parties)
            # Keep the tuple alive so its id() is never reused for another one.
            self.runner_keys.append(effects)
        return runners

    def block(
        self,
        effects: Sequence[CEffect],
        parties: tuple[str, ...] = (),
        when: Condition | None = None,
        flag: str | None = None,
    ) -> tuple[Runner, ...]:
        return block(
            effects,
            self.stakeholders,
            parties,
            self.discrete,
            when=when,
            flag=flag,
            canonical=self.canonical,
        )

    def _turn_plans(self, scenario: Scenario) -> None:
        m, where = scenario.model, scenario.where
        # The counters that grow by one each turn while their flag is set: active strategies'
        # turns and open talks' turns.
        self.counters = [(self.k_active[k], self.k_turns[k]) for k in scenario.strategies] + [
            (self.k_open[k], self.k_open_turns[k]) for k in scenario.disagreements
        ]
        # Ledger lines that are the same every turn are made once.
        self.income_plan = [
            (r, self.k_res[r], res.carry, res.per_turn,
             Change("resource", r, res.per_turn, f"{res.label}: income", line), line)
            for r, res in m.resources.items()
            for line in (where.get(f"resources.{r}", 0),)
        ]  # fmt: skip
        self.contribution_plan = [
            (k, self.k_gone[k], self.k_trust[k],
             [(r, self.k_res[r], base) for r, base in st.provides.items()],
             f"Contribution: {st.name}", where.get(f"stakeholders.{k}", 0))
            for k, st in m.stakeholders.items() if st.provides
        ]  # fmt: skip
        self.upkeep_plan = [
            (k, self.k_active[k],
             [(self.k_res[r], a, Change("resource", r, -a, f"{st.label}: upkeep", st.line))
              for r, a in st.upkeep if a])
            for k, st in scenario.strategies.items() if any(a for _, a in st.upkeep)
        ]  # fmt: skip
        # Every stock is held within its storage (`max`), and within 10^15 when it has none:
        # income and contributions could otherwise take it beyond, turn after turn.
        self.storage_plan = [
            (r, self.k_res[r], LARGEST if res.max is None else res.max,
             f"{res.label}: {'at most 10^15' if res.max is None else 'storage'}",
             where.get(f"resources.{r}", 0))
            for r, res in m.resources.items()
        ]  # fmt: skip
        plan = [
            (eid, self.k_fired[eid], ev.once, ev.turn, ev.when.fn if ev.when else None,
             ev.chance, self.run_of(ev.effects), bool(ev.choices))
            for eid, ev in scenario.events.items()
        ]  # fmt: skip
        # The events that may fire at each turn, in file order: those of any turn and those
        # of that turn.
        self.events_at = {
            t: [e for e in plan if e[3] is None or e[3] == t] for t in range(1, m.turns + 1)
        }

    def _resolution_plans(self, scenario: Scenario) -> None:
        m, where = scenario.model, scenario.where
        # Step 4 up to the agreements' monthly effects: lines, then active strategies (their
        # runners in the order of `activity`, which picks the active ones; no effect can end a
        # strategy in between).
        self.resolve_lines = self.block(
            [e for line in scenario.lines.values() for e in line.effects]
        )
        self.strategy_runs = tuple(self.block(st.each_turn) for st in scenario.strategies.values())
        # After them: pressure of open disagreements, deadlines, then the pressure rules.
        # Each with the turns in which it can do anything: talks are open from their opening
        # turn to their deadline at most, and a deadline only bites once it has come.
        after: list[tuple[Runner, int, int]] = []
        for did, d in scenario.disagreements.items():
            first = d.opens_turn or 1
            after += [
                (run, first, d.deadline)
                for run in self.block(d.pressure, d.parties, flag=self.k_open[did])
            ]
        after += [
            (_deadline(did, self.k_open[did], d.deadline), d.deadline, m.turns)
            for did, d in scenario.disagreements.items()
        ]
        for rule in scenario.rules:
            when = rule.when.fn if rule.when else None
            after += [(run, 1, m.turns) for run in self.block(rule.effects, when=when)]
        self.resolve_after_at = {
            t: tuple(run for run, first, last in after if first <= t <= last)
            for t in range(1, m.turns + 1)
        }
        # The bounds of the watched values (metrics, then trust), for a quick check.
        self.lowest = tuple(mt.min for mt in m.metrics.values()) + (0,) * len(self.k_trust)
        self.highest = tuple(mt.max for mt in m.metrics.values()) + (100,) * len(self.k_trust)
        self.metric_bounds = [
            (mid, metric.min, metric.max, metric.label, where.get(f"metrics.{mid}", 0))
            for mid, metric in m.metrics.items()
        ]
        self.trust_bounds = [
            (sid, self.k_trust[sid], st.name, where.get(f"stakeholders.{sid}", 0))
            for sid, st in m.stakeholders.items()
        ]
        self.leavers = [
            (sid, self.k_gone[sid], self.k_trust[sid], st.withdraws_below)
            for sid, st in m.stakeholders.items()
            if st.withdraws_below is not None
        ]
        self.trust_of_leavers = getter(tuple(trust for _, _, trust, _ in self.leavers))
        self.leaving_below = tuple(below for *_, below in self.leavers)
        endings = scenario.endings.items()
        self.each_turn_endings = [(e, en.when.fn) for e, en in endings if en.check == "each_turn"]
        self.at_end_endings = [(e, en.when.fn) for e, en in endings if en.check == "at_end"]


def getter(keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function giving the values of `keys` in a mapping as a tuple (itemgetter gives a bare
    value for one key)."""
    if len(keys) == 1:
        (key,) = keys
        return lambda v: (v[key],)
    if not keys:
        return lambda v: ()
    return operator.itemgetter(*keys)


def _deadline(did: str, open_key: str, deadline: int) -> Runner:
    """Talks still open at their deadline fail (step 4, after the pressure)."""

    def deadline_check(v: dict[str, Any], _l: list[Change], owner: Any, _r: bool) -> None:
        if v[open_key] and v["turn"] >= deadline:
            owner._fail(did)

    return deadline_check


class Rules:
    """Mutable game state plus the rules that move it. `Game` adds the player's API on top."""

    # Set by Game: the seed, its one generator (chance rolls only) and the finished turns.
    seed: int
    _rng: random.Random
    _reports: list[TurnReport]

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        plan = scenario.engine_cache.get("plan")
        if plan is None:
            plan = scenario.engine_cache["plan"] = Plan(scenario)
        # The plan's derived, read-only data (keys, income plans, effect runners) is shared
        # by every game of this scenario.
        self.p: Plan = plan
        v = self.v = dict(plan.initial)
        # Every expression name's current value, read-only, for bots and tools.
        self.values: Mapping[str, Any] = MappingProxyType(v)
        self._turn = 0
        self._finished = False
        self._final_score: float | None = None
        self._ending: str | None = None
        self._pending: list[str] = []
        self._opened: dict[str, int] = {}
        self._package: dict[str, tuple[tuple[str, str], ...]] = {}
        # The turn in which each strategy last ended: it cannot be activated again in that turn
        # (activating and ending it over and over would repeat its `on_activate` effects).
        self._ended_turn: dict[str, int] = {}
        self._queued: list[tuple[str, int, str, int, bool]] = []
        # The watched values (metrics, then trust) at the end of each finished turn.
        self._readings: list[tuple[Any, ...]] = []
        self._contrib: dict[str, dict[str, int]] = {}
        self._proposals: list[ProposalRecord] = []
        self._proposals_start = 0
        self._choices: list[tuple[str, str]] = []
        self._fired_now: list[str] = []
        self._opened_now: list[str] = []
        self._agreed_now: list[str] = []
        self._failed_now: list[str] = []
        self._withdrawn_now: list[str] = []
        self.warnings: list[str] = []
        v["__warn__"] = self.warnings
        self.ledger: list[Change] = []
        self._before: tuple[Any, ...] = ()

    def _copy_rules_from(self, other: Rules) -> None:
        self.v = dict(other.v)
        self.values = MappingProxyType(self.v)
        self._pending = list(other._pending)
        self._opened = dict(other._opened)
        self._package = dict(other._package)
        self._ended_turn = dict(other._ended_turn)
        self._queued = list(other._queued)
        self._readings = list(other._readings)
        self._contrib = {k: dict(c) for k, c in other._contrib.items()}
        self._proposals = list(other._proposals)
        self._choices = list(other._choices)
        for name in ("_fired_now", "_opened_now", "_agreed_now", "_failed_now", "_withdrawn_now"):
            setattr(self, name, list(getattr(other, name)))
        self.warnings = list(other.warnings)
        self.v["__warn__"] = self.warnings
        self.ledger = list(other.ledger)
        self._before = other._before

    # ---- effects ---------------------------------------------------------------------

    def _present(self, sid: str) -> bool:
        return not self.v[self.p.k_gone[sid]]

    def _run(self, effects: tuple[CEffect, ...], phase: str, parties: tuple[str, ...] = ()) -> None:
        runners = self.p.run_of(effects, parties)
        v, ledger, resolution = self.v, self.ledger, phase == "resolution"
        for run in runners:
            run(v, ledger, self, resolution)

    def _other_effect(self, e: CEffect, amount: Any, parties: tuple[str, ...], res: bool) -> None:
        if e.kind == "resource":
            self._resource_effect(e, int(amount), "resolution" if res else "decision")
        else:
            key = self.p.k_flag[e.ids[0]]
            old = self.v[key]
            try:
                new = float(amount) if e.op == "set" else old + amount
                ok = -LARGEST <= new <= LARGEST
            except OverflowError:  # a whole number too large for a float
                ok = False
            if not ok:
                self.warnings.append(
                    f"{e.cause}: flag {e.ids[0]} would go beyond 10^15 either way; it stays at "
                    f"{old:g}."
                )
                return
            self._move("flag", e.ids[0], key, new, e.cause, e.line)

    def _move(
        self, kind: Any, target: str, key: str, new: float, cause: str, line: int, note: str = ""
    ) -> None:
        v = self.v
        old = v[key]
        if new != old:
            v[key] = new
            self.ledger.append(_new(Change, (kind, target, new - old, cause, line, note)))

    def _resource_effect(self, e: CEffect, amount: int, phase: str) -> None:
        rid = e.ids[0]
        if phase == "resolution":
            # Resolution-time resource changes arrive with the next turn's income.
            # A queued `set` is kept as a set: the stock becomes that amount on arrival.
            self._queued.append((rid, amount, e.cause, e.line, e.op == "set"))
            note = QUEUED if e.op == "add" else f"set to {amount}, {QUEUED}"
            change = amount if e.op == "add" else 0
            self.ledger.append(Change("resource", rid, change, e.cause, e.line, note))
            return
        key = self.p.k_res[rid]
        new = amount if e.op == "set" else self.v[key] + amount
        self._move("resource", rid, key, self._resource_bounds(rid, new), e.cause, e.line)

    def _resource_bounds(self, rid: str, value: float) -> int:
        top = self.s.model.resources[rid].max
        whole = min(max(0, int(value)), LARGEST)
        return min(whole, top) if top is not None else whole

    def _change_trust(self, sid: str, amount: float, cause: str, line: int) -> None:
        key = self.p.k_trust[sid]
        self._move("trust", sid, key, self.v[key] + amount, cause, line)

    def _pay(self, cost: tuple[tuple[str, int], ...], cause: str, line: int) -> None:
        for rid, amount in cost:
            key = self.p.k_res[rid]
            self._move("resource", rid, key, self.v[key] - amount, cause, line)

    # ---- the turn --------------------------------------------------------------------

    def _start_turn(self) -> None:
        """Steps 1 and 2: income, then openings."""
        s, v, p = self.s, self.v, self.p
        self._turn = turn = self._turn + 1
        v["turn"] = turn
        self.ledger = ledger = []
        self.warnings = []
        v["__warn__"] = self.warnings
        self._choices, self._proposals_start = [], len(self._proposals)
        self._fired_now, self._opened_now, self._agreed_now = [], [], []
        self._failed_now, self._withdrawn_now = [], []
        self._before = p.watched(v)
        v.update(p.no_allocations)
        for flag, counter in p.counters:
            if v[flag]:
                v[counter] += 1
        # The ledger entries are written inline here: a call per change costs more than it.
        for rid, key, carry, per_turn, income, line in p.income_plan:
            old = v[key]
            if not carry and old:
                v[key] = 0
                ledger.append(_new(Change, ("resource", rid, -old, UNSPENT, line, "")))
                old = 0
            if per_turn:
                v[key] = old + per_turn
                ledger.append(income)
        self._contrib = {}
        if p.contribution_plan:
            self._contributions()
        if self._queued:
            for rid, amount, cause, line, is_set in self._queued:
                key = p.k_res[rid]
                old = v[key]
                new = min(max(0, amount if is_set else old + amount), LARGEST)
                if new != old:
                    v[key] = new
                    ledger.append(_new(Change, ("resource", rid, new - old, cause, line, "")))
            self._queued = []
        for sid, active, upkeep in p.upkeep_plan:
            if not v[active]:
                continue
            for key, amount, _ in upkeep:
                if v[key] < amount:
                    label = s.strategies[sid].label
                    self.warnings.append(f"{label} ended: its upkeep could not be paid.")
                    self._end_strategy(sid, "decision")
                    break
            else:
                for key, amount, change in upkeep:
                    v[key] -= amount
                    ledger.append(change)
        for rid, key, top, cause, line in p.storage_plan:
            if v[key] > top:
                self._move("resource", rid, key, top, cause, line, LIMIT)
        self._openings()

    def _contributions(self) -> None:
        """Partners' contributions. The formula depends on trust, base (and perhaps turn)
        only, so each partner's result (with its ledger lines) is kept per scenario by those
        values, and computed again only for new ones."""
        v, p, ledger = self.v, self.p, self.ledger
        known = p.contributions
        when = self._turn if p.contribution_uses_turn else 0
        for sid, gone, trust, provides, cause, line in p.contribution_plan:
            if v[gone]:
                continue
            level = v[trust]
            kept = known.get((sid, level, when))
            if kept is None:
                kept = self._contribution(sid, level, when, provides, cause, line)
            given, moves = kept
            self._contrib[sid] = given
            for key, amount, change in moves:
                v[key] += amount
                ledger.append(change)

    def _contribution(
        self,
        sid: str,
        level: float,
        when: int,
        provides: list[tuple[str, str, float]],
        cause: str,
        line: int,
    ) -> tuple[dict[str, int], tuple[tuple[str, int, Change], ...]]:
        """What a partner gives at this trust level, by resource, and the stock moves with
        their ledger lines (kept when it gave no warning: a problem is reported every time it
        happens)."""
        sink: list[str] = []
        env = {"turn": self._turn, "turns": self.v["turns"], "trust": level, "__warn__": sink}
        given = {}
        moves = []
        for rid, key, base in provides:
            env["base"] = base
            given[rid] = amount = max(0, math.floor(self.s.contribution.fn(env)))
            if amount:
                moves.append((key, amount, Change("resource", rid, amount, cause, line)))
        kept = given, tuple(moves)
        if sink:
            self.warnings += sink
        elif len(self.p.contributions) < CACHE_LIMIT:
            self.p.contributions[sid, level, when] = kept
        return kept

    def _openings(self) -> None:
        v, t = self.v, self._turn
        if len(self._opened) < len(self.s.disagreements):
            self._open_talks()
        for eid, fired, once, _, when, chance, runners, waits in self.p.events_at[t]:
            if once and v[fired]:
                continue
            if when is not None and not when(v):
                continue
            if chance < 1 and not self._rng.random() < chance:
                continue
            v[fired] = True
            self._fired_now.append(eid)
            ledger = self.ledger
            for run in runners:
                run(v, ledger, self, False)
            if waits:
                self._pending.append(eid)

    def _open_talks(self) -> None:
        v, t = self.v, self._turn
        for did, d in self.s.disagreements.items():
            if did in self._opened:
                continue
            if d.opens_turn is not None and t < d.opens_turn:
                continue
            if d.opens_when is not None and not d.opens_when.fn(v):
                continue
            if t > d.deadline:
                continue
            self._opened[did] = t
            v[self.p.k_open[did]] = True
            v[self.p.k_open_turns[did]] = 1
            self._opened_now.append(did)
            if not still_possible(d, {p for p in d.parties if self._present(p)}):
                self._fail(did)

    def _end_strategy(self, sid: str, phase: str) -> None:
        st = self.s.strategies[sid]
        v, turns = self.v, self.p.k_turns[sid]
        early = v[turns] < st.min_turns
        v[self.p.k_active[sid]] = False
        v[turns] = 0
        self._ended_turn[sid] = self._turn
        if early:
            self._run(st.on_early_end, phase)

    def _agree(self, did: str, package: tuple[tuple[str, str], ...]) -> None:
        d = self.s.disagreements[did]
        v = self.v
        v[self.p.k_open[did]] = False
        v[self.p.k_agreed[did]] = True
        v[self.p.k_agreed_turn[did]] = self._turn
        self._package[did] = package
        self._agreed_now.append(did)
        for issue, option in package:
            v[self.p.k_option[did, issue, option]] = True
            once = self.p.outcomes_once.get((did, issue, option), ())
            self._run(once, "decision", d.parties)
        self._run(d.on_agree, "decision", d.parties)

    def _fail(self, did: str, phase: str = "resolution") -> None:
        d = self.s.disagreements[did]
        self.v[self.p.k_open[did]] = False
        self.v[self.p.k_failed[did]] = True
        self._failed_now.append(did)
        self._run(d.on_fail, phase, d.parties)

    def _resolve(self) -> None:
        """Step 4, in its fixed order."""
        v, ledger, p = self.v, self.ledger, self.p
        for run in p.resolve_lines:
            run(v, ledger, self, True)
        for runs in compress(p.strategy_runs, p.activity(v)):
            for run in runs:
                run(v, ledger, self, True)
        for did, package in self._package.items():
            for issue, option in package:
                for run in p.outcomes_each.get((did, issue, option), ()):
                    run(v, ledger, self, True)
        for run in p.resolve_after_at[self._turn]:
            run(v, ledger, self, True)
        self._clamp()
        if p.leavers:
            self._withdrawals()

    def _clamp(self) -> None:
        v, p = self.v, self.p
        values = p.watched(v)
        if all(map(operator.le, p.lowest, values)) and all(map(operator.le, values, p.highest)):
            return  # every metric and trust value within its bounds: the usual case
        move = self._move
        for mid, low, high, label, line in self.p.metric_bounds:
            value = v[mid]
            if value < low or value > high:
                move("metric", mid, mid, min(max(value, low), high), label, line, LIMIT)
        for sid, key, name, line in self.p.trust_bounds:
            value = v[key]
            if value < 0 or value > 100:
                move("trust", sid, key, min(max(value, 0), 100), name, line, LIMIT)

    def _withdrawals(self) -> None:
        v, p = self.v, self.p
        if not any(map(operator.lt, p.trust_of_leavers(v), p.leaving_below)):
            return  # no partner below the trust at which it leaves (nor any left already)
        changed = True
        while changed:
            changed = False
            for sid, gone, trust, below in self.p.leavers:
                if v[gone] or v[trust] >= below:
                    continue
                v[gone] = True
                self._withdrawn_now.append(sid)
                changed = True
                for strategy_id, strat in self.s.strategies.items():
                    if sid in strat.partners and v[p.k_active[strategy_id]]:
                        self._end_strategy(strategy_id, "resolution")
                for did, d in self.s.disagreements.items():
                    present = {p for p in d.parties if self._present(p)}
                    if v[p.k_open[did]] and not still_possible(d, present):
                        self._fail(did)
            if changed:
                self._clamp()

    def _end_turn(self) -> TurnReport:
        for eid in self._pending:
            self.warnings.append(
                f"{self.s.events[eid].title} lapsed: none of its choices was open."
            )
        self._pending = []
        self._resolve()
        after = self.p.watched(self.v)
        self._readings.append(after)
        ending = self._check_endings()
        if ending is not None or self._turn >= self.s.model.turns:
            self._finished = True
            self._ending = ending
        report = self._report(after)
        self._reports.append(report)
        if not self._finished:
            self._start_turn()
        return report

    def _check_endings(self) -> str | None:
        v = self.v
        for eid, holds in self.p.each_turn_endings:
            if holds(v):
                return eid
        if self._turn >= self.s.model.turns:
            for eid, holds in self.p.at_end_endings:
                if holds(v):
                    return eid
        return None

    def _report(self, after: tuple[Any, ...]) -> TurnReport:
        values = dict(self.v)
        del values["__warn__"]
        return _new(
            TurnReport,
            (
                self._turn,
                tuple(self.ledger),
                self.p.watched_ids,
                self._before,
                after,
                tuple(self._fired_now),
                tuple(self._choices),
                tuple(self._proposals[self._proposals_start :]),
                tuple(self._opened_now),
                tuple(self._agreed_now),
                tuple(self._failed_now),
                tuple(self._withdrawn_now),
                tuple(dict.fromkeys(self.warnings)),
                self._ending,
                MappingProxyType(values),  # every name's value at the end of resolution
            ),
        )

    # ---- score and snapshots ---------------------------------------------------------

    def _public_values(self) -> dict[str, Any]:
        values = dict(self.v)
        values.pop("__warn__", None)
        values.pop("__hist__", None)
        return values

    def _history(self) -> dict[str, list[float]]:
        """Each metric's value at the end of every finished turn."""
        readings = self._readings
        return {mid: [r[i] for r in readings] for i, mid in enumerate(self.p.metric_ids)}

    def _history_env(self) -> dict[str, Any]:
        env = dict(self.v)
        env["__hist__"] = self._history()
        env["__warn__"] = []
        return env

    def _score(self) -> float:
        if self._final_score is not None:
            return self._final_score
        value = float(self.s.score.fn(self._history_env()))
        score = min(100.0, max(0.0, value)) if math.isfinite(value) else 0.0
        if self._finished:  # a finished game never changes: its score is kept
            self._final_score = score
        return score

    def _status(self, did: str) -> Any:
        v = self.v
        if v[self.p.k_agreed[did]]:
            return "agreed"
        if v[self.p.k_failed[did]]:
            return "failed"
        return "open" if v[self.p.k_open[did]] else "not_open"

    def _compare(self, other: Rules) -> list[tuple[str, float, float]]:
        m = self.s.model
        out = [(f"metric:{k}", self.v[k], other.v[k]) for k in m.metrics]
        out += [(f"trust:{k}", self.v[f"trust.{k}"], other.v[f"trust.{k}"]) for k in m.stakeholders]
        out += [(f"resource:{k}", self.v[f"res.{k}"], other.v[f"res.{k}"]) for k in m.resources]
        return out

    def _snapshot(self) -> GameState:
        s, m, v = self.s, self.s.model, self.v
        return GameState(
            scenario=m.id,
            seed=self.seed,
            turn=self._turn,
            turns=m.turns,
            finished=self._finished,
            ending=self._ending,
            metrics=MappingProxyType({k: v[k] for k in m.metrics}),
            trust=MappingProxyType({k: v[f"trust.{k}"] for k in m.stakeholders}),
            withdrawn=frozenset(k for k in m.stakeholders if v[f"withdrawn.{k}"]),
            resources=MappingProxyType({k: int(v[f"res.{k}"]) for k in m.resources}),
            allocations=MappingProxyType(
                {
                    lid: MappingProxyType({r: int(v[f"alloc.{lid}.{r}"]) for r in line.accepts})
                    for lid, line in s.lines.items()
                }
            ),
            active=MappingProxyType(
                {k: v[f"active_turns.{k}"] for k in s.strategies if v[f"active.{k}"]}
            ),
            disagreements=MappingProxyType(
                {
                    did: DisagreementStatus(
                        self._status(did),
                        self._opened.get(did, 0),
                        v[f"open_turns.{did}"],
                        v[f"agreed_turn.{did}"],
                        self._package.get(did, ()),
                    )
                    for did in s.disagreements
                }
            ),
            pending=tuple(self._pending),
            fired=frozenset(k for k in s.events if v[f"fired.{k}"]),
            flags=MappingProxyType({f: v[f"flag.{f}"] for f in s.flags}),
            history=MappingProxyType({k: tuple(h) for k, h in self._history().items()}),
            contributions=MappingProxyType(
                {k: MappingProxyType(c) for k, c in self._contrib.items()}
            ),
            score=self._score(),
        )
