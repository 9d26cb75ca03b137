"""`accord playtest ... --compare OLD.json`: what moved between two playtests of a scenario.

For each policy in both: the change of mean score with its 95% confidence interval (Welch's,
from each batch's mean, standard deviation and runs), the change of each grade's and each
ending's share, each negotiation's agreement rate where it moved; and the items reached by
some policy in one playtest and by none in the other (of the policies both played).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Collection, Mapping
from typing import Any

from game.safe_text import printable

Z95 = 1.96  # the normal quantile; batches of 30 games or more make Welch's t close to it


def _policies(data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    items = data.get("policies") if "policies" in data else [data]
    out = {}
    for p in items if isinstance(items, list) else []:
        if isinstance(p, Mapping) and isinstance(p.get("policy"), str):
            out[p["policy"]] = p
    return out


def _reached(data: Mapping[str, Any], policies: Collection[str]) -> set[str]:
    """What those of `policies` played in `data` reached."""
    out = set()
    for name, p in _policies(data).items():
        if name not in policies:
            continue
        coverage = p.get("coverage")
        if not isinstance(coverage, Mapping):
            continue
        for kind, counts in coverage.items():
            if isinstance(counts, Mapping):
                out |= {f"{kind}.{k}" for k, n in counts.items() if isinstance(n, int) and n > 0}
    return out


# What an earlier playtest's JSON may hold: anything else is not such a file (or was edited),
# and is refused before a game is played rather than compared into nonsense.
LARGEST = 10**9  # runs, counts and scores beyond this are no playtest's


def problem(data: Mapping[str, Any]) -> str:
    """What makes `data` unfit to compare with ('' when nothing): the first field that is not
    what `accord playtest --json` writes, named by its place ("policies[2].score.stdev")."""
    for where, value in (("runs", data.get("runs")), ("seed", data.get("seed"))):
        if value is not None and not _whole(value, -LARGEST):
            return f'"{where}" is not a whole number within 10^9'
    items = data.get("policies") if "policies" in data else [data]
    if not isinstance(items, list):
        return '"policies" is not a list'
    for i, p in enumerate(items):
        at = f"policies[{i}]" if "policies" in data else "the policy object"
        if not isinstance(p, Mapping) or not isinstance(p.get("policy"), str):
            return f"{at} has no policy name"
        if not _whole(p.get("runs"), 1):
            return f"{at}.runs is not a whole number from 1 to 10^9"
        score = p.get("score")
        if not isinstance(score, Mapping):
            return f"{at}.score is not an object"
        for key in ("mean", "stdev"):
            if not _finite(score.get(key)):
                return f"{at}.score.{key} is not a number within 10^9"
        for key in ("grades", "endings"):
            counts = p.get(key, {})
            if not isinstance(counts, Mapping) or not all(map(_whole, counts.values())):
                return f"{at}.{key} is not an object of whole numbers"
        coverage = p.get("coverage", {})
        if not isinstance(coverage, Mapping) or not all(
            isinstance(c, Mapping) and all(map(_whole, c.values())) for c in coverage.values()
        ):
            return f"{at}.coverage is not an object of objects of whole numbers"
        explain = p.get("explain", {})
        talks = explain.get("negotiations", {}) if isinstance(explain, Mapping) else None
        if not isinstance(talks, Mapping) or not all(
            isinstance(n, Mapping) and _finite(n.get("agreement_rate"), 0, 1)
            for n in talks.values()
        ):
            return f"{at}.explain.negotiations holds an agreement rate that is not from 0 to 1"
    return ""


def _whole(x: Any, low: int = 0) -> bool:
    return type(x) is int and low <= x <= LARGEST


def _finite(x: Any, low: float = -LARGEST, high: float = LARGEST) -> bool:
    return type(x) in (int, float) and math.isfinite(x) and low <= x <= high


def _number(x: Any) -> float:
    return float(x) if isinstance(x, int | float) and math.isfinite(float(x)) else 0.0


def _shares(p: Mapping[str, Any], key: str) -> dict[str, float]:
    counts = p.get(key)
    runs = _number(p.get("runs")) or 1.0
    if not isinstance(counts, Mapping):
        return {}
    return {str(k): _number(v) / runs for k, v in counts.items()}


def _agreed(p: Mapping[str, Any]) -> dict[str, float]:
    """Each negotiation's agreement rate in one policy's object (none in older files)."""
    explain = p.get("explain")
    talks = explain.get("negotiations") if isinstance(explain, Mapping) else None
    if not isinstance(talks, Mapping):
        return {}
    return {
        str(did): _number(n.get("agreement_rate"))
        for did, n in talks.items()
        if isinstance(n, Mapping)
    }


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The `compare` object: per policy in both, the score's move and the shares' moves."""
    before, after = _policies(old), _policies(new)
    policies = {}
    for name, a in after.items():
        b = before.get(name)
        if b is None:
            continue
        sa, sb = a.get("score") or {}, b.get("score") or {}
        na, nb = _number(a.get("runs")), _number(b.get("runs"))
        diff = _number(sa.get("mean")) - _number(sb.get("mean"))
        var = 0.0
        if na > 0 and nb > 0:
            var = _number(sa.get("stdev")) ** 2 / na + _number(sb.get("stdev")) ** 2 / nb
        half = Z95 * math.sqrt(var)
        moves: dict[str, Any] = {
            "old_mean": round(_number(sb.get("mean")), 2),
            "new_mean": round(_number(sa.get("mean")), 2),
            "change": round(diff, 2),
            "ci95": [round(diff - half, 2), round(diff + half, 2)],
            "significant": abs(diff) > half,
        }
        for key in ("grades", "endings"):
            old_shares, new_shares = _shares(b, key), _shares(a, key)
            moves[key] = {
                k: round(new_shares.get(k, 0.0) - old_shares.get(k, 0.0), 4)
                for k in sorted(set(old_shares) | set(new_shares))
            }
        rates_old, rates_new = _agreed(b), _agreed(a)
        # A move that shows: "exit_plan 100% -> 100%" said nothing (>99% to all).
        moves["agreements"] = {
            did: [round(rates_old[did], 4), round(rate, 4)]
            for did, rate in rates_new.items()
            if did in rates_old and percent(rate) != percent(rates_old[did])
        }
        policies[name] = moves
    # Coverage is compared over the policies both playtests played: an item only a policy
    # left out of one reached is neither gained nor lost.
    was, now = _reached(old, policies), _reached(new, policies)
    return {
        "scenario": {"old": old.get("scenario"), "new": new.get("scenario")},
        "differences": differences(old, new),
        "comparable": bool(policies),
        "policies": policies,
        "coverage_gained": sorted(now - was),
        "coverage_lost": sorted(was - now),
    }


def _played(data: Mapping[str, Any]) -> str:
    runs, seed = data.get("runs"), data.get("seed")
    if not isinstance(runs, int) or not isinstance(seed, int):
        return "runs and seed unknown"
    return f"{runs} run{'s' * (runs != 1)} from seed {seed}"


def _names(names: list[str]) -> str:
    words = [printable(n) for n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """One line saying how the two playtests were not played alike (runs, seed, policies, the
    searchers' games); "" when they were."""
    before, after = _policies(old), _policies(new)
    parts = []
    if _played(old) != _played(new):
        parts.append(f"OLD: {_played(old)}; NOW: {_played(new)}")
    only_old = [n for n in before if n not in after]
    only_new = [n for n in after if n not in before]
    for names, where in ((only_old, "OLD"), (only_new, "NOW")):
        if names:
            parts.append(f"{_names(names)} played only in {where}")
    searchers: dict[tuple[int, int], list[str]] = {}
    for name in before:
        if name in after and name in ("expert", "coverage"):
            a, b = before[name].get("runs"), after[name].get("runs")
            if a != b and isinstance(a, int) and isinstance(b, int):
                searchers.setdefault((a, b), []).append(name)
    for (a, b), names in searchers.items():
        parts.append(f"{_names(names)} played {a} games in OLD, {b} in NOW")
    return "; ".join(parts)


def compare_text(moved: Mapping[str, Any], old_name: str) -> list[str]:
    out = [f"Compared with {printable(old_name)} (change of the mean, 95% confidence interval):"]
    if moved.get("differences"):
        out += textwrap.wrap(
            str(moved["differences"]),
            100,
            initial_indent="  ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    for name, m in moved["policies"].items():
        low, high = m["ci95"]
        mark = "" if m["significant"] else "  (within chance)"
        # The change of the means as printed, so that the three numbers agree.
        change = round(m["new_mean"], 1) - round(m["old_mean"], 1)
        out.append(
            f"  {printable(name):<36} {m['old_mean']:6.1f} -> {m['new_mean']:6.1f}  "
            f"{signed(change, 6)} [{bound(low)}, {bound(high)}]{mark}"
        )
        shifts = [
            f"{printable(k)} {signed(100 * v)}"
            for key in ("grades", "endings")
            for k, v in m[key].items()
            if abs(v) >= 0.005
        ]
        if shifts:
            out.append("      shares, in points of %: " + ", ".join(shifts))
        agreed = [
            f"{printable(did)} {percent(was)} -> {percent(now)}"
            for did, (was, now) in m.get("agreements", {}).items()
        ]
        if agreed:
            out.append("      agreed: " + ", ".join(agreed))
    if not moved["policies"]:
        out.append("  nothing comparable: no policy is in both playtests")
        return out
    gained, lost = moved["coverage_gained"], moved["coverage_lost"]
    out.append("  coverage gained: " + (printable(", ".join(gained)) if gained else "nothing"))
    out.append("  coverage lost:   " + (printable(", ".join(lost)) if lost else "nothing"))
    return out


def percent(share: float) -> str:
    """A share of games as a whole percentage, never rounded to 0% or 100% when it is not:
    "<1%" for 3 games in 1000, ">99%" for 997."""
    shown = round(100 * share)
    if shown == 0 and share > 0:
        return "<1%"
    if shown == 100 and share < 1:
        return ">99%"
    return f"{shown}%"


def bound(x: float) -> str:
    """An end of a confidence interval: one decimal, two when one would read 0.0 for an end
    that is not 0 (an interval [-2.0, -0.04] leaves 0 out; printed [-2.0, 0.0] it seemed not
    to)."""
    return signed(x) if round(x, 1) != 0 or x == 0 else f"{x:+.2f}"


def signed(x: float, width: int = 0) -> str:
    """A change with its sign, rounded as shown (one decimal): "+0.3", "-1.2", and "0.0" (no
    sign) for one that rounds to nothing (the comparison and the dominance section)."""
    value = round(x, 1)
    text = "0.0" if value == 0 else f"{value:+.1f}"
    return f"{text:>{width}}"
