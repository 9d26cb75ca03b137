"""What the engine derives once from a scenario: the keys of its values and each step's rows.

A scenario's plan is built the first time one of its games starts and shared by every game of
it (and every copy of a game): it holds only read-only rows, plus amounts kept for reuse (see
`kept_amount`), which never change what a game does. Each row is a named record; the turn in
game/engine/rules.py reads them step by step.
"""

from __future__ import annotations

import operator
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, assert_never

from game.engine.report import Change, Watched
from game.negotiation import MAX_PACKAGES, offer_ranking, package_count
from game.scenario import names
from game.scenario.compiled import CDisagreement, CEffect, Scenario
from game.scenario.expr import WARNINGS, Compiled, Fn
from game.scenario.models import Op, Target

# Amounts kept per effect (and contributions per scenario): enough for any game, small for any
# playtest.
CACHE_LIMIT = 4096
# Flags and stocks stay within this, like the numbers an instructor may write: a formula that
# squares a flag every turn would otherwise build numbers of millions of digits.
LARGEST = 10**15
UNSPENT = "Unspent stock does not carry over"

Values = dict[str, Any]
Package = tuple[tuple[str, str], ...]
Ranking = list[tuple[float, dict[str, str]]]
KeptOffer = tuple[Package, tuple[str, ...]]  # an offer, the issues where it keeps its best
# A turn's offers on one disagreement, (party, package) in party order, and what they disclose,
# (party, issues).
TurnOffers = tuple[tuple[tuple[str, Package], ...], tuple[tuple[str, tuple[str, ...]], ...]]


class Partner(NamedTuple):
    """A partner an effect or a step reads: its id and the keys of its trust and withdrawal."""

    id: str
    trust: str
    gone: str


class Reach(NamedTuple):
    """A value an effect changes: the id the ledger names, its key, and for a partner's trust
    the key saying it withdrew (its trust then no longer moves; "" for other targets)."""

    id: str
    key: str
    gone: str


class PlannedEffect(NamedTuple):
    """An effect ready to apply: the values it changes resolved, its amount ready to compute."""

    target: Target
    is_set: bool  # `set`: the value becomes the amount (else `add`: it grows by it)
    reaches: tuple[Reach, ...]  # one, or for trust every partner it names, in order
    amount: Fn  # the amount (or the new value, for `set`); never raises
    when: Fn | None
    cause: str
    line: int
    # A `reveal` effect's disagreement and what it discloses ("weights", "options", "all").
    reveals: tuple[str, str] = ("", "")


Effects = tuple[PlannedEffect, ...]
Clauses = list[tuple[Any, Fn | None]]  # (the clause's syntax tree, its function)
# What a partner gives at one trust level (by resource) and its stock moves: (key, amount,
# ledger line).
KeptContribution = tuple[Mapping[str, int], tuple[tuple[str, int, Change], ...]]


class Income(NamedTuple):
    """Step 1, a resource's own income: unspent stock lost (unless `carry`), then its income
    (`per_turn` at the start; `income` effects change it)."""

    resource: str
    key: str
    income: str  # the key of its income per turn
    carry: bool
    line: int
    unspent: str  # the ledger cause when unspent stock is lost
    cause: str  # the ledger cause of the income


class Contribution(NamedTuple):
    """Step 1, a partner's contribution: `contribution(base, trust)` of each resource it gives."""

    partner: Partner
    provides: tuple[tuple[str, str, float], ...]  # (resource, key, base)
    cause: str
    line: int


class Upkeep(NamedTuple):
    """Step 1, an active strategy's upkeep: paid in full, or the strategy ends."""

    strategy: str
    active: str
    costs: tuple[tuple[str, int, Change], ...]  # (key, amount, ledger line)
    ended: str  # the warning when it cannot be paid


class Storage(NamedTuple):
    """Step 1, last: a stock is held within its `max` (10^15 when it has none). A stock
    never goes below 0 either: `floor` is the ledger cause when a change is held there."""

    resource: str
    key: str
    top: int
    cause: str
    line: int
    floor: str


class Spending(NamedTuple):
    """Step 4, first: the units allocated to a line of effort leave their stock (one ledger
    line per line of effort and resource)."""

    resource: str
    allocated: str  # the key of the units allocated this turn
    cause: str
    line: int


class EventRow(NamedTuple):
    """Step 2: an event that may fire."""

    id: str
    fired: str
    turn: int | None
    once: bool
    when: Fn | None
    chance: float
    effects: Effects
    waits: bool  # it has choices: the trainee answers it before the turn ends


class TalksRow(NamedTuple):
    """A disagreement's keys and effects."""

    id: str
    open: str
    open_turns: str
    agreed: str
    agreed_turn: str
    failed: str
    deadline: int
    pressure: Effects
    on_agree: Effects
    on_fail: Effects
    proposal_costs: tuple[tuple[str, int], ...]  # (stock key, amount)
    proposal_cause: str
    rejection_cause: str
    broken: str
    # The agreement's conditions: (party, or None for the disagreement's own; the condition as
    # written; its function), the disagreement's first, then the parties' in their order.
    holds: tuple[tuple[str | None, str, Fn], ...]
    on_breach: Effects
    reopens: int | None  # turns from a breach to the reopened talks' deadline
    payment_causes: Mapping[str, str]  # by party: the ledger cause of a side payment to it


class StrategyRow(NamedTuple):
    """A strategy's keys and effects."""

    id: str
    active: str
    turns: str
    each_turn: Effects
    on_activate: Effects
    on_early_end: Effects
    exclusive: tuple[str, ...]  # both ways, whichever side of the pair wrote it


class RuleRow(NamedTuple):
    """Step 4: a global rule, applied while its condition holds."""

    when: Fn | None
    effects: Effects


class Bound(NamedTuple):
    """Step 4: a metric, a partner's trust or a resource's income, clamped to its bounds
    ("limit reached")."""

    target: Target
    id: str
    key: str
    low: float
    high: float
    cause: str
    line: int


class Leaver(NamedTuple):
    """Step 4, last: a partner that withdraws when its trust falls under `below`."""

    partner: Partner
    below: float


class Plan:
    """A scenario's keys and rows, built once (see `plan_of`)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = s = scenario
        m = s.model
        self.key = key = _keys(scenario)
        self.partners = {
            sid: Partner(sid, key(names.TRUST(sid)), key(names.WITHDRAWN(sid)))
            for sid in m.stakeholders
        }
        self.res = {r: key(names.RES(r)) for r in m.resources}
        self.income_keys = {r: key(names.INCOME(r)) for r in m.resources}
        self.flags = {f: key(names.FLAG(f)) for f in s.flags}
        self.fired = {e: key(names.FIRED(e)) for e in s.events}
        self.chose = {
            (eid, cid): key(names.CHOSE(eid, cid))
            for eid, ev in s.events.items()
            for cid in ev.choices
        }
        self.option_chosen = {
            (did, i, o): key(names.CHOSE(did, i, o))
            for did, d in s.disagreements.items()
            for i, options in d.issues.items()
            for o in options
        }
        # (line, resource) -> (stock key, allocation key), in file order.
        self.slots = {
            (lid, r): (self.res[r], key(names.ALLOC(lid, r)))
            for lid, line in s.lines.items()
            for r in line.accepts
        }
        self.no_allocations = {allocated: 0 for _, allocated in self.slots.values()}
        self.initial = self._initial_values()
        # Names with few values: an amount that depends on these only is kept (`kept_amount`).
        self.discrete = frozenset(n for n, t in s.names.items() if names.is_discrete(n, t))
        self.watched = Watched(tuple(m.metrics), tuple(m.stakeholders), tuple(m.resources))
        self.watched_keys = (*m.metrics, *(p.trust for p in self.partners.values()))
        self.read_watched = getter(tuple(key(k) for k in self.watched_keys))
        self.strategies = {sid: self._strategy(sid) for sid in s.strategies}
        self.talks = {did: self._talks(d) for did, d in s.disagreements.items()}
        # Whether any agreement can break (a `holds_while`): else resolution skips the check.
        self.breakable = any(t.holds for t in self.talks.values())
        self.outcomes_once = {
            (did, i, o): self.effects((e for e in effects if not e.each_turn), d.parties)
            for did, d in s.disagreements.items()
            for (i, o), effects in d.outcomes.items()
        }
        self.outcomes_each = {
            (did, i, o): self.effects((e for e in effects if e.each_turn), d.parties)
            for did, d in s.disagreements.items()
            for (i, o), effects in d.outcomes.items()
        }
        self.choice_effects = {
            (eid, cid): self.effects(c.effects)
            for eid, ev in s.events.items()
            for cid, c in ev.choices.items()
        }
        self._step_rows()
        # Kept for reuse, by (partner, trust, turn or 0): what it gives and the ledger lines.
        self.contributions: dict[tuple[str, float, int], KeptContribution] = {}
        self.contribution_uses_turn = names.TURN in s.contribution.names
        # Requirements' `and` clauses, each compiled, by requirement (game.engine.explain).
        self.requirements: dict[str, Clauses] = {}
        # Packages' values to each party, by (disagreement, package in issue order).
        self.package_values: dict[tuple[str, Package], tuple[tuple[float, str], ...]] = {}
        # How each party ranks the packages for its offer, by (disagreement, party, the
        # others present): see `offer_ranking`.
        self.offer_rankings: dict[tuple[str, str, tuple[str, ...]], Ranking] = {}
        # Offers and the issues on which each keeps the party's best option, by (disagreement,
        # party, lowest accepted value, the others present).
        self.offers: dict[tuple[str, str, float, tuple[str, ...]], KeptOffer] = {}
        # A turn's offers on a disagreement (as the board keeps them, and what they disclose),
        # by (disagreement, turn, the turn it opened, each party's withdrawal and trust): the
        # keys of those values, by disagreement.
        self.offer_inputs = {
            did: tuple(
                k for p in d.parties for k in (self.partners[p].gone, self.partners[p].trust)
            )
            for did, d in s.disagreements.items()
        }
        self.turn_offers: dict[tuple[Any, ...], TurnOffers] = {}

    def offer_ranking(self, did: str, party: str, others: tuple[str, ...]) -> Ranking | None:
        """`party`'s ranking of the packages of `did` for its offer (game.negotiation), kept:
        it depends on no turn or trust (and keeping it changes no result). None beyond
        MAX_PACKAGES packages: the offer is then searched greedily."""
        key = (did, party, others)
        ranking = self.offer_rankings.get(key)
        if ranking is None:
            d = self.scenario.disagreements[did]
            if package_count(d) > MAX_PACKAGES:
                return None
            ranking = offer_ranking(d, party, others)
            if len(self.offer_rankings) < CACHE_LIMIT:
                self.offer_rankings[key] = ranking
        return ranking

    def _initial_values(self) -> Values:
        s, m = self.scenario, self.scenario.model
        v: Values = {}
        for name, type_ in s.names.items():
            v[self.key(name)] = False if type_.name == "BOOL" else 0
        v[names.TURNS] = m.turns
        for mid, metric in m.metrics.items():
            v[self.key(mid)] = metric.start
        for sid, st in m.stakeholders.items():
            v[self.partners[sid].trust] = st.trust
        for rid, res in m.resources.items():
            v[self.income_keys[rid]] = res.per_turn
        return v

    # ---- effects -----------------------------------------------------------------------

    def effects(self, effects: Iterable[CEffect], parties: tuple[str, ...] = ()) -> Effects:
        """Effects ready to apply; `parties` is what `trust: parties` reaches."""
        return tuple(self.effect(e, parties) for e in effects)

    def effect(self, e: CEffect, parties: tuple[str, ...]) -> PlannedEffect:
        match e.kind:
            case Target.METRIC:
                reaches: tuple[Reach, ...] = (Reach(self.key(e.ids[0]), self.key(e.ids[0]), ""),)
            case Target.RESOURCE:
                reaches = (Reach(e.ids[0], self.res[e.ids[0]], ""),)
            case Target.FLAG:
                reaches = (Reach(e.ids[0], self.flags[e.ids[0]], ""),)
            case Target.INCOME:
                reaches = (Reach(e.ids[0], self.income_keys[e.ids[0]], ""),)
            case Target.TRUST:
                everyone = parties if e.scope == "parties" else tuple(self.partners)
                partners = (self.partners[sid] for sid in e.ids or everyone)
                reaches = tuple(Reach(p.id, p.trust, p.gone) for p in partners)
            case Target.REVEAL:
                reaches = tuple(Reach(p, self.partners[p].trust, "") for p in e.ids)
            case _:
                assert_never(e.kind)
        return PlannedEffect(
            target=e.kind,
            is_set=e.op is Op.SET,
            reaches=reaches,
            amount=self.amount(e.value),
            when=e.when.fn if e.when is not None else None,
            cause=e.cause,
            line=e.line,
            reveals=(e.disagreement, e.what),
        )

    def amount(self, value: Compiled) -> Fn:
        """How an effect's amount is computed: a constant as it is, an amount computed from
        discrete names only kept by their values, any other computed afresh."""
        if value.is_constant:
            constant = value.constant
            return lambda v: constant
        if value.names <= self.discrete:
            return kept_amount(value, tuple(self.key(n) for n in sorted(value.names)))
        return value.fn

    # ---- the steps' rows ---------------------------------------------------------------

    def _strategy(self, sid: str) -> StrategyRow:
        s, key = self.scenario, self.key
        st = s.strategies[sid]
        exclusive = tuple(
            o
            for o in s.strategies
            if o in st.exclusive_with or sid in s.strategies[o].exclusive_with
        )
        return StrategyRow(
            id=sid,
            active=key(names.ACTIVE(sid)),
            turns=key(names.ACTIVE_TURNS(sid)),
            each_turn=self.effects(st.each_turn),
            on_activate=self.effects(st.on_activate),
            on_early_end=self.effects(st.on_early_end),
            exclusive=exclusive,
        )

    def _talks(self, d: CDisagreement) -> TalksRow:
        key = self.key
        return TalksRow(
            id=d.id,
            open=key(names.OPEN(d.id)),
            open_turns=key(names.OPEN_TURNS(d.id)),
            agreed=key(names.AGREED(d.id)),
            agreed_turn=key(names.AGREED_TURN(d.id)),
            failed=key(names.FAILED(d.id)),
            deadline=d.deadline,
            pressure=self.effects(d.pressure, d.parties),
            on_agree=self.effects(d.on_agree, d.parties),
            on_fail=self.effects(d.on_fail, d.parties),
            proposal_costs=tuple((self.res[r], a) for r, a in d.proposal_cost),
            proposal_cause=f"{d.label}: proposal",
            rejection_cause=f"{d.label}: proposal rejected",
            broken=key(names.BROKEN(d.id)),
            holds=self._holds(d),
            on_breach=self.effects(d.on_breach, d.parties),
            reopens=d.reopens,
            payment_causes={
                p: f"{d.label}: side payment to {self.scenario.model.stakeholders[p].name}"
                for p in d.parties
            },
        )

    def _holds(self, d: CDisagreement) -> tuple[tuple[str | None, str, Fn], ...]:
        written = self.scenario.model.disagreements[d.id]
        out: list[tuple[str | None, str, Fn]] = []
        if d.holds_while is not None:
            out.append((None, str(written.holds_while), d.holds_while.fn))
        for party in d.parties:
            pref = d.preferences.get(party)
            if pref is not None and pref.holds_while is not None:
                source = str(written.preferences[party].holds_while)
                out.append((party, source, pref.holds_while.fn))
        return tuple(out)

    def _step_rows(self) -> None:
        s, m, where = self.scenario, self.scenario.model, self.scenario.where
        # The counters that grow by one each turn while their flag is set (a strategy active,
        # talks open), and a function reading those flags.
        counting = [(st.active, st.turns) for st in self.strategies.values()]
        counting += [(t.open, t.open_turns) for t in self.talks.values()]
        self.counters = tuple(counter for _, counter in counting)
        self.read_counting = getter(tuple(flag for flag, _ in counting))
        self.read_active = getter(tuple(st.active for st in self.strategies.values()))
        self.income = [
            Income(
                resource=r,
                key=self.res[r],
                income=self.income_keys[r],
                carry=res.carry,
                line=line,
                unspent=UNSPENT,
                cause=f"{res.label}: income",
            )
            for r, res in m.resources.items()
            for line in (where.get(f"resources.{r}", 0),)
        ]
        self.contribution_rows = [
            Contribution(
                self.partners[k],
                tuple((r, self.res[r], base) for r, base in st.provides.items()),
                f"Contribution: {st.name}",
                where.get(f"stakeholders.{k}", 0),
            )
            for k, st in m.stakeholders.items()
            if st.provides
        ]
        self.upkeep = [
            Upkeep(
                k,
                self.strategies[k].active,
                tuple(
                    (self.res[r], a, Change(Target.RESOURCE, r, -a, f"{st.label}: upkeep", st.line))
                    for r, a in st.upkeep
                    if a
                ),
                f"{st.label} ended: its upkeep could not be paid.",
            )
            for k, st in s.strategies.items()
            if any(a for _, a in st.upkeep)
        ]
        self.read_upkeep_active = getter(tuple(row.active for row in self.upkeep))
        self.storage = [
            Storage(
                r,
                self.res[r],
                LARGEST if res.max is None else res.max,
                f"{res.label}: {'at most 10^15' if res.max is None else 'storage'}",
                where.get(f"resources.{r}", 0),
                f"{res.label}: never below 0",
            )
            for r, res in m.resources.items()
        ]
        self.stock_rows = {row.resource: row for row in self.storage}
        self.spending = [
            Spending(r, allocated, f"Allocated to {s.lines[lid].label}", s.lines[lid].line)
            for (lid, r), (_, allocated) in self.slots.items()
        ]
        self.read_allocated = getter(tuple(row.allocated for row in self.spending))
        self.read_stocks = getter(tuple(row.key for row in self.storage))
        self.tops = tuple(row.top for row in self.storage)
        self.events = [
            EventRow(
                eid,
                self.fired[eid],
                ev.turn,
                ev.once,
                ev.when.fn if ev.when else None,
                ev.chance,
                self.effects(ev.effects),
                bool(ev.choices),
            )
            for eid, ev in s.events.items()
        ]
        # The events that may fire on each turn, in file order: those of any turn and those of
        # that turn.
        self.events_at = {
            t: [e for e in self.events if e.turn is None or e.turn == t]
            for t in range(1, m.turns + 1)
        }
        self.line_effects = self.effects(e for line in s.lines.values() for e in line.effects)
        self.rules = self._rule_blocks()
        self.bounds = (
            [
                Bound(
                    Target.METRIC,
                    self.key(mid),
                    self.key(mid),
                    mt.min,
                    mt.max,
                    mt.label,
                    where.get(f"metrics.{mid}", 0),
                )
                for mid, mt in m.metrics.items()
            ]
            + [
                Bound(
                    Target.TRUST,
                    sid,
                    self.partners[sid].trust,
                    0,
                    100,
                    st.name,
                    where.get(f"stakeholders.{sid}", 0),
                )
                for sid, st in m.stakeholders.items()
            ]
            + [
                Bound(
                    Target.INCOME,
                    rid,
                    self.income_keys[rid],
                    0,
                    LARGEST,
                    f"{res.label} income",
                    where.get(f"resources.{rid}", 0),
                )
                for rid, res in m.resources.items()
            ]
        )
        self.read_bounded = getter(tuple(b.key for b in self.bounds))
        self.lowest = tuple(b.low for b in self.bounds)
        self.highest = tuple(b.high for b in self.bounds)
        self.leavers = [
            Leaver(self.partners[sid], st.withdraws_below)
            for sid, st in m.stakeholders.items()
            if st.withdraws_below is not None
        ]
        self.read_leavers_trust = getter(tuple(leaver.partner.trust for leaver in self.leavers))
        self.leaving_below = tuple(leaver.below for leaver in self.leavers)
        endings = s.endings.items()
        self.each_turn_endings = [(e, en.when.fn) for e, en in endings if en.check == "each_turn"]
        self.at_end_endings = [(e, en.when.fn) for e, en in endings if en.check == "at_end"]

    def _rule_blocks(self) -> list[RuleRow]:
        """The rules in file order, as blocks to apply. A rule's condition is tested once,
        before its first effect; for a rule of one effect that is the same as the effect
        carrying the condition, so consecutive such rules (and rules without a condition) are
        one block: one pass of the effect loop instead of one per rule."""
        blocks: list[RuleRow] = []
        run: list[PlannedEffect] = []
        for rule in self.scenario.rules:
            effects = self.effects(rule.effects)
            if rule.when is None:
                run += effects
            elif len(effects) == 1:
                run.append(effects[0]._replace(when=_both(rule.when.fn, effects[0].when)))
            else:
                if run:
                    blocks.append(RuleRow(None, tuple(run)))
                    run = []
                blocks.append(RuleRow(rule.when.fn, effects))
        if run:
            blocks.append(RuleRow(None, tuple(run)))
        return blocks


def _both(first: Fn, then: Fn | None) -> Fn:
    """A condition, then another (tested only when the first holds)."""
    if then is None:
        return first
    second = then
    return lambda v: first(v) and second(v)


def kept_amount(value: Compiled, inputs: tuple[str, ...]) -> Fn:
    """`value`'s guarded function, its results kept by the values of its (discrete) names: the
    same inputs come back turn after turn, and a lookup costs less than the arithmetic. A
    result that gave a warning is not kept: the warning is due every time."""
    fn, read = value.fn, getter(inputs)
    known: dict[tuple[Any, ...], Any] = {}

    def amount(v: Values) -> Any:
        seen = read(v)
        result = known.get(seen)
        if result is None:
            warnings = v[WARNINGS]
            count = len(warnings)
            result = fn(v)
            if len(warnings) == count and len(known) < CACHE_LIMIT:
                known[seen] = result
        return result

    return amount


def getter(keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function giving the values of `keys` in a mapping as a tuple (itemgetter gives a bare
    value for one key)."""
    if len(keys) == 1:
        (only,) = keys
        return lambda v: (v[only],)
    if not keys:
        return lambda v: ()
    return operator.itemgetter(*keys)


def _keys(scenario: Scenario) -> Callable[[str], str]:
    """Every key as the very string object the values are keyed by (Scenario.canonical): a
    lookup by the same object skips comparing text."""
    canonical = scenario.canonical

    def key(text: str) -> str:
        return canonical.get(text, text)

    return key


_plans: weakref.WeakKeyDictionary[Scenario, Plan] = weakref.WeakKeyDictionary()


def plan_of(scenario: Scenario) -> Plan:
    """The scenario's plan, built on first use and shared while the scenario lives."""
    plan = _plans.get(scenario)
    if plan is None:
        plan = _plans[scenario] = Plan(scenario)
    return plan
