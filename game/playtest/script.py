"""Playthrough scripts: play one game turn by turn from YAML and check its expectations."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import (
    Action,
    Activate,
    Allocate,
    Choose,
    EndStrategy,
    EndTurn,
    Game,
    Propose,
    TurnReport,
)
from game.engine.actions import Transfers
from game.scenario import Problem, Scenario, ScenarioError
from game.scenario.hints import budget, did_you_mean
from game.scenario.yamlpos import EMPTY, Positions, YamlProblem, parse_yaml

GRADES = "FDCBA"  # worst to best, so ">= C" compares positions
TURN_KEYS = (
    "allocate", "end", "activate", "propose", "transfers", "choose", "refused", "expect", "note",
)  # fmt: skip
TOP_KEYS = ("scenario", "seed", "turns", "expect", "title", "description")
ACTION_KEYS = ("allocate", "end", "activate", "propose", "choose")  # what `refused` may list


class ScriptError(Exception):
    """A playthrough script that cannot be read; each problem names the file and line."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass
class ScriptResult:
    path: str
    game: Game | None
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Script:
    path: str
    data: Mapping[str, Any]
    positions: Positions

    def line(self, *where: str | int) -> int:
        return self.positions.value(where).line


def read_script(text: str | bytes, path: str) -> Script:
    try:
        data, positions = parse_yaml(text)
    except YamlProblem as exc:
        message = exc.message
        if message == EMPTY:
            message = "the file is empty; a playthrough script is a YAML mapping with 'scenario:'"
        raise ScriptError(f"{path}:{exc.line}:{exc.col}: {message}") from exc
    script = Script(path, data, positions)
    problems = []
    for key in data:
        if key not in TOP_KEYS:
            line = positions.key((key,)).line
            problems.append(
                f"{path}:{line}: unknown key '{key}'{_did_you_mean(str(key), TOP_KEYS)}"
            )
    if not isinstance(data.get("scenario"), str):
        problems.append(f"{path}:1: 'scenario' must name a scenario id or file")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        problems.append(f"{path}:{script.line('seed')}: 'seed' must be a whole number")
    turns = data.get("turns", [])
    if not isinstance(turns, list):
        problems.append(f"{path}:{script.line('turns')}: 'turns' must be a list of turns")
        turns = []
    for i, turn in enumerate(turns):
        if turn is None:
            turns[i] = {}
        elif not isinstance(turn, dict):
            problems.append(f"{path}:{script.line('turns', i)}: each turn must be a mapping")
        else:
            for key in turn:
                if key not in TURN_KEYS:
                    line = positions.key(("turns", i, key)).line
                    hint = _did_you_mean(str(key), TURN_KEYS)
                    problems.append(f"{path}:{line}: unknown key '{key}' in a turn{hint}")
    if problems:
        raise ScriptError(*problems)
    return script


def script_problems(script: Script, scenario: Scenario) -> list[str]:
    """Every id and name the script writes that the scenario does not have, each with its line
    and a "did you mean" (an action the turn lists under `refused` may name anything)."""
    s = scenario
    problems: list[str] = []
    expected: list[str] = []

    def check(
        where: tuple[str | int, ...], label: str, what: str, word: Any, known: Any, of: str = ""
    ) -> bool:
        if str(word) in known:
            return True
        hint = _did_you_mean(str(word), [str(k) for k in known])
        line = script.positions.key(where).line
        problems.append(f"{script.path}:{line}: {label}: unknown {what} '{word}'{of}{hint}")
        return False

    for i, turn in enumerate(script.data.get("turns") or []):
        if not isinstance(turn, Mapping):
            continue
        label, at = f"turn {i + 1}", ("turns", i)
        written = turn.get("refused") or []
        written = [written] if isinstance(written, str) else written
        listed = written if isinstance(written, list) else []
        refused = {k for k in listed if isinstance(k, str)}
        allocate = turn.get("allocate")
        if isinstance(allocate, Mapping) and "allocate" not in refused:
            for line_id, amounts in allocate.items():
                where = (*at, "allocate", line_id)
                if check(where, label, "line of effort", line_id, s.lines) and isinstance(
                    amounts, Mapping
                ):
                    accepts = s.lines[str(line_id)].accepts
                    for rid in amounts:
                        of = f" for line '{line_id}'"
                        check((*where, rid), label, "resource", rid, accepts, of)
        for key in ("end", "activate"):
            ids = turn.get(key)
            ids = [ids] if isinstance(ids, str) else ids
            if (
                isinstance(ids, list)
                and all(isinstance(v, str) for v in ids)
                and key not in refused
            ):
                for j, sid in enumerate(ids):
                    check((*at, key, j), label, "strategy", sid, s.strategies)
        propose = turn.get("propose")
        if isinstance(propose, Mapping) and "propose" not in refused:
            for did, package in propose.items():
                where = (*at, "propose", did)
                if check(where, label, "disagreement", did, s.disagreements) and isinstance(
                    package, Mapping
                ):
                    issues = s.disagreements[str(did)].issues
                    for issue, option in package.items():
                        of = f" of '{did}'"
                        if check((*where, issue), label, "issue", issue, issues, of):
                            of = f" of '{did}.{issue}'"
                            check((*where, issue), label, "option", option, issues[str(issue)], of)
        transfers = turn.get("transfers")
        if isinstance(transfers, Mapping) and "propose" not in refused:
            proposed = [str(d) for d in propose] if isinstance(propose, Mapping) else []
            for did, paid in transfers.items():
                where = (*at, "transfers", did)
                if not check(where, label, "disagreement", did, s.disagreements):
                    continue
                if str(did) not in proposed:
                    line = script.positions.key(where).line
                    these = ", ".join(f"'{d}'" for d in proposed)
                    these = f"proposes only on {these}" if these else "proposes nothing"
                    problems.append(
                        f"{script.path}:{line}: {label}: transfers for '{did}' go with a "
                        f"proposal on it, and this turn {these}"
                    )
                    continue
                parties = s.disagreements[str(did)].parties
                for party, units in paid.items() if isinstance(paid, Mapping) else ():
                    if not check((*where, party), label, "party", party, parties, f" of '{did}'"):
                        continue
                    for rid, n in units.items() if isinstance(units, Mapping) else ():
                        at_rid = (*where, party, rid)
                        check(at_rid, label, "resource", rid, s.model.resources)
                        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                            line = script.positions.key(at_rid).line
                            problems.append(
                                f"{script.path}:{line}: {label}: a side payment is a whole number "
                                f"of units, at least 1: {rid}: {n!r} for '{party}'"
                            )
        for key in dict.fromkeys(k for k in listed if isinstance(k, str)):  # as written
            if key in ACTION_KEYS and key in turn:
                continue
            line = script.positions.key((*at, "refused")).line
            if key in ACTION_KEYS:
                why = f"'{key}' is expected to be refused, but this turn has no '{key}'"
            else:
                keys = ", ".join(ACTION_KEYS)
                hint = " (side payments are refused with their proposal: 'propose')"
                hint = hint if key == "transfers" else _did_you_mean(key, ACTION_KEYS)
                why = f"refused lists '{key}', which is not an action key ({keys}){hint}"
            problems.append(f"{script.path}:{line}: {label}: {why}")
        choose = turn.get("choose")
        if isinstance(choose, Mapping) and "choose" not in refused:
            for event, choice in choose.items():
                where = (*at, "choose", event)
                if check(where, label, "event", event, s.events):
                    choices = s.events[str(event)].choices
                    check(where, label, "choice", choice, choices, f" of '{event}'")
        expected += _unknown_expectations(script, turn.get("expect"), (*at, "expect"), s, label)
    expected += _unknown_expectations(
        script, script.data.get("expect"), ("expect",), s, "at the end"
    )
    # Without a wrong id the game is played, and its checks say the rest, in order.
    return sorted(problems + expected, key=_line_order) if problems else []


def _line_order(problem: str) -> int:
    """A problem's line (`path:line: ...`), for reporting in file order."""
    number = problem.rsplit(": ", 1)[0].split(":")
    return next((int(p) for p in reversed(number) if p.isdigit()), 0)


def _unknown_expectations(
    script: Script, expect: Any, where: tuple[str | int, ...], scenario: Scenario, label: str
) -> list[str]:
    if not isinstance(expect, Mapping):
        return []
    problems = []
    for key, expected in expect.items():
        try:
            unknown = _unknown(str(key), expected, scenario)
        except _Unreadable:
            continue  # said when the expectation is checked
        if unknown:
            problems.append(f"{script.path}:{script.line(*where, key)}: {label}: {unknown}")
    return problems


def _actions(turn: Mapping[str, Any]) -> list[tuple[str, Action]]:
    """The turn's actions in the fixed order: allocate, end, activate, propose, choose."""
    out: list[tuple[str, Action]] = []
    for line, amounts in (turn.get("allocate") or {}).items():
        if not isinstance(amounts, Mapping):
            raise ValueError(f"allocate.{line} must map resources to amounts")
        for resource, amount in amounts.items():
            out.append(("allocate", Allocate(str(line), str(resource), amount)))
    for name in _ids(turn, "end"):
        out.append(("end", EndStrategy(name)))
    for name in _ids(turn, "activate"):
        out.append(("activate", Activate(name)))
    transfers = turn.get("transfers") or {}
    if not isinstance(transfers, Mapping):
        raise ValueError("transfers must map disagreements to side payments")
    for did, package in (turn.get("propose") or {}).items():
        if not isinstance(package, Mapping):
            raise ValueError(f"propose.{did} must map issues to options")
        options = tuple((str(k), str(v)) for k, v in package.items())
        out.append(("propose", Propose(str(did), options, _transfers(did, transfers.get(did)))))
    for event, choice in (turn.get("choose") or {}).items():
        out.append(("choose", Choose(str(event), str(choice))))
    return out


def _transfers(did: Any, written: Any) -> Transfers:
    """A proposal's side payments as the script writes them: {party: {resource: units}}."""
    if written is None:
        return ()
    if not isinstance(written, Mapping) or not all(
        isinstance(units, Mapping)
        and all(isinstance(n, int) and not isinstance(n, bool) for n in units.values())
        for units in written.values()
    ):
        raise ValueError(f"transfers.{did} must map parties to resources and whole units")
    return tuple(
        (str(party), tuple((str(r), n) for r, n in units.items()))
        for party, units in written.items()
    )


def _ids(turn: Mapping[str, Any], key: str) -> list[str]:
    """A turn's list of strategy ids (one id alone is a list of one)."""
    value = turn.get(key) or []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a strategy id or a list of them")
    return value


def observed(game: Game, key: str, report: TurnReport | None) -> Any:
    """The value an expectation key refers to, at the end of a turn (or of the script)."""
    if key == "ending":
        return game.ending if game.finished else "none"
    if key == "grade":
        return game.grade
    if key == "score":
        return round(game.score, 6)
    if key == "finished":
        return game.finished
    if report is not None:
        if key == "turn":
            return report.turn
        if key in report.values:
            return report.values[key]
    if key == "turn":
        return game.turn
    return game.value(key)


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda a, b: a >= b - 1e-9,
    "<=": lambda a, b: a <= b + 1e-9,
    "==": lambda a, b: _equal(a, b),
    "!=": lambda a, b: not _equal(a, b),
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}
_BOOLS = {"true": True, "false": False}
SPECIAL = ("ending", "grade", "score", "turn", "finished")


class _Unreadable(ValueError):
    """An expectation that is neither a value of the right kind nor a comparison."""


def _split(expected: Any) -> tuple[str, Any]:
    """An expectation as (operator, value): `">= 40"` is (">=", "40"), `40` is ("==", 40)."""
    if isinstance(expected, str):
        text = expected.strip()
        for op in _OPS:
            if text.startswith(op):
                return op, text[len(op) :].strip()
        if text[:1] in "<>=!":
            raise _Unreadable(
                f"'{expected}' is not a comparison: use one of >=, <=, ==, !=, > or <"
            )
        return "==", text
    return "==", expected


def _compare(expected: Any, found: Any, key: str) -> bool:
    """Whether `found` meets the expectation; _Unreadable when it cannot mean anything for a
    value like `found` (text where a number is due, a grade that is not a letter...)."""
    op, target = _split(expected)
    if key == "grade":
        if not (isinstance(target, str) and len(target) == 1 and target in GRADES):
            raise _Unreadable(f"'{target}' is not a grade: use A, B, C, D or F")
        if op in ("==", "!="):
            return _OPS[op](found, str(target))
        return _OPS[op](GRADES.index(found), GRADES.index(str(target)))
    if isinstance(found, bool):
        value = _BOOLS.get(str(target).lower()) if isinstance(target, str) else target
        if not isinstance(value, bool) or op not in ("==", "!="):
            raise _Unreadable(f"{key} is true or false: expect true, false or '!= true'")
        return _OPS[op](found, value)
    if isinstance(found, int | float):
        if isinstance(target, str):
            try:
                target = float(target)
            except ValueError:
                raise _Unreadable(
                    f"{key} is a number: expect a number or a comparison such as '>= 40'"
                ) from None
        if isinstance(target, bool) or not isinstance(target, int | float):
            raise _Unreadable(f"{key} is a number: expect a number or a comparison such as '>= 40'")
        return _OPS[op](found, target)
    if op not in ("==", "!="):
        raise _Unreadable(f"{key} is text: expect a value or '!= value'")
    return _OPS[op](found, target)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    if b is None:
        b = "none"
    return str(a) == str(b)


def _shown(value: Any) -> str:
    """A found value as a script writes it: true/false, numbers to four digits."""
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _unknown(key: str, expected: Any, scenario: Scenario) -> str | None:
    """Why an expectation names nothing in the scenario (a misspelt name or ending), or None."""
    if key == "ending":
        _, target = _split(expected)
        target = "none" if target is None else target
        endings = [*scenario.endings, "none"]
        if str(target) not in endings:
            return f"unknown ending '{target}'{_did_you_mean(str(target), endings)}"
        return None
    if key in SPECIAL or key in scenario.names:
        return None
    return f"unknown name '{key}'{_did_you_mean(key, [*scenario.names, *SPECIAL])}"


def _did_you_mean(word: str, known: Sequence[str]) -> str:
    return did_you_mean(word, known)


def _check(
    script: Script,
    expect: Any,
    where: tuple[str | int, ...],
    game: Game,
    report: TurnReport | None,
    label: str,
) -> list[str]:
    failures = []
    if not isinstance(expect, Mapping):
        return [f"{script.path}:{script.line(*where)}: {label}: 'expect' must be a mapping"]
    for key, expected in expect.items():
        line = script.line(*where, key)
        try:
            unknown = _unknown(str(key), expected, game.s)
            if unknown:
                failures.append(f"{script.path}:{line}: {label}: {unknown}")
                continue
            found = observed(game, str(key), report)
            ok = _compare(expected, found, str(key))
        except _Unreadable as exc:
            failures.append(f"{script.path}:{line}: {label}: {exc}")
            continue
        if not ok:
            shown = _shown(expected) if isinstance(expected, bool) else expected
            failures.append(
                f"{script.path}:{line}: {label}: expected {key} {shown}, found {_shown(found)}"
            )
    return failures


def run_script(script: Script, load: Callable[[str], Scenario]) -> ScriptResult:
    """Play the script's game; `load` turns its `scenario` entry into a Scenario."""
    with budget():  # its misspelt names get suggestions within a bounded search
        return _run_script(script, load)


def _run_script(script: Script, load: Callable[[str], Scenario]) -> ScriptResult:
    result = ScriptResult(script.path, None)
    try:
        scenario = load(str(script.data["scenario"]))
    except ScenarioError as exc:
        first = exc.problems[0] if exc.problems else Problem(script.path, 1, 1, "error", str(exc))
        result.failures.append(
            f"{script.path}:{script.line('scenario')}: cannot load the scenario: {first.format()}"
        )
        return result
    unknown = script_problems(script, scenario)
    if unknown:  # every misspelt id at once, before a game that would stop at the first
        result.failures += unknown
        return result
    game = Game.new(scenario, script.data.get("seed"))
    result.game = game
    for i, turn in enumerate(script.data.get("turns") or []):
        label = f"turn {i + 1}"
        if game.finished:
            result.failures.append(
                f"{script.path}:{script.line('turns', i)}: {label}: the game already ended "
                f"(ending {game.ending}) on turn {game.turn}"
            )
            return result
        try:
            actions = _actions(turn)
        except (ValueError, AttributeError, TypeError) as exc:
            result.failures.append(f"{script.path}:{script.line('turns', i)}: {label}: {exc}")
            return result
        refused = turn.get("refused") or []
        refused = [refused] if isinstance(refused, str) else refused
        if not isinstance(refused, list) or not all(isinstance(k, str) for k in refused):
            result.failures.append(
                f"{script.path}:{script.line('turns', i, 'refused')}: {label}: refused must be "
                "an action key (allocate, end, activate, propose, choose) or a list of them"
            )
            return result
        expected_refusals = set(refused)
        for key, action in actions:
            outcome = game.apply(action)
            line = script.line("turns", i, key)
            if not outcome.ok and key not in expected_refusals:
                result.failures.append(f"{script.path}:{line}: {label}: refused: {outcome.reason}")
            elif outcome.ok and key in expected_refusals:
                result.failures.append(
                    f"{script.path}:{line}: {label}: expected a refusal for '{key}'"
                )
        outcome = game.apply(EndTurn())
        if not outcome.ok:
            result.failures.append(
                f"{script.path}:{script.line('turns', i)}: {label}: cannot end the "
                f"turn: {outcome.reason}"
            )
            return result
        if "expect" in turn:
            result.failures += _check(
                script, turn["expect"], ("turns", i, "expect"), game, outcome.report, label
            )
    if "expect" in script.data:
        result.failures += _check(
            script, script.data["expect"], ("expect",), game, None, "at the end"
        )
    return result


def run_file(path: Path, search: list[Path] | None = None) -> ScriptResult:
    """Read and run one script file; a broken file is a failure, never an exception."""
    from game.library import load_scenario, read_text, resolve

    try:
        script = read_script(read_text(path), str(path))
    except ScenarioError as exc:
        return ScriptResult(str(path), None, [exc.problems[0].format()])
    except ScriptError as exc:
        return ScriptResult(str(path), None, exc.problems)

    def load(name: str) -> Scenario:
        return load_scenario(resolve(name, search, base=path.parent))

    return run_script(script, load)
