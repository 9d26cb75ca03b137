"""Scenario files on disk: reading them safely and finding them by id or path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from game.paths import shipped_scenarios
from game.scenario import Problem, Scenario, ScenarioError, check_scenario

MAX_BYTES = 1_048_576
SHIPPED = shipped_scenarios()
DEFAULT_SCENARIO = "hybrid_mandate"


def search_path(extra: list[Path] | None = None) -> list[Path]:
    """Folders searched for scenario ids: extra ones, $ACCORD_SCENARIOS, then the shipped ones."""
    paths = list(extra or [])
    env = os.environ.get("ACCORD_SCENARIOS")
    if env:
        paths += [Path(p) for p in env.split(os.pathsep) if p]
    paths.append(SHIPPED)
    return paths


def is_shipped(path: Path) -> bool:
    """Whether `path` is one of the scenarios that come with Accord (not a file of the user's)."""
    try:
        return path.resolve().parent == SHIPPED.resolve()
    except OSError:
        return False


def read_text(path: Path) -> bytes:
    """Read a scenario or script file, refusing what is not a readable file of sane size."""
    display = str(path)
    if not path.exists():
        raise ScenarioError([Problem(display, 1, 1, "error", "no such file")])
    if path.is_dir():
        raise ScenarioError([Problem(display, 1, 1, "error", "this is a folder, not a file")])
    if not path.is_file():  # a pipe or a device: opening it could wait forever
        raise ScenarioError([Problem(display, 1, 1, "error", "this is not a regular file")])
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(
            [Problem(display, 1, 1, "error", f"cannot read: {exc.strerror}")]
        ) from exc
    if len(data) > MAX_BYTES:
        message = f"the file is over {MAX_BYTES} bytes; scenarios are limited to 1 MiB"
        raise ScenarioError([Problem(display, 1, 1, "error", message)])
    return data


def check_file(path: Path) -> tuple[Scenario | None, tuple[Problem, ...]]:
    try:
        data = read_text(path)
    except ScenarioError as exc:
        return None, exc.problems
    return check_scenario(data, str(path))


def load_scenario(path: str | Path) -> Scenario:
    """Load and check a scenario file; raise ScenarioError with every located problem."""
    scenario, problems = check_file(Path(path))
    if scenario is None:
        raise ScenarioError(list(problems))
    return scenario


def resolve(name: str, extra: list[Path] | None = None, base: Path | None = None) -> Path:
    """A scenario path from an id on the search path, or a path (relative to `base` if given)."""
    candidate = Path(name)
    if base is not None and not candidate.is_absolute():
        relative = base / candidate
        if relative.exists() or name.endswith((".yaml", ".yml")):
            return relative
    if candidate.suffix in (".yaml", ".yml") or os.sep in name or candidate.exists():
        return candidate
    for folder in search_path(extra):
        for suffix in (".yaml", ".yml"):
            path = folder / f"{name}{suffix}"
            if path.is_file():
                return path
    known = sorted({p.stem for f in search_path(extra) if f.is_dir() for p in f.glob("*.y*ml")})
    hint = f" (known ids: {', '.join(known)})" if known else ""
    message = f"no scenario with this id on the search path and no such file{hint}"
    raise ScenarioError([Problem(name, 0, 0, "error", message)])  # no file: no place in one


@dataclass(frozen=True)
class Entry:
    """A scenario found on the search path, for pickers and listings."""

    path: Path
    scenario: Scenario | None
    problems: tuple[Problem, ...]


def discover(extra: list[Path] | None = None) -> list[Entry]:
    """Every scenario file on the search path (first occurrence of each file name wins)."""
    seen: set[str] = set()
    out: list[Entry] = []
    for folder in search_path(extra):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            if path.name in seen:
                continue
            seen.add(path.name)
            scenario, problems = check_file(path)
            out.append(Entry(path, scenario, problems))
    return out


def scenario_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the YAML files they hold (for `accord validate DIR`)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml") and not p.name.endswith(".play.yaml")
            )
        else:
            out.append(path)
    return out
