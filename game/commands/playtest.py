"""`accord playtest SCENARIO`: Monte Carlo playthroughs, balance, coverage, paths to endings."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from game.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, SEEDS, _paths
from game.library import load_scenario, resolve
from game.playtest.compare import compare, compare_text, problem
from game.playtest.paths import PathError, script_text
from game.playtest.policies import (
    CoveragePolicy,
    PolicyError,
    make_policy,
    play_game,
    policy_names,
)
from game.playtest.runner import (
    SEARCHERS,
    PlaytestError,
    aimed_at,
    batches,
    combined_json,
    find_path,
    runs_of,
)
from game.playtest.script import read_script, run_file, run_script
from game.playtest.text import DETAIL_MARK, ProgressBar, report
from game.safe_text import printable, unescaped
from game.scenario import Scenario, ScenarioError

PROG = "accord playtest"
# Beyond these, a run would take days or start more processes than any machine has cores:
# a typo (one zero too many), not a wish.
MOST_RUNS = 1_000_000
MOST_WORKERS = 256
# The expert and coverage bots search: each of their games costs seconds (hundreds of greedy
# games), so a thousand of them is already an hour's work on a few cores.
MOST_EXPERT_RUNS = 1_000
# An earlier playtest's --json is some hundreds of KB; this is far beyond any.
MOST_OLD = 32 * 2**20


class Refused(Exception):
    """A usage problem or a failure, told in one sentence with its exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def run(args: argparse.Namespace) -> int:
    progress = ProgressBar(unescaped(sys.stderr)) if sys.stderr.isatty() else None
    try:
        scenario, path = _scenario(args)
        names = _policies(args, scenario)
        if args.path_to is not None:
            for option, given in (("--detail", args.detail), ("--compare", args.compare)):
                if given:
                    raise Refused(f"{option} goes with a batch's report, not with --path-to")
            return _path_to(args, scenario, path, names, progress)
        if args.out is not None:
            raise Refused("--out goes with --path-to ENDING")
        if args.detail:
            _check_detail(Path(args.detail), path)
        old = _old(args.compare, scenario.id) if args.compare else None
        results = batches(
            scenario, names, args.runs, args.seed, args.workers, progress, args.expert_runs
        )
        if args.detail:
            _write_detail(Path(args.detail), report(results, args.workers, detail=True))
    except Refused as exc:
        return _fail(str(exc), exc.status, progress)
    except PlaytestError as exc:
        return _fail(str(exc), EXIT_FAIL, progress)
    finally:
        if progress is not None:
            progress.close()
    several = args.policy == "all" or len(results) > 1
    data = combined_json(results, args.policy) if several else results[0].to_json()
    moved = compare(old, data) if old is not None else None
    if args.json:
        print(json.dumps(data | ({"compare": moved} if moved is not None else {}), indent=2))
    else:
        sys.stdout.write(report(results, args.workers))
        if moved is not None:
            sys.stdout.write("\n" + "\n".join(compare_text(moved, args.compare)) + "\n")
    return EXIT_OK


def _old(name: str, scenario: str) -> dict[str, Any]:
    """An earlier `--json` output of a playtest of the same scenario, read for --compare and
    checked whole before any game is played: a regular file of at most MOST_OLD bytes, JSON,
    every field `compare` reads of the type `--json` writes."""
    path = Path(name)
    not_ours = f"--compare {printable(name)}: not the JSON of accord playtest --json"
    try:
        if path.exists() and not path.is_file():  # a folder, a device, a pipe: no end
            what = "a folder" if path.is_dir() else "not a regular file"
            raise Refused(f"--compare {printable(name)} is {what}; name a playtest's JSON file")
        with path.open("rb") as stream:
            raw = stream.read(MOST_OLD + 1)
    except OSError as exc:
        raise Refused(f"--compare {printable(name)}: cannot read it: {exc.strerror}") from exc
    if len(raw) > MOST_OLD:
        raise Refused(
            f"--compare {printable(name)} is larger than {MOST_OLD // 2**20} MiB: "
            "no playtest's JSON is"
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise Refused(not_ours) from exc
    if not isinstance(data, dict) or not ("policies" in data or "score" in data):
        raise Refused(not_ours)
    wrong = problem(data)
    if wrong:
        raise Refused(f"{not_ours} ({printable(wrong)})")
    theirs = data.get("scenario")
    if not isinstance(theirs, str):
        raise Refused(
            f"--compare {printable(name)} does not say which scenario it played (no "
            f"\"scenario\"), so it cannot be compared with a playtest of '{scenario}'"
        )
    if theirs != scenario:
        raise Refused(
            f"--compare {printable(name)} is a playtest of '{printable(theirs)}', not of "
            f"'{scenario}': compare playtests of the same scenario"
        )
    return data


def _check_detail(detail: Path, scenario: Path) -> None:
    """--detail writes a report, and replaces only a report it wrote before: never the
    scenario, a folder, a device or any other file."""
    name = printable(str(detail))
    if detail.is_dir():
        raise Refused(f"--detail {name} is a folder; name a file to write the detail in")
    if not detail.exists():
        folder = detail.parent
        if not folder.is_dir():  # said now, not once every game has been played
            raise Refused(f"--detail {name}: there is no folder {printable(str(folder))}")
        return
    try:
        same = detail.samefile(scenario)
    except OSError:
        same = False
    if same:
        raise Refused(f"--detail {name} is the scenario file itself; name another file")
    if not detail.is_file():
        raise Refused(f"--detail {name} is not a regular file; name a file to write")
    try:  # the mark is the last line: the file's end is read, however large the file
        with detail.open("rb") as handle:
            handle.seek(max(0, detail.stat().st_size - 4096))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        text = ""
    if not re.search(rf"^{re.escape(DETAIL_MARK)}", text, re.MULTILINE):
        raise Refused(
            f"--detail {name}: the file exists and was not written by accord playtest --detail; "
            "choose another name"
        )


def _write_detail(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise Refused(
            f"--detail {printable(str(path))}: cannot write it: {exc.strerror}", EXIT_FAIL
        ) from exc


def _fail(message: str, status: int, progress: ProgressBar | None) -> int:
    if progress is not None:
        progress.close()
    print(f"{PROG}: {message}", file=sys.stderr)
    return status


def cores() -> int:
    """The cores this process may run on: the default number of workers."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def _scenario(args: argparse.Namespace) -> tuple[Scenario, Path]:
    if args.workers is None:
        args.workers = min(cores(), MOST_WORKERS)
    if not 1 <= args.runs <= MOST_RUNS:
        raise Refused(f"--runs must be from 1 to {MOST_RUNS:,}, not {args.runs}")
    if args.expert_runs is not None and not 0 <= args.expert_runs <= MOST_EXPERT_RUNS:
        raise Refused(
            f"--expert-runs must be from 0 to {MOST_EXPERT_RUNS:,} (each of the expert's games "
            f"takes seconds), not {args.expert_runs:,}"
        )
    if args.seed + max(args.runs, args.expert_runs or 0) - 1 > SEEDS:
        raise Refused(
            f"--seed {args.seed:,} with --runs {args.runs:,} would play seeds beyond 10^15 "
            "(the most a seed can be)"
        )
    if not 1 <= args.workers <= MOST_WORKERS:
        raise Refused(f"--workers must be from 1 to {MOST_WORKERS}, not {args.workers}")
    if not args.scenario.strip():
        raise Refused("name a scenario: its id (see accord play) or its .yaml file")
    try:
        path = resolve(args.scenario, _paths(args.scenarios))
    except ScenarioError as exc:
        raise Refused(exc.problems[0].format()) from exc
    if path.is_dir():
        raise Refused(f"{path} is a folder; name one scenario file or id")
    if path.exists() and not path.is_file():
        raise Refused(f"{path} is not a regular file")
    if not path.is_file():
        raise Refused(f"{path}: no such scenario file")
    try:
        return load_scenario(path), path
    except ScenarioError as exc:
        problems = exc.problems
        more = f" (and {len(problems) - 1} more; see accord validate)" if len(problems) > 1 else ""
        raise Refused(f"{problems[0].format()}{more}", EXIT_FAIL) from exc


def _policies(args: argparse.Namespace, scenario: Scenario) -> list[str]:
    """`all`, one policy, or several separated by commas (each once, in the order given)."""
    if args.policy == "all":
        names = policy_names(scenario)
        if args.expert_runs == 0:
            names = [name for name in names if name not in SEARCHERS]
    else:
        names = list(dict.fromkeys(name.strip() for name in args.policy.split(",")))
        if "all" in names:
            raise Refused("--policy all already plays every policy: name it alone")
        if names == [""]:
            raise Refused("--policy names no policy: give one (random, greedy, ...) or all")
        if "" in names:
            raise Refused(f"--policy {printable(args.policy)}: a name is missing next to a comma")
    for name in names:
        try:
            make_policy(name, scenario)
        except PolicyError as exc:
            raise Refused(str(exc)) from exc
    return names


# ---- --path-to ENDING -----------------------------------------------------------------


def _path_to(
    args: argparse.Namespace,
    scenario: Scenario,
    path: Path,
    names: list[str],
    progress: ProgressBar | None,
) -> int:
    ending = args.path_to
    if args.out is not None:
        _check_out(Path(args.out))
    if ending not in scenario.endings:
        known = ", ".join(scenario.endings)
        raise Refused(f"{scenario.id} has no ending '{ending}' (its endings: {known})")
    found = find_path(scenario, ending, names, args.runs, args.seed, args.workers, progress)
    if found is None:
        who = f"policy {names[0]}" if len(names) == 1 else f"each of {len(names)} policies"
        hint = "more --runs" if args.policy == "all" else "--policy all or more --runs"
        runs = runs_of(names[0], args.runs, None) if len(names) == 1 else args.runs
        seeds = f"seeds {args.seed}..{args.seed + runs - 1}"
        message = f"no run of {who} ({seeds}) reached '{ending}'; try {hint}"
        raise Refused(message, EXIT_FAIL)
    policy, seed = found
    bot = CoveragePolicy(scenario, aimed_at(ending)) if policy == "coverage" else policy
    game = play_game(scenario, bot, seed)
    out = Path(args.out) if args.out else None
    reference = _reference(args.scenario, path, out)
    if printable(reference) != reference:
        raise Refused(
            f"{printable(reference)}: a script cannot name a scenario file whose name holds "
            "characters that are not text (not UTF-8, or control characters); rename the file"
        )
    title = f"A path to the ending '{ending}' of {scenario.title}"
    description = (
        f"{MARK}: policy {policy}, seed {seed}; score {game.score:.1f}, grade {game.grade}."
    )
    try:
        text = script_text(game, reference, ending, title, description)
    except PathError as exc:
        why = f"the run of {policy} with seed {seed} cannot be written as a script: {exc}"
        raise Refused(why, EXIT_FAIL) from exc
    _verify(text, out, scenario, ending, args)
    summary: dict[str, Any] = {
        "scenario": scenario.id, "ending": ending, "policy": policy, "seed": seed,
        "score": round(game.score, 2), "grade": game.grade, "turns": game.turn,
        "script": str(out) if out else None,
    }  # fmt: skip
    if args.json:
        print(json.dumps(summary | ({} if out else {"text": text}), indent=2))
    elif out is not None:
        print(
            f"Wrote {out}: {policy}, seed {seed} reaches '{ending}' on turn {game.turn} "
            f"(score {game.score:.1f}, grade {game.grade}). Check it with: accord run {out}"
        )
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _reference(name: str, path: Path, out: Path | None) -> str:
    """How the script names its scenario: the id when `accord run` finds it on the default
    search path, otherwise a path relative to the script's folder."""
    is_id = not name.endswith((".yaml", ".yml")) and os.sep not in name
    try:
        if is_id and resolve(name).resolve() == path.resolve():
            return name
    except ScenarioError:
        pass
    base = (out.parent if out is not None else Path.cwd()).resolve()
    try:
        return os.path.relpath(path.resolve(), base)
    except ValueError:  # another drive on Windows
        return str(path.resolve())


def _verify(
    text: str, out: Path | None, scenario: Scenario, ending: str, args: argparse.Namespace
) -> None:
    """Write the script (when asked) and play it back: it must reach the ending. The script
    is played back from a file of its own beside `out`, which replaces `out` only once it has
    passed: a file that was there before is never lost."""
    if out is None:
        result = run_script(read_script(text, "<path-to>"), lambda _name: scenario)
        _check_replay(result, ending)
        return
    trial = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        trial.write_text(text, encoding="utf-8")
        _check_replay(run_file(trial, _paths(args.scenarios)), ending)
        os.replace(trial, out)
    except OSError as exc:
        raise Refused(f"cannot write {out}: {exc.strerror}", EXIT_FAIL) from exc
    finally:
        trial.unlink(missing_ok=True)


def _check_replay(result: Any, ending: str) -> None:
    reached = result.game.ending if result.game is not None and result.game.finished else None
    if not result.ok or reached != ending:
        why = result.failures[0] if result.failures else f"it ends with {reached}"
        raise Refused(f"the script does not replay the run ({why})", EXIT_FAIL)


MARK = "Found by accord playtest"  # in every script --out writes (its description)


def _check_out(out: Path) -> None:
    """--out writes a playthrough script, and replaces only a script it wrote before."""
    if not out.name.endswith(".play.yaml"):
        raise Refused(f"--out {out}: a playthrough script's name ends in .play.yaml")
    if out.exists():
        try:
            text = out.read_text(encoding="utf-8", errors="replace") if out.is_file() else ""
        except OSError:
            text = ""
        # Its own scripts say so in their description, not merely somewhere (a comment).
        mine = re.search(rf"^description: ['\"]?{MARK}:", text, re.MULTILINE) is not None
        if not mine:
            raise Refused(
                f"--out {out}: the file exists and was not written by accord playtest; "
                "choose another name"
            )
