"""`accord saves`: the saved games in the save folder, newest first (or as JSON).

Each save's turn and score are those its action log replays to, as when it is loaded: a
save's own figures are what its file says, and a file edited by hand could say anything."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _paths
from game.safe_text import cut, json_printable, printable
from game.saves import REPLAYED_MOST, SaveError, SaveInfo, replayed_infos, saves_dir, scan_saves
from game.saves.files import present

NAME_WIDTH = 32
WHY = 140  # the most characters of the note of a save that does not replay (as in the class view)
NONE = "-"  # the turn and score of a save that does not replay


def _turn(info: SaveInfo | None) -> str:
    if info is None:
        return NONE
    where = f"{info.turn}/{info.turns}"
    return f"{where} ended" if info.finished else where


def _note(problem: str) -> str:
    return cut(printable(problem), WHY)


def _when(stamp: str) -> str:
    # "2026-11-28T08:30:12.345Z" -> "2026-11-28 08:30 UTC"; anything else as written.
    if len(stamp) >= 16 and stamp[10] == "T" and stamp.endswith("Z"):
        return f"{stamp[:10]} {stamp[11:16]} UTC"
    return stamp


def _cut(text: str, width: int) -> str:
    return cut(printable(text), width)


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _as_json(info: SaveInfo, replayed: SaveInfo | None, problem: str) -> dict[str, Any]:
    """The save's entry; turn, turns, score, finished and ending are the replayed game's (null
    when it does not replay, and `problem` says why)."""
    return {
        "path": str(info.path),
        "slot": info.slot,
        "name": info.name,
        "player": info.player,
        "scenario_id": info.scenario_id,
        "scenario_title": info.scenario_title,
        "turn": None if replayed is None else replayed.turn,
        "turns": None if replayed is None else replayed.turns,
        "score": None if replayed is None else round(replayed.score, 2),
        "finished": None if replayed is None else replayed.finished,
        "ending": None if replayed is None else replayed.ending,
        "replays": replayed is not None,
        "problem": problem or None,
        "kind": info.kind,
        "created": info.created,
        "updated": info.updated,
    }


def run(args: argparse.Namespace) -> int:
    """Exit 0 with the list (damaged files are listed as such, a save that does not replay
    without a turn or score and with why); 2 when the folder given with
    --saves does not exist (a mistyped folder must not pass for an empty one); 1 when the
    folder cannot be read. The default folder not existing yet just means no saves yet."""
    folder = saves_dir(args.saves)
    if not present(folder):
        if args.saves:
            print(
                f"accord saves: the save folder {printable(folder)} does not exist", file=sys.stderr
            )
            return EXIT_USAGE
        if args.json:
            print(_json({"folder": str(folder), "saves": [], "damaged": []}))
        else:
            print(f"No saves yet in {printable(folder)}")
        return EXIT_OK
    try:
        infos, damaged = scan_saves(folder)
    except SaveError as exc:
        print(f"accord saves: {printable(exc)}", file=sys.stderr)
        return EXIT_FAIL
    search = _paths(args.scenarios)
    checked = [
        (info, *found) for info, found in zip(infos, replayed_infos(infos, search), strict=True)
    ]
    if args.json:
        document = {
            "folder": str(folder),
            "saves": [_as_json(*entry) for entry in checked],
            "damaged": [{"path": str(path), "error": error} for path, error in damaged],
        }
        print(_json(document))
        return EXIT_OK
    if not infos and not damaged:
        print(f"No saves in {printable(folder)}")
        return EXIT_OK
    notes = any(problem for _, _, problem in checked)  # a NOTE column only when one is needed
    rows = [["SLOT", "NAME", "SCENARIO", "TURN", "SCORE", "UPDATED", *["NOTE"] * notes]]
    for info, replayed, problem in checked:
        rows.append(
            [
                printable(info.slot),
                _cut(info.name, NAME_WIDTH),
                _cut(info.scenario_title, NAME_WIDTH),
                _turn(replayed),
                NONE if replayed is None else f"{replayed.score:.1f}",
                printable(_when(info.updated)),
                *[_note(problem)] * notes,
            ]
        )
    if infos:
        print("\n".join(_table(rows, right={4})))
    for path, error in damaged:
        print(f"damaged: {printable(path.name)}: {printable(error)}")
    count = len(infos)
    tail = f", {len(damaged)} damaged" if damaged else ""
    if count > REPLAYED_MOST:
        tail += f" (only the newest {REPLAYED_MOST} are replayed)"
    print(f"{count} save{'s' * (count != 1)} in {printable(folder)}{tail}")
    return EXIT_OK


def _json(document: dict[str, Any]) -> str:
    """The document as JSON; C0 controls come out as \\u escapes from json.dumps, and the
    other characters a terminal must not see raw are escaped the same way."""
    return json_printable(json.dumps(document, indent=2, ensure_ascii=False))
