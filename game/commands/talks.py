"""`accord talks SCENARIO [DISAGREEMENT] [--turn N] [--trust PARTY=V ...] [--top N] [--json]`:
the instructor's negotiation calculator (game/talks.py)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _paths
from game.library import load_scenario, resolve
from game.negotiation import TOLERANCE
from game.numbers import verdict_places
from game.safe_text import printable
from game.scenario import Scenario, ScenarioError
from game.talks import Table, capped_words, opening_turn, table

PROG = "accord talks"


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"{PROG}: {printable(message)}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    try:
        path = resolve(args.scenario, _paths(args.scenarios))
    except ScenarioError as exc:
        return _fail(exc.problems[0].format())
    if not path.is_file():
        why = "is a folder; name one scenario file or id" if path.is_dir() else "no such file"
        return _fail(f"{path}: {why}")
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        more = len(exc.errors) - 1
        tail = f" (and {more} more; see accord validate)" if more > 0 else ""
        return _fail(exc.errors[0].format() + tail, EXIT_FAIL)
    ids = list(scenario.disagreements)
    if args.disagreement is not None:
        if args.disagreement not in scenario.disagreements:
            known = ", ".join(ids) or "none"
            return _fail(f"{path.name} has no disagreement '{args.disagreement}' (it has: {known})")
        ids = [args.disagreement]
    if not ids:
        return _fail(f"{path.name} has no disagreements", EXIT_FAIL)
    if args.turn is not None and args.turn > scenario.turns:
        return _fail(f"--turn {args.turn} is after the last turn ({scenario.turns})")
    trust: dict[str, float] = {}
    for given in args.trust:
        party, equals, value = given.partition("=")
        party = party.strip()
        if not equals:
            return _fail(f"--trust {given}: write PARTY=V, V a trust from 0 to 100")
        if party not in scenario.model.stakeholders:
            return _fail(f"--trust {given}: no stakeholder '{party}' (write PARTY=V, V 0 to 100)")
        if not any(party in scenario.disagreements[did].parties for did in ids):
            shown = ", ".join(ids)
            _fail(f"note: --trust {given}: '{party}' is not a party of {shown}; not used")
        try:
            level = float(value)
        except ValueError:
            level = -1.0
        if not 0 <= level <= 100:
            return _fail(f"--trust {given}: trust is a number from 0 to 100")
        trust[party] = level
    tables = [
        table(scenario, did, args.turn or opening_turn(scenario.disagreements[did]), trust)
        for did in ids
    ]
    if args.json:
        json.dump({"scenario": scenario.id, "talks": [_json(scenario, t) for t in tables]},
                  sys.stdout, indent=2)  # fmt: skip
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n\n".join(_text(scenario, t, args.top) for t in tables) + "\n")
    return EXIT_OK


def _words(s: Scenario, did: str, package: tuple[tuple[str, str], ...]) -> str:
    issues = s.model.disagreements[did].issues
    return " / ".join(issues[i].options[o] for i, o in package)


def _places(t: Table, parties: tuple[str, ...]) -> dict[str, int]:
    """Decimal places for each party's figures: 2, or more where two places would show a
    refused package at the very value the party accepts (0.58 ✗ beside "0.58 or more")."""
    return {
        party: max(
            (verdict_places(r.values[k], t.floors[party], r.accepts[k]) for r in t.rows),
            default=2,
        )
        for k, party in enumerate(parties)
    }


def _text(s: Scenario, t: Table, top: int) -> str:
    m = s.model
    d = s.disagreements[t.disagreement]
    name = {p: m.stakeholders[p].name for p in d.parties}
    label = m.turn_label
    places = _places(t, d.parties)
    lines = [
        f"{d.label} ({t.disagreement}) at {label} {t.turn}: τ {t.tau:.2f} (opens {label} "
        f"{t.opened}, deadline {label} {d.deadline})",
        "Trust: " + ", ".join(f"{name[p]} {t.trust[p]:g}" for p in d.parties),
        "Each accepts now: "
        + ", ".join(f"{name[p]} {t.floors[p]:.{places[p]}f} or more" for p in d.parties),
        "Offers (among the packages it accepts now, the one the others value most):",
    ]
    for p in d.parties:
        offered = t.offers[p]
        lines.append(
            f"  {name[p]}: {_words(s, t.disagreement, offered)}"
            if offered
            else f"  {name[p]}: none (it accepts no package now)"
        )
    agreed = sum(r.agreed for r in t.rows)
    bought = sum(bool(r.bought) for r in t.rows)
    more = f", {bought:,} more with side payments" if bought else ""
    lines.append(
        f"{t.total:,} packages; {agreed:,} would be agreed at this {label} and trust{more} "
        f"(among {t.looked:,} looked at). * = on the Pareto frontier."
    )
    if t.turn > d.deadline:
        lines.append(
            f"Note: the talks are past their deadline at {label} {t.turn}: no proposal can be "
            "made then; the verdicts say what each party would accept."
        )
    elif t.turn < t.opened:
        lines.append(f"Note: the talks are not open yet at {label} {t.turn}.")
    capped = capped_words(t)
    if capped:
        lines.append(f"Capped: {capped}.")
    shown = t.rows[:top]
    if len(t.rows) > top:
        lines.append(f"The best {top} (agreed first, then by joint value; --top N for more):")
    width = max(len(_words(s, t.disagreement, r.package)) for r in shown) + 2
    cols = [max(len(name[p]), 6) for p in d.parties]
    head = "  ".join(f"{name[p]:>{c}}" for p, c in zip(d.parties, cols, strict=True))
    lines.append(f"  {'Package':<{width}}{head}  Verdict")
    for r in shown:
        cells = "  ".join(
            f"{f'{v:.{places[p]}f} ' + ('✓' if ok else '✗'):>{c}}"
            for p, v, ok, c in zip(d.parties, r.values, r.accepts, cols, strict=True)
        )
        verdict = "agreed" if r.agreed else "blocked by " + ", ".join(name[p] for p in r.blocks)
        if r.bought:
            paid = ", ".join(
                f"{units} {m.resources[rid].label} to {name[p]}" for p, rid, units in r.bought
            )
            verdict += f" (agreed with {paid})"
        mark = "*" if r.pareto else " "
        lines.append(f"{mark} {_words(s, t.disagreement, r.package):<{width}}{cells}  {verdict}")
    return "\n".join(printable(line) for line in lines)


def _json(s: Scenario, t: Table) -> dict[str, Any]:
    d = s.disagreements[t.disagreement]
    return {
        "disagreement": t.disagreement,
        "turn": t.turn,
        "opened": t.opened,
        "tau": t.tau,
        "trust": dict(t.trust),
        # The threshold each accepts from (the floor is a hair below it: game.negotiation).
        "accepts_from": {p: round(f + TOLERANCE, 9) for p, f in t.floors.items()},
        "packages": t.total,
        "looked_at": t.looked,
        "capped": capped_words(t),
        "offers": {p: dict(pkg) if pkg else None for p, pkg in t.offers.items()},
        "rows": [
            {
                "package": dict(r.package),
                "values": {p: round(v, 9) for p, v in zip(d.parties, r.values, strict=True)},
                "accepts": dict(zip(d.parties, r.accepts, strict=True)),
                "agreed": r.agreed,
                "blocked_by": list(r.blocks),
                "pareto": r.pareto,
                # The side payments that would see it agreed ([] when none would).
                "side_payments": [
                    {"party": p, "resource": rid, "units": units} for p, rid, units in r.bought
                ],
            }
            for r in t.rows
        ],
    }
