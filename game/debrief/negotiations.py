"""The negotiation analysis: each refused proposal judged at the turn and trust it was made
(what each party accepted then, by how much the package fell short, a package that would
have passed then), and after the game each party's utility against its reservation, the
Nash package, and whether a package better for every party existed.

Every verdict goes through game.negotiation's rules (threshold, τ, accepts,
agreement_reached): the review judges as the engine played. The analysis after the game
assumes what it says: every party at its reservation value, its threshold at the deadline
with trust 50, and every party present."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from game.debrief.conditions import condition_text
from game.debrief.model import (
    PACKAGES_ANALYSED,
    PACKAGES_JUDGED,
    PROPOSALS_JUDGED,
    BreachView,
    Judgement,
    NegotiationReview,
    Package,
    PartyAnswerView,
    PartyMoment,
    PartyStake,
    ProposalView,
    SidePayment,
)
from game.engine import Game, Propose
from game.negotiation import (
    TOLERANCE,
    accepts,
    agreement_reached,
    nash_package,
    packages,
    pareto_better,
    tau,
    threshold,
    utility,
)
from game.scenario import names
from game.scenario.compiled import CDisagreement

# The moment the "best package" analysis assumes: the deadline (τ = 1), where a party's
# threshold is its reservation value when trust is at its neutral 50.
AT_DEADLINE = 1.0
NEUTRAL_TRUST = 50.0
# Utilities kept per disagreement while judging its proposals (packages near one proposal are
# near the next); past this the store is emptied and refilled.
KEPT_UTILITIES = 100_000


@dataclass(frozen=True, slots=True)
class Moment:
    """What the engine saw when a proposal was put: how far the talks had run, each party's
    trust, the parties present."""

    tau: float
    trust: Mapping[str, float]
    present: tuple[str, ...]


def proposal_moments(game: Game) -> list[Moment]:
    """The moment of every proposal in the action log, in order (the n-th is the moment of
    the n-th proposal record in the reports), from the log replayed on a fresh game."""
    replay = Game.new(game.s, game.seed)
    out = []
    for action in game.actions:
        if isinstance(action, Propose):
            d = game.s.disagreements[action.disagreement]
            v = replay.values
            opened = replay.turn - int(v[names.OPEN_TURNS(d.id)]) + 1
            out.append(
                Moment(
                    tau(replay.turn, opened, d.deadline),
                    {p: float(v[names.TRUST(p)]) for p in d.parties},
                    tuple(p for p in d.parties if not v[names.WITHDRAWN(p)]),
                )
            )
        replay.apply(action)
    return out


def rule_words(game: Game, d: CDisagreement) -> str:
    """The agreement rule: 'every party', or '2 of 3, including the United Nations'."""
    if d.needs is None:
        return "every party"
    who = game.s.model.stakeholders
    vetoes = " and ".join(who[p].name for p in d.vetoes)
    return f"{d.needs} of {len(d.parties)}" + (f", including {vetoes}" if vetoes else "")


class Utilities:
    """Each party's value of packages of one disagreement, kept (bounded) while judging."""

    def __init__(self, d: CDisagreement) -> None:
        self.d = d
        self.kept: dict[tuple[str, ...], tuple[float, ...]] = {}

    def __call__(self, package: Mapping[str, str]) -> dict[str, float]:
        key = tuple(package[i] for i in self.d.issues)
        found = self.kept.get(key)
        if found is None:
            if len(self.kept) >= KEPT_UTILITIES:
                self.kept.clear()
            prefs = self.d.preferences
            found = self.kept[key] = tuple(utility(prefs[p], package) for p in self.d.parties)
        return dict(zip(self.d.parties, found, strict=True))


def nearest(d: CDisagreement, base: Mapping[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Every package with how many issues it changes from `base`: `base` itself, then one
    issue changed (issues and options in file order), then two, and so on. Lazy: a caller
    stops when it has weighed enough."""
    issues = list(d.issues)
    for k in range(len(issues) + 1):
        for chosen in itertools.combinations(issues, k):
            others = [[o for o in d.issues[i] if o != base[i]] for i in chosen]
            for combo in itertools.product(*others):
                yield k, dict(base) | dict(zip(chosen, combo, strict=True))


def passes(
    d: CDisagreement,
    values: Mapping[str, float],
    moment: Moment,
    extra: Mapping[str, float] | None = None,
) -> bool:
    """Whether the engine would agree a package the parties value so, at this moment.
    `extra` is a value a party gets besides the package (e.g. a side payment to it)."""
    more = extra or {}
    accepting = [
        p
        for p in moment.present
        if accepts(values[p] + more.get(p, 0.0), d.preferences[p], moment.tau, moment.trust[p])
    ]
    return agreement_reached(d, accepting, moment.present)


def judge(
    d: CDisagreement,
    package: Mapping[str, str],
    moment: Moment,
    values_of: Utilities,
    proposed: Mapping[str, float] | None = None,
    extra: Mapping[str, float] | None = None,
    most: int = PACKAGES_JUDGED,
) -> Judgement:
    """A proposal judged at its moment: each present party's threshold then against its value
    of the package (`proposed`: the values the engine recorded, when known), and the package
    nearest to it that would have passed then (fewest issues changed; the most value to the
    parties present among those; the first in file order on a tie). Weighs at most `most`
    packages, nearest first."""
    more = extra or {}
    own = values_of(package)
    if proposed is not None:
        own = dict(own) | dict(proposed)
    moments = tuple(
        PartyMoment(
            p,
            moment.trust[p],
            threshold(d.preferences[p], moment.tau, moment.trust[p]),
            own[p] + more.get(p, 0.0),
            accepts(own[p] + more.get(p, 0.0), d.preferences[p], moment.tau, moment.trust[p]),
        )
        for p in moment.present
    )
    total = math.prod(len(options) for options in d.issues.values())
    complete = total <= most
    weighed = count = 0
    best: tuple[int, float, dict[str, str]] | None = None
    for k, pkg in nearest(d, package):
        if weighed >= most or (best is not None and k > best[0] and not complete):
            break
        weighed += 1
        values = values_of(pkg)
        if k == 0 or not passes(d, values, moment, extra):
            continue  # (the proposal itself was refused: judged above)
        count += 1
        joint = sum(values[p] for p in moment.present)
        if best is None or (k == best[0] and joint > best[1] + TOLERANCE):
            best = (k, joint, pkg)
    return Judgement(
        tau=moment.tau,
        parties=moments,
        passing=_as_package(d, best[2]) if best else None,
        changed=best[0] if best else 0,
        weighed=weighed,
        complete=complete and weighed == total,
        passing_count=count if complete and weighed == total else None,
    )


def agreeable_at_reservation(d: CDisagreement, package: Mapping[str, str]) -> bool:
    """Whether the agreement rule (needs, vetoes) passes a package when every party stands at
    its reservation value (its threshold at the deadline, trust 50) and every party is present."""
    moment = Moment(AT_DEADLINE, dict.fromkeys(d.parties, NEUTRAL_TRUST), d.parties)
    return passes(d, {p: utility(d.preferences[p], package) for p in d.parties}, moment)


def nash_product(
    d: CDisagreement, parties: tuple[str, ...], package: Mapping[str, str]
) -> float | None:
    """Π (u_p − res_p) over the parties; None when the package is below a party's reservation."""
    product = 1.0
    for party in parties:
        pref = d.preferences[party]
        gain = utility(pref, package) - pref.reservation
        if gain < -TOLERANCE:
            return None
        product *= max(gain, 0.0)
    return product


def _as_package(d: CDisagreement, options: Mapping[str, str]) -> Package:
    return tuple((issue, options[issue]) for issue in d.issues)


def best_better(
    d: CDisagreement, parties: tuple[str, ...], base: Mapping[str, str]
) -> Package | None:
    """The package that is at least as good for every party as `base` and strictly better for
    one, with the largest total gain over `base` (file order on a tie); None when none exists."""
    if pareto_better(d, list(parties), base) is None:
        return None
    before = {p: utility(d.preferences[p], base) for p in parties}
    best: tuple[float, dict[str, str]] | None = None
    for pkg in packages(d):
        gains = [utility(d.preferences[p], pkg) - before[p] for p in parties]
        if min(gains) < -TOLERANCE or max(gains) <= TOLERANCE:
            continue
        if best is None or sum(gains) > best[0] + TOLERANCE:
            best = (sum(gains), pkg)
    return _as_package(d, best[1]) if best else None


def _better_than_no_deal(
    d: CDisagreement, parties: tuple[str, ...], nash: Package | None
) -> Package | None:
    """Without an agreement each party keeps its reservation value: the Nash package is better
    for every party when it clears every reservation and improves on at least one."""
    if nash is None:
        return None
    gains = [utility(d.preferences[p], dict(nash)) - d.preferences[p].reservation for p in parties]
    return nash if max(gains) > TOLERANCE else None


def review_negotiation(
    game: Game, did: str, moments: list[Moment] | None = None
) -> NegotiationReview:
    """The analysis of one disagreement (KeyError when the scenario has no such disagreement).
    `moments`: `proposal_moments(game)`, when the caller has them already."""
    d = game.s.disagreements[did]
    if moments is None:
        moments = proposal_moments(game)
    status = game.state.disagreements[did]
    parties = d.parties
    agreed = status.status == "agreed"
    package: Package | None = _as_package(d, dict(status.package)) if agreed else None
    # Past PACKAGES_ANALYSED packages (30 two-option issues make a billion) the analysis is
    # left out, and the debrief says so.
    too_many = math.prod(len(options) for options in d.issues.values()) > PACKAGES_ANALYSED
    nash_options = None if too_many else nash_package(d, list(parties))
    nash = _as_package(d, nash_options) if nash_options is not None else None
    names = game.s.model.stakeholders
    stakes = tuple(
        PartyStake(
            party,
            names[party].name,
            d.preferences[party].reservation,
            utility(d.preferences[party], dict(package)) if package else None,
            utility(d.preferences[party], dict(nash)) if nash else None,
            party in game.state.withdrawn,
        )
        for party in parties
    )
    values_of = Utilities(d)
    # Every proposal in the order made: the turns played, then the turn in progress.
    records = [record for report in game.reports for record in report.proposals]
    records += game.proposals_now
    if len(moments) != len(records):  # not this game's log: judge nothing rather than wrongly
        moments = []
    proposals, judged, unjudged = [], 0, 0
    for k, record in enumerate(records):
        if record.disagreement != did:
            continue
        judgement = None
        moment = moments[k] if moments else None
        if not record.agreed and moment is not None and judged < PROPOSALS_JUDGED:
            recorded = {a.party: a.utility for a in record.answers}
            judgement = judge(d, dict(record.package), moment, values_of, recorded)
            judged += 1
        elif not record.agreed and moment is not None:
            unjudged += 1
        answers = tuple(
            PartyAnswerView(a.party, a.accepts, a.utility, a.objection) for a in record.answers
        )
        package_ = _as_package(d, dict(record.package))
        proposals.append(ProposalView(record.turn, package_, record.agreed, answers, judgement))
    count = math.prod(len(options) for options in d.issues.values())
    analysed = count <= PACKAGES_ANALYSED
    acceptable, better = 0, None
    if analysed:
        acceptable = sum(1 for pkg in packages(d) if agreeable_at_reservation(d, pkg))
        if package is not None:
            better = best_better(d, parties, dict(package))
        else:
            better = _better_than_no_deal(d, parties, nash)
    return NegotiationReview(
        id=did,
        label=d.label,
        status=status.status,
        opened_turn=status.opened_turn or None,
        deadline=game.deadline_of(did),  # a reopened agreement's new one after a breach
        agreed_turn=status.agreed_turn or None,
        failed_turn=next((r.turn for r in game.reports if did in r.failed), None),
        package=package,
        proposals=tuple(proposals),
        parties=stakes,
        nash_package=nash,
        nash_product=nash_product(d, parties, dict(nash)) if nash else None,
        agreed_product=nash_product(d, parties, dict(package)) if package else None,
        acceptable=acceptable,
        packages=count,
        better_package=better,
        analysed=analysed,
        rule=rule_words(game, d),
        unjudged=unjudged,
        side_payments=tuple(
            SidePayment(record.turn, party, rid, n)
            for report in game.reports
            for record in report.proposals
            if record.disagreement == did and record.agreed
            for party, units in record.transfers
            for rid, n in units
        ),
        offered=sum(
            1
            for report in game.reports
            for record in report.proposals
            if record.disagreement == did and record.transfers
        ),
        breaches=tuple(
            BreachView(
                report.turn, b.party, condition_text(game.s, b.condition), b.reopened_deadline
            )
            for report in game.reports
            for b in report.breaches
            if b.disagreement == did
        ),
    )


def review_negotiations(game: Game) -> tuple[NegotiationReview, ...]:
    """Every disagreement of the scenario, in file order."""
    moments = proposal_moments(game)
    return tuple(review_negotiation(game, did, moments) for did in game.s.disagreements)
