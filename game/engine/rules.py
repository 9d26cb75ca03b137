"""The rules of a turn, in the order of "A turn, in order" (docs/scenario-format.md).

`Rules` holds a game's scenario, its plan (game/engine/plan.py: the scenario's keys and rows,
built once) and its board (game/engine/state.py: everything that changes). `Game`
(game/engine/game.py) adds the player's API on top. Every change is recorded in the turn's
ledger, by the effect loop (`apply_effects`) or by `move`, so the ledger explains each movement
of every value; problems met on the way go to the turn's warnings (`warn`).
"""

from __future__ import annotations

import math
import operator
from enum import Enum
from itertools import compress
from types import MappingProxyType
from typing import Any, assert_never

from game.engine.actions import Transfers
from game.engine.plan import (
    CACHE_LIMIT,
    LARGEST,
    Effects,
    KeptContribution,
    KeptOffer,
    Package,
    Plan,
    PlannedEffect,
    StrategyRow,
    TalksRow,
    TurnOffers,
    plan_of,
)
from game.engine.report import (
    ARRIVED,
    LIMIT,
    QUEUED,
    Breach,
    Change,
    Known,
    PartyAnswer,
    ProposalRecord,
    TurnReport,
)
from game.engine.state import Board, Queued
from game.negotiation import (
    accepts,
    agreement_reached,
    best_option,
    first_accepted,
    lowest_accepted,
    objection,
    offer,
    preferred_options,
    still_possible,
    tau,
    transfer_value,
    utility,
)
from game.scenario import names
from game.scenario.compiled import Scenario
from game.scenario.expr import HISTORY, WARNINGS
from game.scenario.models import Target

NOTHING_KNOWN = Known()
__all__ = ["ARRIVED", "LIMIT", "QUEUED", "Phase", "Rules"]


class Phase(Enum):
    """When an effect applies: resource effects apply at once in a decision (and at the
    openings), and are queued for the next turn's income during resolution."""

    DECISION = "decision"
    RESOLUTION = "resolution"


class Rules:
    """A game's state and the rules that move it."""

    def __init__(self, scenario: Scenario, board: Board) -> None:
        self.s = scenario
        self.plan: Plan = plan_of(scenario)
        self.board = board

    # ---- step 1: income ----------------------------------------------------------------

    def start_turn(self) -> None:
        """Steps 1 and 2 of a new turn: income, then openings. The player then decides."""
        b, v, plan = self.board, self.board.values, self.plan
        b.begin_turn()
        v[names.TURN] = b.turn
        b.before = plan.read_watched(v)
        b.stocks_before = plan.read_stocks(v)
        self.count_turns()
        self.income()
        self.contributions()
        self.arrivals()
        self.upkeep()
        self.storage()
        self.openings()
        self.state_offers()

    def count_turns(self) -> None:
        """Allocations start again from 0; `active_turns` and `open_turns` count this turn."""
        v, plan = self.board.values, self.plan
        v.update(plan.no_allocations)
        for counter in compress(plan.counters, plan.read_counting(v)):
            v[counter] += 1

    def income(self) -> None:
        """Each resource: non-`carry` stock resets to 0, then its income (`per_turn`, as
        `income` effects have changed it) is added."""
        v = self.board.values
        for row in self.plan.income:
            old = v[row.key]
            if not row.carry and old:
                self.move(Target.RESOURCE, row.resource, row.key, 0, row.unspent, row.line)
                old = 0
            income = int(v[row.income])  # whole units: a fraction of income waits
            if income:
                self.move(Target.RESOURCE, row.resource, row.key, old + income, row.cause, row.line)

    def contributions(self) -> None:
        """Every present partner gives `contribution(base, trust)` of each resource, rounded
        down. The result depends on trust, base (and perhaps turn) only, so it is kept per
        scenario with its ledger lines, and computed again only for new values."""
        b, v, plan = self.board, self.board.values, self.plan
        b.contributions = {}
        when = b.turn if plan.contribution_uses_turn else 0
        for row in plan.contribution_rows:
            partner = row.partner
            if v[partner.gone]:
                continue
            level = v[partner.trust]
            kept = plan.contributions.get((partner.id, level, when))
            if kept is None:
                kept, warned = self.contribution(row.provides, level, row.cause, row.line)
                if not warned and len(plan.contributions) < CACHE_LIMIT:
                    plan.contributions[partner.id, level, when] = kept
            given, moves = kept
            b.contributions[partner.id] = given
            for key, amount, change in moves:
                v[key] += amount
                b.ledger.append(change)

    def contribution(
        self, provides: tuple[tuple[str, str, float], ...], level: float, cause: str, line: int
    ) -> tuple[KeptContribution, bool]:
        """What a partner gives at this trust, by resource, and its stock moves with their
        ledger lines; and whether it gave a warning (then it is not kept: each problem is
        reported when it happens)."""
        problems: list[str] = []
        env: dict[str, Any] = {names.TURN: self.board.turn, names.TURNS: self.s.turns}
        env[names.PARTNER_TRUST], env[WARNINGS] = level, problems
        given = {}
        moves = []
        for rid, key, base in provides:
            env[names.BASE] = base
            given[rid] = amount = max(0, math.floor(self.s.contribution.fn(env)))
            if amount:
                moves.append((key, amount, Change(Target.RESOURCE, rid, amount, cause, line)))
        self.board.warnings += problems
        return (MappingProxyType(given), tuple(moves)), bool(problems)

    def arrivals(self) -> None:
        """Resource changes queued by last turn's resolution arrive (held within 0 and 10^15;
        `storage` holds them within `max`)."""
        b, v = self.board, self.board.values
        for rid, amount, cause, line, is_set in b.queued:
            key = self.plan.res[rid]
            new = amount if is_set else v[key] + amount
            self.move_stock(rid, key, new, cause, line, LARGEST, ARRIVED)
        b.queued = []

    def upkeep(self) -> None:
        """Each active strategy's upkeep is paid, in file order; a strategy whose upkeep
        cannot be paid ends instead."""
        v, ledger, plan = self.board.values, self.board.ledger, self.plan
        for row in compress(plan.upkeep, plan.read_upkeep_active(v)):
            if all(v[key] >= amount for key, amount, _ in row.costs):
                for key, amount, change in row.costs:
                    v[key] -= amount
                    ledger.append(change)
            else:
                self.warn(row.ended)
                self.end_strategy(self.plan.strategies[row.strategy], Phase.DECISION)

    def storage(self) -> None:
        """Each stock is held within its `max` (within 10^15 when it has none)."""
        v, plan = self.board.values, self.plan
        if not any(map(operator.gt, plan.read_stocks(v), plan.tops)):
            return  # every stock within its storage: the usual case
        for row in plan.storage:
            if v[row.key] > row.top:
                self.move(
                    Target.RESOURCE, row.resource, row.key, row.top, row.cause, row.line, LIMIT
                )

    # ---- step 2: openings --------------------------------------------------------------

    def openings(self) -> None:
        """Disagreements whose `opens` matches open; then events fire, in file order."""
        if len(self.board.opened) < len(self.plan.talks):
            self.open_talks()
        self.fire_events()

    def open_talks(self) -> None:
        b, v, turn = self.board, self.board.values, self.board.turn
        for did, d in self.s.disagreements.items():
            if did in b.opened:
                continue
            if d.opens_turn is not None and turn < d.opens_turn:
                continue
            if d.opens_when is not None and not d.opens_when.fn(v):
                continue
            if turn > d.deadline:
                continue  # a disagreement whose deadline has passed never opens
            talks = self.plan.talks[did]
            b.opened[did] = turn
            v[talks.open] = True
            v[talks.open_turns] = 1
            b.opened_now.append(did)
            if not still_possible(d, self.present(d.parties)):
                self.fail(talks, Phase.RESOLUTION)

    def fire_events(self) -> None:
        """An event fires when its `turn` and `when` match, it may fire (`once`), and its
        `chance` roll succeeds; one with choices waits for the trainee's answer."""
        b, v = self.board, self.board.values
        for event in self.plan.events_at[b.turn]:  # those of any turn and of this one
            if event.once and v[event.fired]:
                continue
            if event.when is not None and not event.when(v):
                continue
            if event.chance < 1 and not b.rng.random() < event.chance:
                continue
            v[event.fired] = True
            b.fired_now.append(event.id)
            self.apply_effects(event.effects, Phase.DECISION)
            if event.waits:
                b.pending.append(event.id)

    # ---- offers: what each party would accept now (information only) -------------------

    def state_offers(self) -> None:
        """At the start of a turn, after the openings: each present party of open talks states
        its offer (`offers: each_turn`, the default), or only once it has refused a proposal
        there (`after_refusal`); none with `offers: none`. Offers change no value: an
        `each_turn` turn's offers are noted by their inputs (`offers_due`) and worked out when
        first read (`settle_offers`), so a game nobody reads them in never pays for them
        (a tenth of a random bot's game on hybrid_mandate)."""
        b, v = self.board, self.board.values
        b.offers = {}
        for did, d in self.s.disagreements.items():
            if d.offers == "none" or not v[self.plan.talks[did].open]:
                continue
            if d.offers == "each_turn":
                b.offers_due.append(self.offer_inputs(did))
                continue
            refused = b.refused.get(did, ())
            for party in self.present(d.parties):
                if party in refused:
                    self.state_offer(did, party)

    def offer_inputs(self, did: str) -> tuple[Any, ...]:
        """All a turn's offers on `did` depend on: the disagreement, the turn, the turn the
        talks (last) opened, a reopened deadline (0: the disagreement's own), and each party's
        withdrawal and trust (in party order)."""
        b, v = self.board, self.board.values
        opened, deadline = b.opened[did], b.deadlines.get(did, 0)
        return (did, b.turn, opened, deadline, *map(v.__getitem__, self.plan.offer_inputs[did]))

    def settle_offers(self, did: str | None = None) -> None:
        """The offers noted since they were last read, worked out: this turn's are stated,
        and what every noted turn's offers disclosed is learnt. With `did`, only this turn's
        offers on `did` are stated: what they disclose is learnt at the next full settling."""
        b = self.board
        if did is not None:
            for key in b.offers_due:
                if key[0] == did and key[1] == b.turn:
                    b.offers[did] = self.all_offers(key)[0]
            return
        for key in b.offers_due:
            stated, disclosed = self.all_offers(key)
            if key[1] == b.turn:
                b.offers[key[0]] = stated
            for party, kept in disclosed:
                self.learn(key[0], party, options=kept)
        b.offers_due.clear()

    def all_offers(self, key: tuple[Any, ...]) -> TurnOffers:
        """Every present party's offer for a turn's inputs (see `offer_inputs`), and the issues
        where each keeps its best option; kept whole per inputs."""
        plan = self.plan
        made = plan.turn_offers.get(key)
        if made is None:
            did, turn, opened, deadline, *inputs = key
            parties = self.s.disagreements[did].parties
            trust = dict(zip(parties, inputs[1::2], strict=True))
            present = [p for p, gone in zip(parties, inputs[0::2], strict=True) if not gone]
            at = (turn, opened, deadline)
            found = [(p, *self.offer_of(did, p, present, at, trust[p])) for p in present]
            made = (
                tuple((party, package) for party, package, _ in found),
                tuple((party, kept) for party, _, kept in found if kept),
            )
            if len(plan.turn_offers) < CACHE_LIMIT:
                plan.turn_offers[key] = made
        return made

    def state_offer(self, did: str, party: str) -> None:
        """`party`'s offer on `did` as things stand, alone (`offers: after_refusal`)."""
        b, d, v = self.board, self.s.disagreements[did], self.board.values
        at = (b.turn, b.opened[did], b.deadlines.get(did, 0))
        trust = v[self.plan.partners[party].trust]
        package, kept = self.offer_of(did, party, self.present(d.parties), at, trust)
        stated = dict(b.offers.get(did, ())) | {party: package}
        b.offers[did] = tuple((p, stated[p]) for p in d.parties if p in stated)
        if kept:
            self.learn(did, party, options=kept)

    def offer_of(
        self, did: str, party: str, present: list[str], at: tuple[int, int, int], trust: float
    ) -> KeptOffer:
        """`party`'s offer on `did` (game.negotiation.offer; () when it accepts no package)
        at (turn, turn the talks opened, reopened deadline or 0) with its trust, and the
        issues on which it keeps the party's best option (what the offer discloses). It
        depends on the party's lowest accepted value and on who is present only, so it is
        kept."""
        d, plan = self.s.disagreements[did], self.plan
        pref = d.preferences[party]
        turn, opened, deadline = at
        floor = lowest_accepted(pref, tau(turn, opened, deadline or d.deadline), trust)
        others = tuple(p for p in present if p != party)
        key = (did, party, floor, others)
        known = plan.offers.get(key)
        if known is None:
            ranking = plan.offer_ranking(did, party, others)
            if ranking is not None:  # the packages in the party's order: the first accepted
                found = first_accepted(ranking, floor)
            else:  # too many packages to rank: the bounded greedy search
                found = offer(d, party, floor, others)
            package = tuple((i, found[i]) for i in d.issues) if found else ()
            kept = tuple(i for i, option in package if option == best_option(pref, i))
            known = (package, kept)
            if len(plan.offers) < CACHE_LIMIT:
                plan.offers[key] = known
        return known

    def learn(
        self, did: str, party: str, weights: bool = False, options: tuple[str, ...] = ()
    ) -> None:
        """The trainee learns more of a party's position."""
        revealed = self.board.revealed
        known = revealed.get((did, party), NOTHING_KNOWN)
        more = known.learn(weights, options)
        if more is not known:
            revealed[did, party] = more

    # ---- step 3: decisions (the changes they make; game.py checks and applies them) ----

    def activate(self, strategy: StrategyRow) -> None:
        st = self.s.strategies[strategy.id]
        self.pay(st.cost, f"{st.label}: activation", st.line)
        v = self.board.values
        v[strategy.active] = True
        v[strategy.turns] = 1
        self.apply_effects(strategy.on_activate, Phase.DECISION)

    def end_strategy(self, strategy: StrategyRow, phase: Phase) -> None:
        """A strategy ends; `on_early_end` applies when it ran fewer than `min_turns`."""
        v = self.board.values
        early = v[strategy.turns] < self.s.strategies[strategy.id].min_turns
        v[strategy.active] = False
        v[strategy.turns] = 0
        self.board.ended_turn[strategy.id] = self.board.turn
        if early:
            self.apply_effects(strategy.on_early_end, phase)

    def choose(self, event: str, choice: str) -> None:
        b = self.board
        b.pending.remove(event)
        b.values[self.plan.chose[event, choice]] = True
        b.choices.append((event, choice))
        self.apply_effects(self.plan.choice_effects[event, choice], Phase.DECISION)

    def propose(
        self, did: str, package: Package, force: bool = False, transfers: Transfers = ()
    ) -> ProposalRecord:
        """A package is put to the parties (in the disagreement's issue order): each present
        party accepts when its value of the package (with the side payments `transfers` offers
        it) reaches its threshold now. Enough accept: the side payments are paid, and it is
        agreed. Otherwise each party that refused names its objection and trust with it drops
        by 1. `force` (previews only) makes every party accept."""
        d, talks, b = self.s.disagreements[did], self.plan.talks[did], self.board
        v = b.values
        self.pay(d.proposal_cost, talks.proposal_cause, d.line)
        t = tau(b.turn, b.opened[did], self.deadline(talks))
        offered = dict(transfers) if transfers else {}
        present, accepting, answers = [], [], []
        for party, (value, worst) in zip(d.parties, self.package_values(did, package), strict=True):
            partner = self.plan.partners[party]
            if v[partner.gone]:
                continue
            present.append(party)
            if offered and party in offered:
                value += transfer_value(d.preferences[party], dict(offered[party]))
            ok = force or accepts(value, d.preferences[party], t, v[partner.trust])
            if ok:
                accepting.append(party)
            if ok:
                answers.append(PartyAnswer(party, True, value, None))
            else:
                pref = d.preferences[party]
                prefers = preferred_options(pref, worst, dict(package)[worst])
                floor = lowest_accepted(pref, t, v[partner.trust])
                answers.append(PartyAnswer(party, False, value, worst, prefers, floor))
        agreed = agreement_reached(d, accepting, present)
        if agreed:
            if transfers:
                self.pay_transfers(talks, transfers)
            self.agree(talks, package)
        else:
            self.refused(did, answers)
            for answer in answers:
                if not answer.accepts:
                    partner = self.plan.partners[answer.party]
                    new = v[partner.trust] - 1
                    self.move(
                        Target.TRUST,
                        answer.party,
                        partner.trust,
                        new,
                        talks.rejection_cause,
                        d.line,
                    )
        record = ProposalRecord(b.turn, did, package, tuple(answers), agreed, transfers)
        b.proposals.append(record)
        return record

    def refused(self, did: str, answers: list[PartyAnswer]) -> None:
        """Each refusal is remembered; below `hard` it discloses the party's preferred option
        on the issue it names; with `offers: after_refusal` the party states its offer now."""
        b, d = self.board, self.s.disagreements[did]
        for answer in answers:
            if answer.accepts or answer.objection is None:
                continue
            if answer.party not in b.refused.get(did, ()):
                b.refused[did] = (*b.refused.get(did, ()), answer.party)
            if self.s.model.difficulty != "hard":
                self.learn(did, answer.party, options=(answer.objection,))
            if d.offers == "after_refusal":
                self.state_offer(did, answer.party)

    def pay_transfers(self, talks: TalksRow, transfers: Transfers) -> None:
        """An agreed package's side payments leave the unallocated stock (checked when it was
        proposed), party by party, each a ledger line of its own."""
        v, line = self.board.values, self.s.disagreements[talks.id].line
        for party, units in transfers:
            for rid, amount in units:
                key = self.plan.res[rid]
                cause = talks.payment_causes[party]
                self.move(Target.RESOURCE, rid, key, v[key] - amount, cause, line)

    def deadline(self, talks: TalksRow) -> int:
        """The talks' deadline: the disagreement's, or the one they reopened with."""
        return self.board.deadlines.get(talks.id, talks.deadline)

    def package_values(self, did: str, package: Package) -> tuple[tuple[float, str], ...]:
        """Each party's value of a package and the issue that costs it most. They depend on
        the package only, so they are kept (bots propose the same packages again and again)."""
        known = self.plan.package_values.get((did, package))
        if known is None:
            d, chosen = self.s.disagreements[did], dict(package)
            known = tuple(
                (utility(d.preferences[p], chosen), objection(d.preferences[p], chosen))
                for p in d.parties
            )
            if len(self.plan.package_values) < CACHE_LIMIT:
                self.plan.package_values[did, package] = known
        return known

    def agree(self, talks: TalksRow, package: Package) -> None:
        """Agreed: each chosen option's once-`outcomes` apply, then `on_agree`."""
        b, v = self.board, self.board.values
        v[talks.open] = False
        v[talks.agreed] = True
        v[talks.agreed_turn] = b.turn
        b.packages[talks.id] = package
        b.agreed_now.append(talks.id)
        for issue, option in package:
            v[self.plan.option_chosen[talks.id, issue, option]] = True
            self.apply_effects(
                self.plan.outcomes_once.get((talks.id, issue, option), ()), Phase.DECISION
            )
        self.apply_effects(talks.on_agree, Phase.DECISION)

    def fail(self, talks: TalksRow, phase: Phase) -> None:
        """The talks fail: `on_fail` applies."""
        v = self.board.values
        v[talks.open] = False
        v[talks.failed] = True
        self.board.failed_now.append(talks.id)
        self.apply_effects(talks.on_fail, phase)

    # ---- step 4: resolution ------------------------------------------------------------

    def resolve(self) -> None:
        """Step 4, in its fixed order."""
        self.spend_allocations()
        self.apply_effects(self.plan.line_effects, Phase.RESOLUTION)
        self.strategies_each_turn()
        self.agreed_outcomes_each_turn()
        self.breaches()
        self.pressure()
        self.deadlines()
        self.rules()
        self.clamp()
        self.withdrawals()

    def spend_allocations(self) -> None:
        """The units allocated this turn left their stock when allocated: the ledger says so
        here, one line per line of effort and resource, before the lines' effects."""
        record, plan = self.board.ledger.append, self.plan
        allocated = plan.read_allocated(self.board.values)
        for row, units in compress(zip(plan.spending, allocated, strict=True), allocated):
            record(
                Change(
                    kind=Target.RESOURCE,
                    target=row.resource,
                    amount=-units,
                    cause=row.cause,
                    line=row.line,
                )
            )

    def strategies_each_turn(self) -> None:
        plan = self.plan
        active = plan.read_active(self.board.values)
        for strategy in compress(plan.strategies.values(), active):
            self.apply_effects(strategy.each_turn, Phase.RESOLUTION)

    def agreed_outcomes_each_turn(self) -> None:
        """Agreed options' `each_turn` outcomes, in the order the talks were agreed."""
        for did, package in self.board.packages.items():
            for issue, option in package:
                self.apply_effects(
                    self.plan.outcomes_each.get((did, issue, option), ()), Phase.RESOLUTION
                )

    def breaches(self) -> None:
        """Agreements whose condition fails break, from the turn after agreement, in the order
        they were agreed: the disagreement's own condition first, then each present party's.
        A broken agreement's `each_turn` outcomes stop and its options are no longer chosen;
        `on_breach` applies; with `reopens`, the talks open again at once with a new
        deadline (τ restarts from this turn)."""
        if not self.plan.breakable:
            return  # no agreement of this scenario can break: the usual case
        b, v, turn = self.board, self.board.values, self.board.turn
        for did in list(b.packages):
            talks = self.plan.talks[did]
            if not talks.holds or v[talks.agreed_turn] >= turn:
                continue
            failing = next(
                (
                    (party, source)
                    for party, source, holds in talks.holds
                    if (party is None or not v[self.plan.partners[party].gone]) and not holds(v)
                ),
                None,
            )
            if failing is not None:
                self.breach(talks, *failing)

    def breach(self, talks: TalksRow, party: str | None, condition: str) -> None:
        b, v, turn = self.board, self.board.values, self.board.turn
        package = b.packages.pop(talks.id)
        v[talks.agreed] = False
        v[talks.agreed_turn] = 0
        v[talks.broken] = True
        for issue, option in package:
            v[self.plan.option_chosen[talks.id, issue, option]] = False
        deadline = None
        if talks.reopens is not None:
            deadline = b.deadlines[talks.id] = turn + talks.reopens
            b.opened[talks.id] = turn
            v[talks.open] = True
        b.broken_now.append(Breach(talks.id, party, condition, deadline))
        self.apply_effects(talks.on_breach, Phase.RESOLUTION)

    def pressure(self) -> None:
        v = self.board.values
        for talks in self.plan.talks.values():
            if talks.pressure and v[talks.open]:
                self.apply_effects(talks.pressure, Phase.RESOLUTION)

    def deadlines(self) -> None:
        """Talks still open at the end of their deadline turn fail."""
        v, turn, reopened = self.board.values, self.board.turn, self.board.deadlines
        for talks in self.plan.talks.values():
            if v[talks.open] and turn >= reopened.get(talks.id, talks.deadline):
                self.fail(talks, Phase.RESOLUTION)

    def rules(self) -> None:
        v = self.board.values
        for rule in self.plan.rules:
            if rule.when is None or rule.when(v):
                self.apply_effects(rule.effects, Phase.RESOLUTION)

    def clamp(self) -> None:
        """Every metric and trust value, and every income, is clamped to its bounds ("limit
        reached")."""
        plan, v = self.plan, self.board.values
        values = plan.read_bounded(v)
        if all(map(operator.le, plan.lowest, values)) and all(
            map(operator.le, values, plan.highest)
        ):
            return  # all within their bounds: the usual case
        for bound, value in zip(plan.bounds, values, strict=True):
            if value < bound.low or value > bound.high:
                new = min(max(value, bound.low), bound.high)
                self.move(bound.target, bound.id, bound.key, new, bound.cause, bound.line, LIMIT)

    def withdrawals(self) -> None:
        """Partners under `withdraws_below` withdraw: their strategies end, and talks that can
        no longer be agreed fail. Until no one else leaves."""
        b, v, plan = self.board, self.board.values, self.plan
        if not any(map(operator.lt, plan.read_leavers_trust(v), plan.leaving_below)):
            return  # nobody under the trust at which it leaves (or gone already): the usual case
        leaving = True
        while leaving:
            leaving = False
            for leaver in self.plan.leavers:
                partner = leaver.partner
                if v[partner.gone] or v[partner.trust] >= leaver.below:
                    continue
                v[partner.gone] = True
                b.withdrawn_now.append(partner.id)
                leaving = True
                for sid, st in self.s.strategies.items():
                    strategy = self.plan.strategies[sid]
                    if partner.id in st.partners and v[strategy.active]:
                        self.end_strategy(strategy, Phase.RESOLUTION)
                for did, d in self.s.disagreements.items():
                    talks = self.plan.talks[did]
                    if v[talks.open] and not still_possible(d, self.present(d.parties)):
                        self.fail(talks, Phase.RESOLUTION)
            if leaving:
                self.clamp()

    # ---- step 5: endings ---------------------------------------------------------------

    def end_turn(self) -> TurnReport:
        """Resolution, then endings, and the turn's report (`close_turn`); then the next
        turn's income and openings."""
        report = self.close_turn()
        if not self.board.finished:
            self.start_turn()
        return report

    def close_turn(self) -> TurnReport:
        """Steps 4 and 5: resolution, then endings; the turn's report."""
        b = self.board
        for event in b.pending:
            self.warn(f"{self.s.events[event].title} lapsed: none of its choices was open.")
        b.pending = []
        self.resolve()
        after = self.plan.read_watched(b.values)
        b.readings.append(after)
        ending = self.ending_now()
        if ending is not None or b.turn >= self.s.turns:
            b.finished = True
            b.ending = ending
        report = self.report(after)
        b.reports.append(report)
        return report

    def ending_now(self) -> str | None:
        """`each_turn` endings in file order; after the last turn, `at_end` endings."""
        v = self.board.values
        for eid, holds in self.plan.each_turn_endings:
            if holds(v):
                return eid
        if self.board.turn >= self.s.turns:
            for eid, holds in self.plan.at_end_endings:
                if holds(v):
                    return eid
        return None

    def report(self, after: tuple[float, ...]) -> TurnReport:
        b = self.board
        values = dict(b.values)
        del values[WARNINGS]
        report = TurnReport(
            turn=b.turn,
            changes=tuple(b.ledger),
            watched=self.plan.watched,
            before=b.before,
            after=after,
            events=tuple(b.fired_now),
            choices=tuple(b.choices),
            proposals=tuple(b.proposals[b.proposals_start :]),
            opened=tuple(b.opened_now),
            agreed=tuple(b.agreed_now),
            failed=tuple(b.failed_now),
            withdrawn=tuple(b.withdrawn_now),
            warnings=tuple(dict.fromkeys(b.warnings)),
            ending=b.ending,
            values=MappingProxyType(values),  # every name's value at the end of resolution
            stocks_before=b.stocks_before,
            stocks_after=self.plan.read_stocks(b.values),
        )
        # Added apart: one more keyword would make every report's call build a dict (the
        # compiler's limit on a call's stack), 400 bytecodes a random game.
        return report._replace(breaches=tuple(b.broken_now)) if b.broken_now else report

    # ---- effects and the ledger --------------------------------------------------------

    def apply_effects(self, effects: Effects, phase: Phase) -> None:
        """Effects in order: check `when`, compute the amount, apply it to its target, record
        the change in the ledger."""
        v, record = self.board.values, self.board.ledger.append
        for e in effects:
            if e.when is not None and not e.when(v):
                continue
            amount = e.amount(v)
            match e.target:
                case Target.METRIC | Target.TRUST | Target.INCOME:
                    for reach in e.reaches:
                        if reach.gone and v[reach.gone]:
                            continue  # a withdrawn partner's trust no longer moves
                        old = v[reach.key]
                        new = amount if e.is_set else old + amount
                        if new != old:
                            v[reach.key] = new
                            # Most of a game's changes are recorded here, so here and in
                            # `move` alone a Change is built without the NamedTuple's
                            # Python-level __new__ and its call: about 400 changes a random
                            # hybrid_mandate game, 5,000 bytecodes saved of its 90,000
                            # (benchmarks/engine.py --bytecodes).
                            record(
                                tuple.__new__(
                                    Change, (e.target, reach.id, new - old, e.cause, e.line, "")
                                )
                            )
                case Target.RESOURCE:
                    self.resource_effect(e, int(amount), phase)
                case Target.FLAG:
                    self.flag_effect(e, amount)
                case Target.REVEAL:
                    self.reveal(e)
                case _:
                    assert_never(e.target)

    def resource_effect(self, e: PlannedEffect, amount: int, phase: Phase) -> None:
        """Whole units, at once in a decision, queued for the next income in resolution."""
        ((rid, key, _),) = e.reaches
        match phase:
            case Phase.DECISION:
                new = amount if e.is_set else self.board.values[key] + amount
                self.move_stock(rid, key, new, e.cause, e.line, self.plan.stock_rows[rid].top)
            case Phase.RESOLUTION:
                # A queued `set` is kept as a set: the stock becomes that amount on arrival.
                self.board.queued.append(Queued(rid, amount, e.cause, e.line, e.is_set))
                note = f"set to {amount}, {QUEUED}" if e.is_set else QUEUED
                moved = 0 if e.is_set else amount
                self.board.ledger.append(Change(Target.RESOURCE, rid, moved, e.cause, e.line, note))
            case _:
                assert_never(phase)

    def reveal(self, e: PlannedEffect) -> None:
        """A `reveal` effect: the trainee learns the parties' weights, preferred options, or
        both, in one disagreement. It changes no value, so the ledger does not list it."""
        did, what = e.reveals
        issues = tuple(self.s.disagreements[did].issues)
        weights = what in ("weights", "all")
        options = issues if what in ("options", "all") else ()
        for reach in e.reaches:
            self.learn(did, reach.id, weights, options)

    def flag_effect(self, e: PlannedEffect, amount: Any) -> None:
        """A flag stays within 10^15 either way: an effect that would take it beyond is
        skipped, with a warning."""
        ((flag, key, _),) = e.reaches
        old = self.board.values[key]
        try:
            new = float(amount) if e.is_set else old + amount
            ok = -LARGEST <= new <= LARGEST
        except OverflowError:  # a whole number too large for a float
            ok = False
        if ok:
            self.move(Target.FLAG, flag, key, new, e.cause, e.line)
        else:
            self.warn(
                f"{e.cause}: flag {flag} would go beyond 10^15 either way; it stays at {old:g}."
            )

    def move_stock(
        self, rid: str, key: str, new: int, cause: str, line: int, top: int, note: str = ""
    ) -> None:
        """A stock becomes `new`, held within 0 and `top`: the change is recorded with its
        cause, and the holding as a change of its own ("limit reached")."""
        self.move(Target.RESOURCE, rid, key, new, cause, line, note)
        held = min(max(0, new), top)
        if held != new:
            row = self.plan.stock_rows[rid]
            why = row.floor if held > new else row.cause
            self.move(Target.RESOURCE, rid, key, held, why, row.line, LIMIT)

    def pay(self, cost: tuple[tuple[str, int], ...], cause: str, line: int) -> None:
        v = self.board.values
        for rid, amount in cost:
            key = self.plan.res[rid]
            self.move(Target.RESOURCE, rid, key, v[key] - amount, cause, line)

    def move(
        self, target: Target, ident: str, key: str, new: Any, cause: str, line: int, note: str = ""
    ) -> None:
        """A value becomes `new`; the ledger records the change (when there is one)."""
        v = self.board.values
        old = v[key]
        if new != old:
            v[key] = new
            # Built without the NamedTuple's Python-level __new__, as in `apply_effects`.
            change = (target, ident, new - old, cause, line, note)
            self.board.ledger.append(tuple.__new__(Change, change))

    def warn(self, message: str) -> None:
        self.board.warnings.append(message)

    # ---- reading the state ---------------------------------------------------------------

    def present(self, parties: tuple[str, ...]) -> list[str]:
        """The parties that have not withdrawn."""
        v, partners = self.board.values, self.plan.partners
        return [p for p in parties if not v[partners[p].gone]]

    def history(self) -> dict[str, list[float]]:
        """Each metric's value at the end of every finished turn: the readings' columns."""
        metrics, readings = self.plan.watched.metrics, self.board.readings
        if not readings:
            return {mid: [] for mid in metrics}
        return dict(zip(metrics, map(list, zip(*readings, strict=True)), strict=False))

    def environment(self) -> dict[str, Any]:
        """The current values with each metric's history: what `score` and `lessons` read."""
        env = dict(self.board.values)
        env[HISTORY] = self.history()
        env[WARNINGS] = []
        return env
