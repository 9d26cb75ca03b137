"""The packages a bot may propose, and which of them the parties would accept now.

Every bot that looks for a deal goes through `options` (the one place packages are
enumerated, so a disagreement with thirty two-option issues costs no more than one with
three) and `agreeable` (the engine's acceptance rule worked out from the game's public
values, without copying the game for each package).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from game.engine import Game, Propose
from game.negotiation import (
    agreement_reached,
    lowest_accepted,
    payment_to_accept,
    side_payments,
    tau,
    utility,
)
from game.playtest.kept import per_scenario
from game.scenario import Scenario, names
from game.scenario.compiled import CDisagreement

MOST_PACKAGES = 4096  # packages weighed per disagreement; beyond, a chosen subset (see capped)
# Packages the searching bots (expert, coverage) weigh per disagreement and turn, best joint
# utility first: they play a plan thousands of times a game.
MOST_SEARCHED = 256


@dataclass(frozen=True, slots=True)
class Options:
    """A disagreement's packages as bots weigh them: each with its utility to every party,
    best joint utility first; `capped` when the disagreement has more than MOST_PACKAGES."""

    disagreement: CDisagreement
    proposals: tuple[Propose, ...]
    utilities: tuple[tuple[float, ...], ...]  # per proposal, per party in d.parties order
    total: int  # how many packages the disagreement has
    capped: bool


def package_count(d: CDisagreement) -> int:
    count = 1
    for opts in d.issues.values():
        count *= len(opts)
    return count


_kept_options = per_scenario(lambda scenario: dict[str, Options]())


def options(scenario: Scenario, did: str) -> Options:
    """The packages of a disagreement (at most MOST_PACKAGES), kept with the scenario."""
    cache = _kept_options(scenario)
    found = cache.get(did)
    if found is None:
        found = cache[did] = _options(scenario.disagreements[did])
    return found


def _options(d: CDisagreement) -> Options:
    issues = list(d.issues)
    total = package_count(d)
    if total <= MOST_PACKAGES:
        chosen = [dict(zip(issues, combo, strict=True)) for combo in _product(d, issues)]
    else:
        chosen = _subset(d, issues)
    prefs = [d.preferences[p] for p in d.parties]
    rows: list[tuple[float, int, Propose, tuple[float, ...]]] = []
    for package in chosen:
        utils = tuple(utility(pref, package) for pref in prefs)
        ordered = tuple((i, package[i]) for i in issues)
        rows.append((-sum(utils), len(rows), Propose(d.id, ordered), utils))
    rows.sort(key=lambda row: (row[0], row[1]))
    return Options(
        d,
        tuple(row[2] for row in rows),
        tuple(row[3] for row in rows),
        total,
        total > MOST_PACKAGES,
    )


def _product(d: CDisagreement, issues: list[str]) -> itertools.product[tuple[str, ...]]:
    return itertools.product(*(d.issues[i] for i in issues))


def _subset(d: CDisagreement, issues: list[str]) -> list[dict[str, str]]:
    """A bounded set of packages for a huge disagreement: the best joint one, each party's
    favourite, and the packages one or two issues away from them."""
    prefs = [d.preferences[p] for p in d.parties]

    def best(weights: list[float]) -> dict[str, str]:
        out = {}
        for issue in issues:
            scores = [
                (sum(w * pref.weights.get(issue, 0.0) * pref.values[issue][o] for w, pref in
                     zip(weights, prefs, strict=True)), -k, o)
                for k, o in enumerate(d.issues[issue])
            ]  # fmt: skip
            out[issue] = max(scores)[2]
        return out

    seeds = [best([1.0] * len(prefs))]
    for k in range(len(prefs)):
        seeds.append(best([1.0 if j == k else 0.1 for j in range(len(prefs))]))
    seen: set[tuple[str, ...]] = set()
    out: list[dict[str, str]] = []

    def add(package: dict[str, str]) -> None:
        key = tuple(package[i] for i in issues)
        if key not in seen and len(out) < MOST_PACKAGES:
            seen.add(key)
            out.append(package)

    for seed in seeds:
        add(seed)
    for seed in seeds:
        for issue in issues:
            for option in d.issues[issue]:
                add(seed | {issue: option})
    for seed in seeds:
        for a, b in itertools.combinations(issues, 2):
            for oa in d.issues[a]:
                for ob in d.issues[b]:
                    add(seed | {a: oa, b: ob})
                    if len(out) >= MOST_PACKAGES:
                        return out
    return out


def agreeable(s: Scenario, game: Game, did: str) -> Propose | None:
    """The proposal on open talks `did` that the parties would agree to now, with the most
    joint utility among the packages weighed; None when none would be agreed."""
    for proposal in agreed(s, game, did):
        return proposal
    return None


def floors_now(d: CDisagreement, game: Game) -> dict[str, float]:
    """The lowest value each present party of open talks `d` accepts now, in party order."""
    present, floors = _floors(game, d)
    return {party: floor for (_, party), floor in zip(present, floors, strict=True)}


def agreed(s: Scenario, game: Game, did: str, most: int | None = None) -> Iterator[Propose]:
    """Every proposal on open talks `did` that the parties would agree to now, best joint
    utility first (among the packages weighed: see `options`; only the `most` best when
    given, for bots that ask thousands of times a game)."""
    values = game.values
    if not values[names.OPEN(did)]:
        return
    found = options(s, did)
    d = found.disagreement
    present, floors = _floors(game, d)
    here = {party for _, party in present}
    rows = zip(found.proposals, found.utilities, strict=True)
    for proposal, utils in itertools.islice(rows, most):
        accepting = {
            party for (k, party), floor in zip(present, floors, strict=True) if utils[k] >= floor
        }
        if agreement_reached(d, accepting, here):
            yield proposal


def offered(s: Scenario, game: Game, did: str) -> Propose | None:
    """The first party's offer on open talks `did` (in party order) that the parties would
    agree to now; None when there is none. Offers are found by the engine over every package
    (greedily beyond MAX_PACKAGES), so one may pass where the packages bots weigh do not."""
    d = s.disagreements[did]
    floors = floors_now(d, game)
    present = list(floors)
    for package in game.offers(did).values():
        if not package:
            continue
        chosen = dict(package)
        accepting = [p for p in present if utility(d.preferences[p], chosen) >= floors[p]]
        if agreement_reached(d, accepting, present):
            return Propose(did, package)
    return None


def _floors(game: Game, d: CDisagreement) -> tuple[list[tuple[int, str]], list[float]]:
    """The parties still present (with their place in d.parties) and the lowest value each
    accepts now, by the engine's rule (τ from the talks' last opening to their deadline)."""
    values = game.values
    t = tau(game.turn, game.opened_turn(d.id), game.deadline_of(d.id))
    present = []
    floors = []
    for k, party in enumerate(d.parties):
        if values[names.WITHDRAWN(party)]:
            continue
        present.append((k, party))
        floors.append(lowest_accepted(d.preferences[party], t, values[names.TRUST(party)]))
    return present, floors


def bought(s: Scenario, game: Game, did: str, most: int = MOST_SEARCHED) -> Propose | None:
    """A proposal on open talks `did` that side payments make pass now: among the `most`
    packages best for all parties together, the first for which each party that would refuse
    it can be paid enough (from the first resource it values that the stock, less the
    proposal's cost and earlier payments, still covers) for enough parties to accept. None
    when the parties value no side payment, or none passes so."""
    d = s.disagreements[did]
    if not game.values[names.OPEN(did)] or not any(
        side_payments(d.preferences[p]) for p in d.parties
    ):
        return None
    found = options(s, did)
    present, floors = _floors(game, d)
    here = {party for _, party in present}
    left = {r: int(game.values[names.RES(r)]) for r in s.model.resources}
    for rid, amount in d.proposal_cost:
        left[rid] -= amount
    rows = zip(found.proposals, found.utilities, strict=True)
    for proposal, utils in itertools.islice(rows, most):
        stock = dict(left)
        accepting, paid = set(), []
        for (k, party), floor in zip(present, floors, strict=True):
            if utils[k] >= floor:
                accepting.add(party)
                continue
            payment = payment_to_accept(d.preferences[party], utils[k], floor, stock)
            if payment is not None:
                rid, units = payment
                stock[rid] -= units
                accepting.add(party)
                paid.append((party, ((rid, units),)))
        if paid and agreement_reached(d, accepting, here):
            return Propose(did, proposal.package, tuple(paid))
    return None


def capped(scenario: Scenario) -> list[str]:
    """A sentence for each disagreement whose packages were not all weighed."""
    out = []
    for did, d in scenario.disagreements.items():
        total = package_count(d)
        weighed = len(options(scenario, did).proposals)
        if total > MOST_PACKAGES:
            out.append(
                f"disagreement {did} has {total:,} packages; bots weighed {weighed:,} of them "
                "(the best for all parties together, each party's favourite, and those one or "
                "two issues away)"
            )
        if weighed > MOST_SEARCHED:
            out.append(
                f"the expert and coverage bots weigh the {MOST_SEARCHED} packages of {did} "
                "best for all parties together, not all of them"
            )
    return out
