"""The negotiation analysis: each party's utility against its reservation, the Nash package,
and whether a package better for every party existed."""

from __future__ import annotations

import math
from collections.abc import Mapping

from game.debrief.conditions import condition_text
from game.debrief.model import (
    PACKAGES_ANALYSED,
    BreachView,
    NegotiationReview,
    Package,
    PartyAnswerView,
    PartyStake,
    ProposalView,
    SidePayment,
)
from game.engine import Game
from game.negotiation import TOLERANCE, nash_package, packages, pareto_better, utility
from game.scenario.compiled import CDisagreement


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


def review_negotiation(game: Game, did: str) -> NegotiationReview:
    """The analysis of one disagreement (KeyError when the scenario has no such disagreement)."""
    d = game.s.disagreements[did]
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
    proposals = tuple(
        ProposalView(
            record.turn,
            _as_package(d, dict(record.package)),
            record.agreed,
            tuple(
                PartyAnswerView(a.party, a.accepts, a.utility, a.objection) for a in record.answers
            ),
        )
        for report in game.reports
        for record in report.proposals
        if record.disagreement == did
    )
    count = math.prod(len(options) for options in d.issues.values())
    analysed = count <= PACKAGES_ANALYSED
    acceptable, better = 0, None
    if analysed:
        acceptable = sum(1 for pkg in packages(d) if nash_product(d, parties, pkg) is not None)
        if package is not None:
            better = best_better(d, parties, dict(package))
        else:
            better = _better_than_no_deal(d, parties, nash)
    return NegotiationReview(
        id=did,
        label=d.label,
        status=status.status,
        opened_turn=status.opened_turn or None,
        deadline=d.deadline,
        agreed_turn=status.agreed_turn or None,
        failed_turn=next((r.turn for r in game.reports if did in r.failed), None),
        package=package,
        proposals=proposals,
        parties=stakes,
        nash_package=nash,
        nash_product=nash_product(d, parties, dict(nash)) if nash else None,
        agreed_product=nash_product(d, parties, dict(package)) if package else None,
        acceptable=acceptable,
        packages=count,
        better_package=better,
        analysed=analysed,
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
    return tuple(review_negotiation(game, did) for did in game.s.disagreements)
