"""`accord playtest` errors: one sentence on stderr, exit 2 (usage) or 1, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ACCORD


def _accord(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACCORD), *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["no_such_scenario"], 2, "no scenario with this id"),
        (["{file}", "--policy", "clever"], 2, "unknown policy 'clever'"),
        (["{file}", "--policy", "fixed:line=nowhere"], 2, "no line of effort 'nowhere'"),
        (["{file}", "--policy", "no_such_module:Bot"], 2, "cannot import policy module"),
        (["{file}", "--runs", "0"], 2, "--runs must be at least 1"),
        (["{file}", "--workers", "0"], 2, "--workers must be at least 1"),
        (["{file}", "--path-to", "glory"], 2, "has no ending 'glory'"),
        (["{file}", "--out", "x.play.yaml"], 2, "--out goes with --path-to"),
        (["{file}", "--runs", "many"], 2, "invalid int value"),
    ],
)
def test_errors_are_one_sentence(
    lopsided_file: Path, args: list[str], status: int, words: str
) -> None:
    done = _accord("playtest", *[a.replace("{file}", str(lopsided_file)) for a in args])
    assert done.returncode == status
    assert words in done.stderr
    assert done.stderr.startswith("accord")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_broken_scenario_file_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: accord/1\nid: Broken\n", encoding="utf-8")
    done = _accord("playtest", path)
    assert done.returncode == 1
    assert str(path) in done.stderr and done.stderr.count("\n") == 1


def test_human_report_names_every_section(lopsided_file: Path) -> None:
    done = _accord("playtest", lopsided_file, "--policy", "all", "--runs", "6")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for words in ("mean", "stdev", "p10", "p90", "A/B/C/D/F", "Scores", "Coverage",
                  "Dominant fixed policies", "fixed:line=good", "Paths to endings"):  # fmt: skip
        assert words in out
    assert done.stderr == ""  # no progress bar when stderr is not a terminal


def test_never_reached_items_carry_file_and_line(tmp_path: Path) -> None:
    from conftest import COVERAGE

    path = tmp_path / "tiny.yaml"
    path.write_text(COVERAGE, encoding="utf-8")
    done = _accord("playtest", path, "--runs", "5")
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if "event never" in x)
    assert line.strip().startswith(f"{path}:")
    number = int(line.strip().split(":")[1])
    # The line of the event's entry: its key, or the first line of its body.
    assert "never:" in " ".join(COVERAGE.splitlines()[number - 2 : number])
