"""Loading a save: find its scenario, replay its action log, compare with its snapshot."""

from __future__ import annotations

import errno
import hashlib
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from game.engine import Game, describe_action
from game.library import read_text, search_path
from game.safe_text import printable
from game.saves.envelope import Record
from game.saves.files import resolved
from game.saves.model import Loaded, SaveError, SaveInfo
from game.saves.store import read_record, snapshot_of
from game.scenario import Scenario, ScenarioError, check_scenario

_SCENARIO_ID = re.compile(r"[a-z][a-z0-9_]*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Earlier versions of a scenario kept beside it (`earlier/<id>.<first 12 hex digits of the
# file's sha256>.yaml`), so a game saved on a version since changed replays exactly.
EARLIER = "earlier"
_MISSING = object()
_TOLERANCE = 1e-9
_CACHE_SIZE = 16
REPLAYED_MOST = 500  # the newest saves a listing replays; older ones are listed unchecked
# Checked scenarios by (path, sha256 of the text): a process that loads many saves of one
# scenario (the Load screen, a class report, the kill test) checks its file once.
_scenarios: dict[tuple[str, str], Scenario] = {}


def load_game(path: Path, search: list[Path] | None = None) -> Loaded:
    """Read a save, replay its log on its scenario and check the result against its snapshot.

    The scenario is looked for at its stored path, then by id on the scenario search path
    (`search`, $ACCORD_SCENARIOS, the shipped folder). A scenario file that changed since
    the save loads only if the log still replays legally, with a warning. Raises SaveError,
    one sentence naming the file, for anything else; never writes anything."""
    path = Path(path)
    record = read_record(path)
    scenario, scenario_path, changed, unusable = _locate(record, str(path), search)
    game, refusal = replay(scenario, record)
    warnings: list[str] = []
    if unusable:
        warnings.append(
            f"{path}: {unusable}; the game was replayed on {scenario_path}, found by the "
            f"scenario's id '{record.scenario_id}'"
        )
    if record.upgraded_from is not None:
        warnings.append(
            f"{path} was written in the older save format {record.upgraded_from} and was "
            "upgraded; saving the game again writes the current format"
        )
    difference = first_difference(record.snapshot, snapshot_of(game))
    if changed:
        if refusal:
            raise SaveError(
                f"{path} cannot be loaded: its scenario file {scenario_path} has changed since "
                f"the game was saved, and {refusal}"
            )
        tail = f", and the game now differs from the save ({difference})" if difference else ""
        warnings.append(
            f"The scenario file {scenario_path} has changed since this game was saved; "
            f"the game was replayed on the new version{tail}"
        )
    elif refusal:
        raise SaveError(f"{path} does not replay: {refusal}")
    elif difference:
        raise SaveError(f"{path} does not replay to the game it recorded: {difference}")
    return Loaded(game, record.info(path), tuple(warnings), scenario_path)


def replayed_infos(
    infos: Sequence[SaveInfo], search: list[Path] | None = None
) -> list[tuple[SaveInfo | None, str]]:
    """For a listing (newest first): each save's `replayed_info`, its note "cannot be
    replayed: why" when it does not replay. Only the newest REPLAYED_MOST are replayed (about
    1 ms each), so a folder of thousands still lists at once; the others have no figures,
    and their note says so."""
    out: list[tuple[SaveInfo | None, str]] = []
    for index, info in enumerate(infos):
        if index >= REPLAYED_MOST:
            out.append((None, f"not checked: only the newest {REPLAYED_MOST} saves are replayed"))
            continue
        replayed, why = replayed_info(info, search)
        out.append((replayed, f"cannot be replayed: {' '.join(why.split())}" if why else ""))
    return out


def replayed_info(info: SaveInfo, search: list[Path] | None = None) -> tuple[SaveInfo | None, str]:
    """A listed save's summary with the turn, score and ending that replaying it gives (a
    save's own figures are what its file says, and a file edited by hand could say anything),
    or None and why it does not replay: one sentence naming the file by its name only."""
    try:
        game = load_game(info.path, search).game
    except SaveError as exc:
        return None, str(exc).replace(str(info.path), info.path.name)
    replayed = replace(
        info, turn=game.turn, turns=game.s.turns, score=game.score, finished=game.finished,
        ending=game.ending,
    )  # fmt: skip
    return replayed, ""


def replay_check(path: Path, search: list[Path] | None = None) -> tuple[int, str]:
    """Re-simulate a save: (0, summary) when the replay equals its snapshot, (1, the first
    difference) when it does not, (2, why) when the file cannot be read as a save."""
    path = Path(path)
    try:
        record = read_record(path)
        scenario, scenario_path, changed, unusable = _locate(record, str(path), search)
    except SaveError as exc:
        return 2, str(exc)
    game, refusal = replay(scenario, record)
    note = f" (its scenario file {scenario_path} has changed since it was saved)" if changed else ""
    if unusable:
        note += f" ({unusable}; the scenario was found by its id at {scenario_path})"
    if refusal:
        return 1, f"{path} differs on replay{note}: {refusal}"
    difference = first_difference(record.snapshot, snapshot_of(game))
    if difference:
        return 1, f"{path} differs on replay{note}: {difference}"
    s, n = record.snapshot, len(record.actions)
    return 0, (
        f"{path} replays exactly{note}: {record.scenario_title}, turn {s['turn']} of "
        f"{s['turns']}, {n} action{'' if n == 1 else 's'}, score {float(s['score']):.1f}"
    )


def _candidates(record: Record, search: list[Path] | None) -> Iterator[tuple[Path, bool]]:
    """Where the scenario may be, each with whether the save itself names that path."""
    for raw in (record.scenario_path, record.scenario_resolved):
        if raw:
            yield Path(raw), True
    if _SCENARIO_ID.fullmatch(record.scenario_id):
        for folder in search_path(search):
            for suffix in (".yaml", ".yml"):
                yield folder / f"{record.scenario_id}{suffix}", False
        if _SHA256.fullmatch(record.scenario_sha256):
            kept = f"{record.scenario_id}.{record.scenario_sha256[:12]}.yaml"
            beside = [
                Path(raw).parent for raw in (record.scenario_path, record.scenario_resolved) if raw
            ]
            for folder in [*beside, *search_path(search)]:
                yield folder / EARLIER / kept, False


def find_scenario(
    record: Record, name: str, search: list[Path] | None = None
) -> tuple[Scenario, Path, bool]:
    """The scenario a save was played on, its path, and whether its file changed since.
    A file with the same id and hash wins over one with the same id only."""
    scenario, path, changed, _ = _locate(record, name, search)
    return scenario, path, changed


def _locate(
    record: Record, name: str, search: list[Path] | None
) -> tuple[Scenario, Path, bool, str | None]:
    """`find_scenario`, and a note when a stored path could not even be looked up (a NUL
    byte, a name too long) and the scenario was found elsewhere."""
    seen: set[Path] = set()
    changed: tuple[Scenario, Path] | None = None
    broken: tuple[Path, str] | None = None
    wrong: tuple[Path, str] | None = None
    unusable: tuple[str, str] | None = None  # a stored path no file can have, and why
    for path, stored in _candidates(record, search):
        try:
            key = resolved(path)
            if key in seen or not path.is_file():
                continue
        except (OSError, ValueError) as exc:  # a NUL byte, a name over 255 bytes
            if stored:
                unusable = unusable or (str(path), _why(exc))
            continue
        seen.add(key)
        try:
            scenario = load_scenario_cached(path)
        except ScenarioError as exc:
            broken = broken or (path, str(exc))
            continue
        if scenario.id != record.scenario_id:
            wrong = wrong or (path, scenario.id)
        elif scenario.sha256 == record.scenario_sha256:
            return scenario, path, False, _note(unusable)
        elif changed is None:
            changed = (scenario, path)
    if changed is not None:
        return changed[0], changed[1], True, _note(unusable)
    sid = record.scenario_id
    if broken is not None:
        raise SaveError(f"{name} cannot be loaded: its scenario has errors now: {broken[1]}")
    if wrong is not None:
        raise SaveError(
            f"{name} was played on scenario '{sid}', but {wrong[0]} now holds '{wrong[1]}' "
            f"and no scenario '{sid}' is on the scenario search path"
        )
    if unusable is not None:
        raise SaveError(
            f"{name} names a scenario path, {_shorten(unusable[0])}, that cannot be opened "
            f"because {unusable[1]}, and no scenario '{sid}' is on the scenario search path"
        )
    where = f"at {_shorten(record.scenario_path)} nor " if record.scenario_path else ""
    raise SaveError(
        f"{name} was played on scenario '{sid}', which is neither {where}on the scenario "
        "search path (add its folder with --scenarios)"
    )


def _note(unusable: tuple[str, str] | None) -> str | None:
    if unusable is None:
        return None
    return (
        f"the scenario path it names, {_shorten(unusable[0])}, cannot be opened "
        f"because {unusable[1]}"
    )


def _why(exc: OSError | ValueError) -> str:
    if isinstance(exc, ValueError):
        return "it holds a NUL byte"
    if exc.errno == errno.ENAMETOOLONG:
        return "a name in it is too long for the file system"
    return f"the system says: {exc.strerror or exc}"


def _shorten(text: str, width: int = 80) -> str:
    """A stored path as a message may quote it: control characters escaped, cut in the
    middle when long."""
    text = printable(text)
    return text if len(text) <= width else f"{text[: width // 2 - 2]}...{text[-(width // 2 - 1) :]}"


def load_scenario_cached(path: Path) -> Scenario:
    """`library.load_scenario`, remembering the last few files by their content hash."""
    data = read_text(path)
    key = (str(path), hashlib.sha256(data).hexdigest())
    scenario = _scenarios.get(key)
    if scenario is None:
        found, problems = check_scenario(data, str(path))
        if found is None:
            raise ScenarioError(list(problems))
        if len(_scenarios) >= _CACHE_SIZE:
            del _scenarios[next(iter(_scenarios))]
        _scenarios[key] = scenario = found
    return scenario


def replay(scenario: Scenario, record: Record) -> tuple[Game, str | None]:
    """The game rebuilt from the record's seed and log, and why it stopped, if it did."""
    game = Game.new(scenario, record.seed)
    total = len(record.actions)
    for index, action in enumerate(record.actions, 1):
        turn = game.turn
        try:
            outcome = game.apply(action)
        except Exception as exc:  # an engine fault must not become a traceback
            return game, (
                f"action {index} of {total} on turn {turn} ({describe_action(action)}) made "
                f"the engine fail ({type(exc).__name__}: {exc})"
            )
        if not outcome.ok:
            return game, (
                f"action {index} of {total} on turn {turn} ({describe_action(action)}) is "
                f"refused: {outcome.reason}"
            )
    return game, None


def first_difference(saved: dict[str, Any], replayed: dict[str, Any]) -> str | None:
    """The earliest difference between a saved snapshot and a replayed one, in words.
    Only what the save holds is compared, so a newer engine's extra fields do not count."""
    found = list(_differences(saved, replayed, ()))
    if not found:
        return None

    def rank(item: tuple[tuple[str | int, ...], Any, Any]) -> tuple[int, int]:
        where = item[0]
        if where == ("turn",):
            return (0, 0)
        if len(where) == 3 and where[0] == "history" and isinstance(where[2], int):
            return (1, where[2])
        return (2, 0)

    where, a, b = min(found, key=rank)
    if len(where) == 3 and where[0] == "history" and isinstance(where[2], int):
        label = f"{where[1]} at the end of turn {where[2] + 1}"
    else:
        label = ".".join(str(part) for part in where) or "the snapshot"
    if b is _MISSING:
        return f"{label} is {_show(a)} in the save but missing on replay"
    if isinstance(a, list) and isinstance(b, list):
        return f"{label} has {len(a)} entries in the save but {len(b)} on replay"
    return f"{label} is {_show(a)} in the save but {_show(b)} on replay"


def _differences(
    a: Any, b: Any, where: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], Any, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key, value in a.items():
            if key in b:
                yield from _differences(value, b[key], (*where, key))
            else:
                yield (*where, key), value, _MISSING
    elif isinstance(a, list) and isinstance(b, list):
        for index, (x, y) in enumerate(zip(a, b, strict=False)):
            yield from _differences(x, y, (*where, index))
        if len(a) != len(b):
            yield where, a, b
    elif not _same(a, b):
        yield where, a, b


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        try:
            x, y = float(a), float(b)
        except OverflowError:  # an int too large for a float: only an equal int matches
            return a == b
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return math.isclose(x, y, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)
    return bool(a == b)


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"  # 54.28, not 54.2841997
    text = repr(value) if isinstance(value, str | dict | list) else str(value)
    if len(text) <= 60:
        return text
    if isinstance(value, int):
        return f"{text[:12]}… ({len(text.lstrip('-'))} digits)"
    return text[:57] + "..."
