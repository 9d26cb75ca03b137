"""The instructor's negotiation calculator (`accord talks`): every package of a disagreement
(or the best ones when there are many) with each party's value and verdict at a given turn and
trust, which party blocks it, the Pareto frontier, and each party's offer, by the engine's own
rules (game/negotiation.py). Pure: the command prints what this computes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from game.negotiation import (
    MAX_PACKAGES,
    TOLERANCE,
    agreement_reached,
    bounded_packages,
    lowest_accepted,
    offer,
    package_count,
    payment_to_accept,
    tau,
    utility,
)
from game.scenario.compiled import CDisagreement, Scenario

Package = tuple[tuple[str, str], ...]
# The most package comparisons spent looking for the Pareto frontier (three parties or more).
PARETO_CHECKS = 1_000_000


@dataclass(frozen=True, slots=True)
class Row:
    """One package: each party's value and verdict (in party order), agreed or not, who blocks
    it, and whether it is on the Pareto frontier (of the packages looked at)."""

    package: Package
    values: tuple[float, ...]
    accepts: tuple[bool, ...]
    agreed: bool
    blocks: tuple[str, ...]
    pareto: bool
    # For a blocked package that side payments would see agreed: (party, resource, units)
    # for each refusing party that takes them, as the greedy bot would pay it
    # (game.negotiation.payment_to_accept; the stock left aside).
    bought: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    disagreement: str
    turn: int
    opened: int  # the turn the talks are taken to have opened
    tau: float
    trust: Mapping[str, float]
    floors: Mapping[str, float]  # the lowest value each party accepts then
    total: int  # packages in the disagreement
    looked: int  # packages looked at (all of them up to MAX_PACKAGES)
    rows: tuple[Row, ...]  # agreed first, then by joint value
    offers: Mapping[str, Package]  # () when the party accepts no package then
    pareto_complete: bool = True  # False: the frontier was not looked for among every row


def opening_turn(d: CDisagreement) -> int:
    """The turn talks open on, as far as the file says (its `opens.turn`; 1 with a `when` only)."""
    return d.opens_turn if d.opens_turn is not None else 1


def table(s: Scenario, did: str, turn: int, trust: Mapping[str, float]) -> Table:
    """The calculator's table of `did` at `turn` with each party's `trust` (the start trust
    for a party not given), every party present."""
    d = s.disagreements[did]
    levels = {p: float(trust.get(p, s.model.stakeholders[p].trust)) for p in d.parties}
    opened = opening_turn(d)
    t = tau(turn, opened, d.deadline)
    floors = {p: lowest_accepted(d.preferences[p], t, levels[p]) for p in d.parties}
    offers: dict[str, Package] = {}
    for p in d.parties:
        found = offer(d, p, floors[p], [q for q in d.parties if q != p])
        offers[p] = tuple((i, found[i]) for i in d.issues) if found else ()
    chosen = [tuple(pkg.items()) for pkg in bounded_packages(d)]
    seen = set(chosen)
    for package in offers.values():
        if package and package not in seen:
            seen.add(package)
            chosen.append(package)
    rows = [_row(d, package, floors) for package in chosen]
    rows.sort(key=lambda r: (not r.agreed, -sum(r.values)))
    marked, complete = _pareto(rows)
    return Table(
        did,
        turn,
        opened,
        t,
        levels,
        floors,
        package_count(d),
        len(chosen),
        tuple(marked),
        offers,
        complete,
    )


def _row(d: CDisagreement, package: Package, floors: Mapping[str, float]) -> Row:
    chosen = dict(package)
    values = tuple(utility(d.preferences[p], chosen) for p in d.parties)
    accepts = tuple(v >= floors[p] for p, v in zip(d.parties, values, strict=True))
    accepting = [p for p, ok in zip(d.parties, accepts, strict=True) if ok]
    agreed = agreement_reached(d, accepting, d.parties)
    refusing = tuple(p for p in d.parties if p not in accepting)
    vetoing = tuple(p for p in refusing if p in d.vetoes)
    blocks = () if agreed else (vetoing or refusing)
    bought = () if agreed else _bought(d, values, floors, accepting)
    return Row(package, values, accepts, agreed, blocks, False, bought)


def _bought(
    d: CDisagreement, values: tuple[float, ...], floors: Mapping[str, float], accepting: list[str]
) -> tuple[tuple[str, str, int], ...]:
    """The side payments that would see a blocked package agreed, as `Row.bought` says; ()
    when they cannot (a party that takes none, or would need more than its most)."""
    paid: list[tuple[str, str, int]] = []
    now = list(accepting)
    for party, value in zip(d.parties, values, strict=True):
        if party in accepting:
            continue
        payment = payment_to_accept(d.preferences[party], value, floors[party])
        if payment is not None:
            paid.append((party, *payment))
            now.append(party)
    return tuple(paid) if paid and agreement_reached(d, now, d.parties) else ()


def _pareto(rows: list[Row]) -> tuple[list[Row], bool]:
    """The rows with each one on the Pareto frontier marked (no other package looked at is as
    good for every party and better for one), and whether every row was judged. By joint
    value, best first, a package can only be dominated by one before it, and then by one on
    the frontier; two parties need one sweep. Beyond PARETO_CHECKS comparisons the rest are
    left unmarked (and the table says so)."""
    order = sorted(range(len(rows)), key=lambda k: (-sum(rows[k].values), k))
    on: set[int] = set()
    complete = True
    if rows and len(rows[0].values) == 2:
        best_second = -math.inf
        last: tuple[float, ...] | None = None
        for k in sorted(range(len(rows)), key=lambda k: (-rows[k].values[0], -rows[k].values[1])):
            us = rows[k].values
            if us[1] > best_second + TOLERANCE or (last is not None and _same(us, last)):
                on.add(k)
                last = us
            best_second = max(best_second, us[1])
    else:
        frontier: list[tuple[float, ...]] = []
        checks = 0
        for k in order:
            us = rows[k].values
            checks += len(frontier)
            if checks > PARETO_CHECKS:
                complete = False
                break
            if not any(_dominates(f, us) for f in frontier):
                frontier.append(us)
                on.add(k)
    return [_with_pareto(row) if k in on else row for k, row in enumerate(rows)], complete


def _same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=True))


def _with_pareto(row: Row) -> Row:
    return Row(row.package, row.values, row.accepts, row.agreed, row.blocks, True, row.bought)


def _dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(x >= y - TOLERANCE for x, y in zip(a, b, strict=True)) and any(
        x > y + TOLERANCE for x, y in zip(a, b, strict=True)
    )


def capped_words(t: Table) -> str:
    """What was left out, in a sentence ('' when every package was looked at)."""
    parts = []
    if t.looked < t.total:
        parts.append(
            f"{t.total:,} packages, more than {MAX_PACKAGES:,}: looked at {t.looked:,} of them "
            "(the first in file order, and each party's offer); the frontier is among those"
        )
    if not t.pareto_complete:
        parts.append(
            f"the Pareto frontier was looked for with at most {PARETO_CHECKS:,} comparisons: "
            "packages of lower joint value are left unmarked"
        )
    return "; ".join(parts)
