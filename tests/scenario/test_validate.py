"""Scenario files: every bad fixture fails where and how it should; hostile files are refused
cleanly; shipped scenarios validate; `accord validate` and `accord schema` behave."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.library import check_file
from game.scenario import check_scenario

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "bad"
ACCORD = [sys.executable, "-m", "game"]

# fixture name -> (line, column, message): one defect each, found exactly there.
EXPECTED = {
    "typo_in_key": (7, 29, "metrics.support: unknown key 'strat' (did you mean 'start'?)"),
    "unknown_metric": (18, 18, "unknown metric 'stabilty' (did you mean 'stability'?)"),
    "yaml_no_as_text": (3, 8, "title: expected text, found the boolean false"),
    "turns_not_a_number": (4, 8, "turns: expected a whole number, found the text 'ten'"),
    "duplicate_key": (8, 3, "duplicate key 'support' (first written at line 7)"),
    "two_headlines": (
        7,
        12,
        "exactly one metric must have 'headline: true'; found stability, support",
    ),
    "no_headline": (6, 3, "exactly one metric must have 'headline: true'; found none"),
    "start_out_of_bounds": (7, 36, "metrics.support.start: 140 is outside 0..100"),
    "bad_id": (12, 3, "the text 'African_Union' is not a valid id"),
    "id_used_twice": (14, 3, "id 'support' is used in both metrics and lines_of_effort"),
    "assignment_in_expression": (18, 56, "'=' is assignment; use '==' to compare"),
    "attribute_escape": (18, 35, "attribute access ('.__class__') is not allowed"),
    "huge_power": (18, 46, "the exponent in '4000000 ** 4000000' is above 100"),
    "unknown_name_in_expression": (18, 35, "unknown name 'trust.unknown_partner'"),
    "history_function_outside_score": (18, 35, "mean() is only allowed in score and lessons"),
    "condition_is_a_number": (
        20,
        32,
        "endings.done.when: expected a true/false condition, got a number",
    ),
    "effect_two_targets": (18, 9, "an effect needs exactly one target"),
    "unknown_resource_accepted": (
        16,
        24,
        "lines_of_effort.security.accepts: unknown resource 'troops'",
    ),
    "grades_not_descending": (23, 22, "scoring.grades.B: B (70) must be below A (50)"),
    "wrong_format_version": (1, 9, "this file is written for accord/2; this Accord reads accord/1"),
    "missing_scoring": (1, 1, "missing required top-level key 'scoring'"),
    "preferences_missing_option": (
        27,
        53,
        "talks.preferences.un.values.posture: no value for option 'posture.soft'",
    ),
    "value_out_of_range": (
        27,
        73,
        "talks.preferences.un.values.posture.soft: value 1.5 is outside 0..1",
    ),
    "outcome_not_an_option": (
        30,
        7,
        "talks.outcomes: 'posture.gentle' must name an issue.option pair of this disagreement "
        "(did you mean 'posture.soft'?)",
    ),
    "veto_not_a_party": (
        23,
        36,
        "talks.agreement.vetoes.0: veto holder 'eu' is not one of the parties",
    ),
    "strategy_unknown_partner": (20, 55, "strategies.pact.partners: unknown stakeholder 'nato'"),
    "tabs_in_yaml": (4, 1, "a Tab character indents this line; indent with spaces only"),
}


def test_every_fixture_has_an_expectation():
    assert {p.stem for p in BAD.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_reports_its_defect_at_its_place(name):
    line, col, message = EXPECTED[name]
    scenario, problems = check_file(BAD / f"{name}.yaml")
    assert scenario is None
    errors = [p for p in problems if p.severity == "error"]
    assert errors, "no error reported"
    first = errors[0]
    assert (first.line, first.col) == (line, col), first.format()
    assert message in first.message
    # One defect, one message: nothing else is reported as an error...
    extra = [p.format() for p in errors[1:]]
    # ...except where a reused id also makes a name unknown downstream.
    assert not extra or name == "id_used_twice", extra


SCORE = '  score: "0.3 * mean(stability) + 0.2 * final(stability) + 0.25 * final(local_support) + 0.25 * final(cooperation)"'  # noqa: E501
FIRST = "0.3 * mean(stability) + 0.2 * final(stability) +"
SECOND = "0.25 * final(local_suport) + 0.25 * final(cooperation)"


@pytest.mark.parametrize(
    "written",
    [
        f"  score: >-\n    {FIRST}\n    {SECOND}",  # folded
        f"  score: |\n    {FIRST}\n    {SECOND}",  # literal
        f"  score: {FIRST}\n    {SECOND}",  # plain, over two lines
        f'  score: "{FIRST}\n    {SECOND}"',  # double-quoted, over two lines
        f"  score: '{FIRST}\n    {SECOND}'",  # single-quoted, over two lines
        f'  score: "0.3 * mean(stability)\\t+ 0.2 * final(stability)\\x20+ {SECOND}"',  # escapes
        f"  score: '(1 if ''a'' == ''a'' else 0) + {SECOND}'",  # quotes written twice
    ],
    ids=["folded", "literal", "plain", "double", "single", "escapes", "doubled-quote"],
)
def test_a_mistake_in_an_expression_is_located_in_any_style_of_text(written):
    """However the text of an expression is written (over several lines, quoted, with escapes),
    a mistake in it is reported at the line and column where the instructor typed it."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text()
    assert SCORE in text
    text = text.replace(SCORE, written)
    _, problems = check_scenario(text, "score.yaml")
    errors = [p for p in problems if "local_suport" in p.message]
    assert errors, [p.format() for p in problems]
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "local_suport" in row)
    col = text.splitlines()[line - 1].index("local_suport") + 1
    assert (errors[0].line, errors[0].col) == (line, col)


def test_a_syntax_error_at_the_end_of_a_block_points_after_its_last_character():
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text()
    last = "    0.25 * final(local_support) +"
    text = text.replace(SCORE, f"  score: >-\n    {FIRST}\n{last}")
    _, problems = check_scenario(text, "score.yaml")
    line = text[: text.index(last)].count("\n") + 1  # the block's last line, after its "+"
    assert [(p.line, p.col) for p in problems] == [(line, len(last) + 1)]
    assert "syntax error" in problems[0].message


def test_ten_mistakes_give_every_message_in_one_run():
    _, problems = check_file(ROOT / "tests" / "fixtures" / "ten_mistakes.yaml")
    lines = [p.line for p in problems]
    assert len(problems) == 11 and all(p.severity == "error" for p in problems)
    assert lines == sorted(lines)
    assert len(set(lines)) == 11  # eleven mistakes on eleven lines


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_scenario_validates_without_warnings(path):
    scenario, problems = check_file(path)
    assert scenario is not None, [p.format() for p in problems]
    assert problems == ()
    first_line = path.read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/scenario.schema.json"


HOSTILE = {
    "alias_bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "format: accord/1\n",
    "nested_brackets": "[" * 100_000 + "]" * 100_000,
    "empty": "",
    "comments_only": "# nothing here\n",
    "a_list": "- format: accord/1\n",
    "a_scalar": "just some words\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_refused_with_one_located_error(name):
    scenario, problems = check_scenario(HOSTILE[name], f"{name}.yaml")
    assert scenario is None
    assert len(problems) == 1 and problems[0].severity == "error"
    assert problems[0].line >= 1 and problems[0].col >= 1


def test_binary_and_oversized_files_are_refused(tmp_path):
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 1_100_000)
    for path, words in ((binary, "not UTF-8"), (big, "1 MiB")):
        scenario, problems = check_file(path)
        assert scenario is None and len(problems) == 1 and words in problems[0].message


# ---- the command ---------------------------------------------------------------------


def accord(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ACCORD, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_validate_command_exit_codes_and_output(tmp_path):
    ok = accord("validate", "scenarios/")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().endswith("0 errors, 0 warnings")
    bad = accord("validate", str(BAD / "unknown_metric.yaml"), str(BAD / "huge_power.yaml"))
    assert bad.returncode == 1
    lines = bad.stdout.strip().splitlines()
    assert lines[0].startswith(f"{BAD / 'unknown_metric.yaml'}:18:18: error: ")
    assert lines[1].startswith(f"{BAD / 'huge_power.yaml'}:18:46: error: ")
    assert lines[-1] == "2 files checked: 2 errors, 0 warnings"
    assert "Traceback" not in bad.stderr
    usage = accord("validate", "--no-such-option", "scenarios/")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert usage.stderr.startswith("accord: unrecognized arguments: --no-such-option")
    missing = accord("validate", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    # The files that exist are still checked and reported, in JSON too.
    both = accord("validate", "--json", str(BAD / "huge_power.yaml"), str(tmp_path / "nope.yaml"))
    assert both.returncode == 2 and "nope.yaml: no such file" in both.stderr
    report = json.loads(both.stdout)
    assert report["files"] == 1 and report["errors"] == 1
    assert report["missing"] == [str(tmp_path / "nope.yaml")]
    # A folder with nothing to check is not a pass.
    (tmp_path / "empty").mkdir()
    empty = accord("validate", str(tmp_path / "empty"))
    assert empty.returncode == 2 and "no .yaml scenario file in it" in empty.stderr


def test_validate_json_lists_the_same_problems():
    result = accord("validate", "--json", "tests/fixtures/ten_mistakes.yaml")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 11 and len(data["problems"]) == 11
    assert data["problems"][0] == {
        "file": "tests/fixtures/ten_mistakes.yaml",
        "line": 3,
        "col": 8,
        "severity": "error",
        "message": data["problems"][0]["message"],
    }


def test_no_file_content_makes_validate_print_a_traceback(tmp_path):
    for i, content in enumerate(
        [b"\x00\xff\xfe", b"{{{{", b"format: [", b"a: *nope", b"!!python/object:os.system {}"]
    ):
        path = tmp_path / f"f{i}.yaml"
        path.write_bytes(content)
        result = accord("validate", str(path))
        assert result.returncode == 1, content
        assert "Traceback" not in result.stdout + result.stderr
        assert f"{path}:" in result.stdout


def test_committed_schema_is_current():
    """`schema/scenario.schema.json` must equal `accord schema`; regenerate with
    `accord schema > schema/scenario.schema.json`."""
    result = accord("schema")
    assert result.returncode == 0
    committed = (ROOT / "schema" / "scenario.schema.json").read_text()
    assert json.loads(committed) == json.loads(result.stdout)
    assert "lines_of_effort" in json.loads(committed)["properties"]


def test_version_and_help():
    assert accord("--version").stdout.startswith("accord ")
    for command in ("play", "validate", "run", "playtest", "schema", "graph", "replay", "debrief"):
        result = accord(command, "--help")
        assert result.returncode == 0 and "usage: accord" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  grades: {A: 70, B: 58, C: 45, D: 30}",
            "  grades: {A: 70, B: 58, C: 45, D: 30, E: 20}",
            "scoring.grades: unknown key 'E'; use 'A', 'B', 'C' or 'D'",
        ),
        (
            "    parties: [un, coastal_union]",
            "    parties: [un]",
            "disagreements.patrol_plan.parties: the list needs at least 2 items, found 1",
        ),
        (
            "turn_label: week",
            "turn_label: fortnight of the long rains season",
            "turn_label: the text 'fortnight of the long rains season' is too long: at most 30 "
            "characters",
        ),
    ],
    ids=["grade-letter", "one-party", "long-label"],
)
def test_limits_and_fixed_keys_are_explained_in_plain_words(old, new, message):
    """A key outside a fixed set, a list too short, a text too long: the message says what is
    wrong in the instructor's words, not the validation library's."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text()
    assert old in text
    _, problems = check_scenario(text.replace(old, new), "limits.yaml")
    assert message in [p.message for p in problems]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '  holding: {check: at_end, when: "true",',
            '  holding: {check: at_end, when: "stability >= 40",',
            "endings: none is sure to apply at the last turn, so a game can end with no ending",
        ),
        (
            "        reservation: 0.55\n",
            "        reservation: 0.9\n",
            "disagreements.patrol_plan: no package can ever be agreed: even at the deadline, "
            "with trust 100",
        ),
    ],
    ids=["no-catch-all-ending", "no-agreeable-package"],
)
def test_a_scenario_that_cannot_end_or_agree_as_meant_is_warned_about(old, new, message):
    """Warnings for what an instructor means to have but wrote out: an ending for every game,
    and a disagreement that some package can settle."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text()
    assert old in text
    scenario, problems = check_scenario(text.replace(old, new), "warned.yaml")
    assert scenario is not None  # warnings only: the scenario still loads and plays
    warnings = [p.message for p in problems if p.severity == "warning"]
    assert any(w.startswith(message) for w in warnings), warnings


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_refused_without_being_opened(tmp_path):
    """Opening a named pipe would wait for a writer forever: it is refused unread."""
    pipe = tmp_path / "scenario.yaml"
    os.mkfifo(pipe)
    done = accord("validate", str(pipe))
    assert done.returncode == 1
    assert f"{pipe}:1:1: error: this is not a regular file" in done.stdout
