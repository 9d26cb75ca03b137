"""Digests of many seeded bot games: a refactoring of the engine must leave them unchanged.

For every shipped scenario and every built-in policy, plays N seeded games and hashes what the
engine said: every turn report (ledger, readings, events, choices, proposals, openings,
agreements, failures, withdrawals, warnings, ending, values), the action log, the final state,
score, grade and ending. Prints one line per scenario and policy; `--out FILE` writes them as
JSON and `--check FILE` compares with a file written before (exit 1 when any differs).

    python scripts/engine_digests.py --games 200 --out /tmp/before.json
    python scripts/engine_digests.py --games 200 --check /tmp/before.json

A change that only adds ledger lines of one kind (the resource lines of issue 21) is checked
with `--skip-lines resource` on both sides: every other line, every reading and value, the
action log and the final state must still be the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import Any

from game.engine import Game, action_to_json
from game.library import SHIPPED, load_scenario
from game.playtest.policies import make_policy, play_game, policy_names


def _plain(value: Any) -> Any:
    """A JSON-ready form of a report's parts (floats written exactly)."""
    if isinstance(value, float):
        return value.hex()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return value


def game_digest(game: Game, without: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> str:
    h = hashlib.sha256()
    for r in game.reports:
        parts = [
            r.turn,
            [(c.kind, c.target, c.amount, c.cause, c.line, c.note)
             for c in r.changes if c.kind not in skip],
            r.before, r.after, r.events, r.choices,
            [(p.turn, p.disagreement, p.package, p.agreed,
              [(a.party, a.accepts, a.utility, a.objection) for a in p.answers])
             for p in r.proposals],
            r.opened, r.agreed, r.failed, r.withdrawn, r.warnings, r.ending,
            {k: v for k, v in r.values.items() if not k.startswith(without)},
        ]  # fmt: skip
        h.update(json.dumps(_plain(parts), default=str).encode())
    h.update(json.dumps([action_to_json(a) for a in game.actions]).encode())
    h.update(json.dumps(_plain(game.state.to_json())).encode())
    h.update(f"{game.score.hex()} {game.grade} {game.ending} {game.lessons()}".encode())
    return h.hexdigest()


def digests(
    games: int,
    without: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    only: tuple[str, ...] = (),
) -> dict[str, str]:
    out = {}
    for sid in sorted(p.stem for p in SHIPPED.glob("*.yaml")):
        scenario = load_scenario(str(SHIPPED / f"{sid}.yaml"))
        for name in policy_names(scenario):
            if only and not name.startswith(only):
                continue
            policy = make_policy(name, scenario)
            h = hashlib.sha256()
            for seed in range(games):
                h.update(game_digest(play_game(scenario, policy, seed), without, skip).encode())
            out[f"{sid}/{name}"] = h.hexdigest()
            print(f"{sid}/{name} {out[f'{sid}/{name}'][:16]}", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=200)
    parser.add_argument("--out")
    parser.add_argument("--check")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="PREFIX",
        help="leave out of the reports' values the names starting so (a family added since)",
    )
    parser.add_argument(
        "--skip-lines",
        action="append",
        default=[],
        metavar="KIND",
        help="leave the ledger lines of this kind (metric, trust, resource, ...) out of the hash",
    )
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="PREFIX",
        help="only the policies whose name starts so (random, greedy, fixed:, ...); all if none",
    )
    args = parser.parse_args()
    found = digests(args.games, tuple(args.without), tuple(args.skip_lines), tuple(args.policy))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(found, f, indent=1)
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            expected = json.load(f)
        differ = sorted(
            k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k)
        )
        print(f"{len(found) - len(differ)} of {len(found)} scenario/policy pairs identical")
        for key in differ:
            print(f"DIFFERS: {key}")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
