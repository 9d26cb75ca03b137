"""Negotiation arithmetic: utilities, time-dependent thresholds, objections, Nash analysis."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

from game.scenario.compiled import CDisagreement, CPreference

TOLERANCE = 1e-9


def utility(pref: CPreference, package: Mapping[str, str]) -> float:
    """u_p = sum of weight * value over the issues (weights normalised at load)."""
    return sum(w * pref.values[issue][package[issue]] for issue, w in pref.weights.items())


def tau(turn: int, opened_turn: int, deadline: int) -> float:
    t = (turn - opened_turn) / max(1, deadline - opened_turn)
    return min(1.0, max(0.0, t))


def threshold(pref: CPreference, t: float, trust: float) -> float:
    """res + (asp - res) * (1 - tau^(1/e)) - 0.002 * (trust - 50)."""
    concede = t ** (1.0 / pref.exponent) if t > 0 else 0.0
    span = pref.aspiration - pref.reservation
    return pref.reservation + span * (1.0 - concede) - 0.002 * (trust - 50.0)


def accepts(pref: CPreference, package: Mapping[str, str], t: float, trust: float) -> bool:
    return utility(pref, package) >= threshold(pref, t, trust) - TOLERANCE


def objection(pref: CPreference, package: Mapping[str, str]) -> str:
    """The issue whose chosen option costs this party the most weighted value."""
    best_issue, best_cost = "", -1.0
    for issue, w in pref.weights.items():
        values = pref.values[issue]
        cost = w * (max(values.values()) - values[package[issue]])
        if cost > best_cost + TOLERANCE:
            best_issue, best_cost = issue, cost
    return best_issue


def agreement_reached(d: CDisagreement, accepting: set[str], present: set[str]) -> bool:
    if d.needs is None:
        return all(p in accepting and p in present for p in d.parties)
    if not all(v in accepting and v in present for v in d.vetoes):
        return False
    return len(accepting & present) >= d.needs


def still_possible(d: CDisagreement, present: set[str]) -> bool:
    """Whether the remaining parties can still reach the agreement the disagreement needs."""
    return agreement_reached(d, set(d.parties) & present, present)


def packages(d: CDisagreement) -> Iterator[dict[str, str]]:
    issues = list(d.issues)
    for combo in itertools.product(*(d.issues[i] for i in issues)):
        yield dict(zip(issues, combo, strict=True))


def nash_package(d: CDisagreement, parties: list[str]) -> dict[str, str] | None:
    """The package with the largest product of gains over reservation, among packages every
    party accepts at its reservation value; None when no such package exists."""
    best: tuple[float, dict[str, str]] | None = None
    for pkg in packages(d):
        gains = [utility(d.preferences[p], pkg) - d.preferences[p].reservation for p in parties]
        if any(g < -TOLERANCE for g in gains):
            continue
        product = 1.0
        for g in gains:
            product *= max(g, 0.0)
        if best is None or product > best[0] + TOLERANCE:
            best = (product, pkg)
    return best[1] if best else None


def pareto_better(
    d: CDisagreement, parties: list[str], package: Mapping[str, str]
) -> dict[str, str] | None:
    """A package at least as good for every party and strictly better for one, if any."""
    base = {p: utility(d.preferences[p], package) for p in parties}
    for pkg in packages(d):
        us = {p: utility(d.preferences[p], pkg) for p in parties}
        if all(us[p] >= base[p] - TOLERANCE for p in parties) and any(
            us[p] > base[p] + TOLERANCE for p in parties
        ):
            return pkg
    return None
