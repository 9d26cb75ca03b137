"""`accord run`: playthrough scripts pass, fail with file and line, and expect refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def accord_run(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", "run", *map(str, paths)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip


def test_failures_name_the_file_line_expected_and_found(tmp_path):
    script = tmp_path / "wrong.play.yaml"
    script.write_text(
        "scenario: hybrid_mandate\n"
        "seed: 7\n"
        "turns:\n"
        "  - allocate: {security_ops: {troops: 500}}\n"
        "    expect:\n"
        "      stability: '>= 99'\n"
        "      turn: 1\n"
    )
    result = accord_run(script)
    assert result.returncode == 1
    out = result.stdout
    assert f"{script}:4: turn 1: refused: Not enough Troop battalions:" in out
    assert f"{script}:6: turn 1: expected stability >= 99, found " in out
    assert ":7:" not in out  # turn 1 is right
    assert out.strip().endswith("0 passed, 1 failed")


def test_expected_refusals_and_scenario_paths_relative_to_the_script(tmp_path):
    scenario = (ROOT / "scenarios" / "tutorial.yaml").read_text()
    (tmp_path / "mine.yaml").write_text(scenario)
    script = tmp_path / "refusal.play.yaml"
    script.write_text(
        "scenario: mine.yaml\n"
        "turns:\n"
        "  - activate: [no_such_strategy]\n"
        "    refused: [activate]\n"
        "    expect: {turn: 1}\n"
        "expect: {ending: none}\n"
    )
    result = accord_run(script)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith(f"PASS {script}")


def test_a_broken_script_is_a_failure_not_a_traceback(tmp_path):
    script = tmp_path / "broken.play.yaml"
    script.write_text("scenario: hybrid_mandate\nturns: [1, 2\n")
    result = accord_run(script)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{script}:" in result.stdout


def test_expectations_are_read_against_the_scenario(tmp_path):
    """A misspelt name or ending, a grade that is not a letter, a malformed comparison or text
    where a number is due: each is a failure that says what to write instead, never a silent
    mismatch. Quoted true and false mean true and false."""
    script = tmp_path / "readings.play.yaml"
    script.write_text(
        "scenario: tutorial\n"
        "turns:\n"
        "  - expect:\n"
        "      active.joint_patrols: 'false'\n"
        "      stability: '=> 10'\n"
        "      cooperation: about 40\n"
        "      stabilty: 3\n"
        "expect:\n"
        "  ending: fragle\n"
        "  grade: '>= E'\n"
        "  finished: 'true'\n"
    )
    out = accord_run(script).stdout
    assert ":4:" not in out  # 'false' is false
    assert f"{script}:5: turn 1: '=> 10' is not a comparison: use one of >=, <=, ==" in out
    assert f"{script}:6: turn 1: cooperation is a number: expect a number or a comparison" in out
    assert f"{script}:7: turn 1: unknown name 'stabilty' (did you mean 'stability'?)" in out
    assert f"{script}:9: at the end: unknown ending 'fragle'" in out
    assert f"{script}:10: at the end: 'E' is not a grade: use A, B, C, D or F" in out
    assert f"{script}:11: at the end: expected finished true, found false" in out


def test_an_empty_script_says_what_a_script_is(tmp_path):
    script = tmp_path / "empty.play.yaml"
    script.write_text("# to do\n")
    result = accord_run(script)
    assert result.returncode == 1
    assert "a playthrough script is a YAML mapping with 'scenario:'" in result.stdout
    assert "format: accord/1" not in result.stdout


def test_save_shows_why_a_script_did_not_start_a_game(tmp_path):
    """`run --save` with a script that cannot start a game says why (the YAML error and its
    line), reports the script as failed as it would without --save, and writes nothing."""
    script = tmp_path / "badyaml.play.yaml"
    script.write_text("scenario: tutorial\nturns:\n  - allocate: {patrols: {troops: 4\n")
    target = tmp_path / "x.json"
    result = accord_run(script, "--save", target)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        f"accord run: nothing was saved to {target}: the script did not start a game: {script}:4:"
    )
    assert "could not parse YAML" in result.stderr
    assert result.stdout.startswith(f"FAIL {script}\n  {script}:4:")
    assert not target.exists()
