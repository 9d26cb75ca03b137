"""The negotiation rules, in one place: what a package is worth to a party, what it accepts at a
given moment, when enough parties accept, and the analysis after the game (Nash, Pareto).

Below both game.scenario and game.engine: the engine plays by these rules, `validate` warns with
them and the debrief judges with them, so none of them keeps a copy. The functions take any
object with the attributes of a party's preferences (`Preference`) or of a disagreement
(`Talks`): game.scenario's compiled records have them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Iterator, Mapping
from typing import Protocol

# A package exactly at a party's threshold is accepted, as with points on paper: floating-point
# sums must not turn 0.55 into 0.5499999.
TOLERANCE = 1e-9
# How far trust moves a party's threshold: 0.002 per point of trust away from 50.
TRUST_EFFECT = 0.002


class Preference(Protocol):
    """A party's preferences over a disagreement's issues."""

    @property
    def weights(self) -> Mapping[str, float]: ...  # by issue, normalised to sum 1
    @property
    def values(self) -> Mapping[str, Mapping[str, float]]: ...  # by issue, then option
    @property
    def reservation(self) -> float: ...
    @property
    def aspiration(self) -> float: ...
    @property
    def exponent(self) -> float: ...  # the concession exponent e


class Talks(Protocol):
    """A disagreement, as far as its negotiation is concerned."""

    @property
    def parties(self) -> tuple[str, ...]: ...
    @property
    def needs(self) -> int | None: ...  # None: every party still present
    @property
    def vetoes(self) -> tuple[str, ...]: ...
    @property
    def issues(self) -> Mapping[str, tuple[str, ...]]: ...  # issue -> options, in file order
    @property
    def preferences(self) -> Mapping[str, Preference]: ...


def utility(
    pref: Preference, package: Mapping[str, str], transfers: Mapping[str, int] | None = None
) -> float:
    """u_p = Σ_i w_{p,i} · v_{p,i}(option_i), weights normalised at load; plus what the units
    `transfers` gives the party are worth to it (`transfer_value`), when given."""
    value = sum(w * pref.values[issue][package[issue]] for issue, w in pref.weights.items())
    return value + transfer_value(pref, transfers) if transfers else value


def tau(turn: int, opened_turn: int, deadline: int) -> float:
    """How far the talks have run towards their deadline: 0 when they open, 1 at the deadline."""
    t = (turn - opened_turn) / max(1, deadline - opened_turn)
    return min(1.0, max(0.0, t))


def threshold(pref: Preference, t: float, trust: float) -> float:
    """res + (asp − res) · (1 − τ^(1/e)) − 0.002 · (trust − 50)."""
    concede = t ** (1.0 / pref.exponent) if t > 0 else 0.0
    span = pref.aspiration - pref.reservation
    return pref.reservation + span * (1.0 - concede) - TRUST_EFFECT * (trust - 50.0)


def lowest_accepted(pref: Preference, t: float, trust: float) -> float:
    """The lowest value of a package the party accepts at time τ and this trust."""
    return threshold(pref, t, trust) - TOLERANCE


def accepts(value: float, pref: Preference, t: float, trust: float) -> bool:
    """Whether a party that values a package at `value` accepts it at time τ and this trust."""
    return value >= lowest_accepted(pref, t, trust)


def objection(pref: Preference, package: Mapping[str, str]) -> str:
    """The issue whose chosen option costs this party the most weighted value against its best
    option for that issue (the first such issue in file order on a tie)."""
    best_issue, best_cost = "", -1.0
    for issue, w in pref.weights.items():
        values = pref.values[issue]
        cost = w * (max(values.values()) - values[package[issue]])
        if cost > best_cost + TOLERANCE:
            best_issue, best_cost = issue, cost
    return best_issue


def agreement_reached(talks: Talks, accepting: Collection[str], present: Collection[str]) -> bool:
    """Enough parties accept: every party (the default), or at least `needs` of those present
    including every veto holder."""
    if talks.needs is None:
        return all(p in accepting and p in present for p in talks.parties)
    if not all(v in accepting and v in present for v in talks.vetoes):
        return False
    return sum(1 for p in accepting if p in present) >= talks.needs


def still_possible(talks: Talks, present: Collection[str]) -> bool:
    """Whether the parties still present can reach the agreement the disagreement needs."""
    return agreement_reached(talks, [p for p in talks.parties if p in present], present)


def packages(talks: Talks) -> Iterator[dict[str, str]]:
    """Every package (one option per issue), in file order."""
    issues = list(talks.issues)
    for combo in itertools.product(*(talks.issues[i] for i in issues)):
        yield dict(zip(issues, combo, strict=True))


def nash_package(talks: Talks, parties: list[str]) -> dict[str, str] | None:
    """The package with the largest product of gains over reservation, among packages every
    party accepts at its reservation value; None when no such package exists."""
    best: tuple[float, dict[str, str]] | None = None
    for pkg in packages(talks):
        gains = [
            utility(talks.preferences[p], pkg) - talks.preferences[p].reservation for p in parties
        ]
        if any(g < -TOLERANCE for g in gains):
            continue
        product = 1.0
        for g in gains:
            product *= max(g, 0.0)
        if best is None or product > best[0] + TOLERANCE:
            best = (product, pkg)
    return best[1] if best else None


def pareto_better(
    talks: Talks, parties: list[str], package: Mapping[str, str]
) -> dict[str, str] | None:
    """A package at least as good for every party and strictly better for one, if any."""
    base = {p: utility(talks.preferences[p], package) for p in parties}
    for pkg in packages(talks):
        us = {p: utility(talks.preferences[p], pkg) for p in parties}
        if all(us[p] >= base[p] - TOLERANCE for p in parties) and any(
            us[p] > base[p] + TOLERANCE for p in parties
        ):
            return pkg
    return None


# ---- offers, directions and bounded package work (issue 16) ------------------------------

# The most packages any one call enumerates (offers, the calculator, validate's checks): a
# disagreement with more is searched greedily instead (`offer`) or looked at in part, and the
# caller says so.
MAX_PACKAGES = 4096


def package_count(talks: Talks) -> int:
    """How many packages a disagreement has (one option per issue)."""
    count = 1
    for options in talks.issues.values():
        count *= len(options)
    return count


def bounded_packages(talks: Talks, most: int = MAX_PACKAGES) -> Iterator[dict[str, str]]:
    """The first `most` packages in file order (all of them when there are no more)."""
    return itertools.islice(packages(talks), most)


def preferred_options(pref: Preference, issue: str, chosen: str) -> tuple[str, ...]:
    """The options of `issue` this party values more than `chosen`, best first (file order on
    a tie): where it wants the package to move on that issue."""
    values = pref.values[issue]
    mine = values[chosen]
    better = [o for o in values if values[o] > mine + TOLERANCE]
    return tuple(sorted(better, key=lambda o: -values[o]))  # sorted() is stable: file order


def best_option(pref: Preference, issue: str) -> str:
    """The option of `issue` this party values most (the first in file order on a tie)."""
    values = pref.values[issue]
    top = max(values.values())
    return next(o for o in values if values[o] >= top - TOLERANCE)


def offer(talks: Talks, party: str, floor: float, others: Collection[str]) -> dict[str, str] | None:
    """The package `party` offers now: among the packages it accepts now (its value at least
    `floor`, its lowest accepted value), the one the `others` value most together, the first in
    file order on a tie; None when it accepts no package now.

    Exact when the disagreement has at most MAX_PACKAGES packages. Beyond, a greedy trade-off
    search (bounded by the number of options): start from the package the others value most,
    then, while the party would refuse it, move the one issue that gains the party most for
    what it costs the others (a concession the party asks for), until it accepts."""
    if package_count(talks) <= MAX_PACKAGES:
        return first_accepted(offer_ranking(talks, party, others), floor)
    prefs = talks.preferences
    theirs = [prefs[p] for p in others if p != party]
    return _greedy_offer(talks, prefs[party], theirs, floor)


def offer_ranking(
    talks: Talks, party: str, others: Collection[str]
) -> list[tuple[float, dict[str, str]]]:
    """Every package (at most MAX_PACKAGES of them, in file order) with its value to `party`,
    ordered as `party` offers them: the others' joint value, highest first; values equal to
    nine decimals keep file order. It depends on no turn or trust: the engine keeps it."""
    prefs = talks.preferences
    mine = prefs[party]
    theirs = [prefs[p] for p in others if p != party]
    rows = [
        (-round(sum(utility(p, pkg) for p in theirs), 9), k, utility(mine, pkg), pkg)
        for k, pkg in enumerate(bounded_packages(talks))
    ]
    rows.sort(key=lambda row: (row[0], row[1]))
    return [(own, pkg) for _, _, own, pkg in rows]


def first_accepted(
    ranking: list[tuple[float, dict[str, str]]], floor: float
) -> dict[str, str] | None:
    """The first package of an `offer_ranking` the party accepts (its value at least
    `floor`, its lowest accepted value now); None when it accepts none."""
    for own, pkg in ranking:
        if own >= floor - TOLERANCE:
            return pkg
    return None


def _greedy_offer(
    talks: Talks, mine: Preference, theirs: list[Preference], floor: float
) -> dict[str, str] | None:
    def others(issue: str, option: str) -> float:
        return sum(p.weights[issue] * p.values[issue][option] for p in theirs)

    def own(issue: str, option: str) -> float:
        return mine.weights[issue] * mine.values[issue][option]

    pkg = {}
    for issue, options in talks.issues.items():
        top = max(others(issue, o) for o in options)
        pkg[issue] = next(o for o in options if others(issue, o) >= top - TOLERANCE)
    value = utility(mine, pkg)
    while value < floor - TOLERANCE:
        step: tuple[float, str, str] | None = None
        for issue, options in talks.issues.items():
            here_own, here_others = own(issue, pkg[issue]), others(issue, pkg[issue])
            for option in options:
                gain = own(issue, option) - here_own
                if gain <= TOLERANCE:
                    continue
                loss = max(here_others - others(issue, option), 0.0)
                ratio = gain / loss if loss > TOLERANCE else math.inf
                if step is None or ratio > step[0]:
                    step = (ratio, issue, option)
        if step is None:
            return None  # its favourite package and still below what it accepts
        pkg[step[1]] = step[2]
        value = utility(mine, pkg)
    return pkg


def side_payments(pref: Preference) -> Mapping[str, tuple[float, int]]:
    """The resources a party values as side payments: (utility per unit, most units per
    proposal), by resource; empty for a party that values none (and for preferences without
    the field)."""
    found: Mapping[str, tuple[float, int]] = getattr(pref, "side_payments", {})
    return found


def transfer_value(pref: Preference, transfers: Mapping[str, int]) -> float:
    """Σ per_unit · units over the resources transferred to the party that it values (a
    resource it does not value is worth nothing to it)."""
    valued = side_payments(pref)
    return sum(valued[r][0] * units for r, units in transfers.items() if r in valued)


def payment_to_accept(
    pref: Preference, value: float, floor: float, stock: Mapping[str, int] | None = None
) -> tuple[str, int] | None:
    """(resource, units): a side payment that lifts a package worth `value` to the party up
    to `floor`, in the first resource it values (file order) whose units it takes and, when
    `stock` is given, the stock covers; None when there is none (or it accepts already)."""
    for rid in side_payments(pref):
        units = units_to_accept(pref, value, floor, rid)
        if units and (stock is None or units <= stock.get(rid, 0)):
            return rid, units
    return None


def units_to_accept(pref: Preference, value: float, floor: float, resource: str) -> int | None:
    """The fewest units of `resource` that lift a package worth `value` to the party up to
    `floor` (its lowest accepted value): 0 when it already reaches it, None when the party
    does not value the resource or needs more than its most per proposal."""
    if value >= floor:
        return 0
    valued = side_payments(pref).get(resource)
    if valued is None:
        return None
    per_unit, most = valued
    units = max(1, math.ceil((floor - value) / per_unit - TOLERANCE))
    while value + per_unit * units < floor:  # a sum's last bit may fall short
        units += 1
    return units if units <= most else None
