"""The guides cannot drift from the code: the authoring guide's complete scenarios validate,
its playthrough scripts pass, its common mistakes print what the guide says they print, every
field and expression name of the format is documented in it, and the trainee's guide names
every key of the game.

Marking, as the guide's maintainer comment says: a fenced block whose info string is
`yaml scenario` is a complete scenario; `yaml playthrough` is a playthrough script run
against the scenario blocks; plain `yaml` blocks are fragments and are not checked. A
`<!-- mistake: ... -->` comment says how to break the finished walk-through file; the next
fenced block is what validating the broken file prints.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel

from game.playtest.script import run_file
from game.scenario import Scenario, check_scenario, expr, models
from game.scenario.models import ScenarioModel

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))

# The names `contribution` may use besides `turn` and `turns`; the builder fixes them.
CONTRIBUTION_NAMES = ("base", "trust")

# A small scenario with one of every kind of thing, so that its name table holds every
# family of expression names the compiler knows (trust., alloc., chose., flag., ...).
EVERYTHING = """
format: accord/1
id: everything
title: Everything
turns: 3
metrics:
  m: {label: M, start: 50, headline: true}
resources:
  r: {label: R, per_turn: 1}
stakeholders:
  s: {name: S, kind: nation, trust: 50, provides: {r: 1}}
  t: {name: T, kind: nation, trust: 50}
lines_of_effort:
  l: {label: L, accepts: [r], effects: [{metric: m, add: "alloc.l.r"}]}
strategies:
  st: {label: St, kind: bilateral, partners: [s], each_turn: [{flag: f, add: 1}]}
disagreements:
  d:
    label: D
    parties: [s, t]
    deadline: 3
    issues: {i: {label: I, options: {o: O, p: P}}}
    preferences:
      s: {weights: {i: 1}, values: {i: {o: 1, p: 0}}, reservation: 0.5}
      t: {weights: {i: 1}, values: {i: {o: 0, p: 1}}, reservation: 0.5}
events:
  e: {title: E, choices: {c: {label: C}}}
endings:
  end: {check: at_end, when: "true"}
scoring:
  score: "final(m)"
"""


def fenced_blocks(text: str) -> list[tuple[str, str, int]]:
    """Every fenced code block as (info string, content, line of the opening fence).

    Fences may be indented (inside list items); content is dedented by the fence's indent.
    """
    blocks: list[tuple[str, str, int]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        stripped = lines[i].lstrip(" ")
        if stripped.startswith("```"):
            indent = len(lines[i]) - len(stripped)
            info = stripped[3:].strip()
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            body = [ln[indent:] if not ln[:indent].strip() else ln for ln in lines[start:j]]
            blocks.append((info, "\n".join(body) + "\n", i + 1))
            i = j + 1
        else:
            i += 1
    return blocks


GUIDE_TEXT = GUIDE.read_text(encoding="utf-8")
BLOCKS = fenced_blocks(GUIDE_TEXT)
SCENARIO_BLOCKS = [(body, line) for info, body, line in BLOCKS if info == "yaml scenario"]
PLAYTHROUGH_BLOCKS = [(body, line) for info, body, line in BLOCKS if info == "yaml playthrough"]


def _block_name(n: int) -> str:
    return f"docs/authoring.md#block-{n}"


def _load(body: str, n: int) -> Scenario:
    scenario, problems = check_scenario(body, _block_name(n))
    errors = [p.format() for p in problems if p.severity == "error"]
    assert not errors, "\n".join(errors)
    assert scenario is not None
    return scenario


def test_the_guide_marks_its_complete_scenarios_and_scripts() -> None:
    """The walk-through shows the smallest scenario and the finished one, and a script."""
    assert len(SCENARIO_BLOCKS) >= 2
    assert len(PLAYTHROUGH_BLOCKS) >= 1


@pytest.mark.parametrize(
    ("n", "body", "line"),
    [(n, body, line) for n, (body, line) in enumerate(SCENARIO_BLOCKS, start=1)],
    ids=[_block_name(n) for n in range(1, len(SCENARIO_BLOCKS) + 1)],
)
def test_complete_scenario_validates_without_errors(n: int, body: str, line: int) -> None:
    """Every block marked `yaml scenario` loads with no errors."""
    _load(body, n)


@pytest.mark.parametrize(
    ("n", "body"),
    [(n, body) for n, (body, _) in enumerate(SCENARIO_BLOCKS, start=1)],
    ids=[_block_name(n) for n in range(1, len(SCENARIO_BLOCKS) + 1)],
)
def test_complete_scenario_has_no_warnings_as_the_guide_promises(n: int, body: str) -> None:
    """The walk-through says `0 errors, 0 warnings` after each complete scenario."""
    _, problems = check_scenario(body, _block_name(n))
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize(
    "body",
    [body for body, _ in PLAYTHROUGH_BLOCKS],
    ids=[f"docs/authoring.md:{line}" for _, line in PLAYTHROUGH_BLOCKS],
)
def test_playthrough_script_passes(body: str, tmp_path: Path) -> None:
    """Every block marked `yaml playthrough` passes against the guide's scenarios, written
    next to it as <id>.yaml (a later block with the same id replaces an earlier one)."""
    for n, (scenario_body, _) in enumerate(SCENARIO_BLOCKS, start=1):
        scenario = _load(scenario_body, n)
        (tmp_path / f"{scenario.model.id}.yaml").write_text(scenario_body, encoding="utf-8")
    script = tmp_path / "guide.play.yaml"
    script.write_text(body, encoding="utf-8")
    result = run_file(script)
    assert result.ok, "\n".join(result.failures)


# --- Common mistakes (part 11) -------------------------------------------------------------
#
# Before each entry, a comment says how to make the mistake in the finished walk-through file
# (the last `yaml scenario` block), one step a line:
#
#     <!-- mistake: replace "start: 45}" with "start: 45" -->
#     <!-- mistake:
#       replace "  aid:\n    label: Aid" with "  patrols:\n    label: Aid"
#       append "contribution: \"base\"\n"
#     -->
#
# `replace` changes the first occurrence of the exact text (which must occur); `append` adds
# text at the end. The texts are JSON strings: `\"`, `\n` and `\t` work. The first fenced block
# after the comment is the exact output for the file saved as river_corridor.yaml: the
# problems, one a line; when its last line is the summary (`1 file checked: ...`), it is the
# whole output of `accord validate river_corridor.yaml`, run as a command.

MISTAKE = re.compile(r"<!--\s*mistake:(.*?)-->", re.S)
_TEXT = r'"(?:[^"\\\n]|\\.)*"'
STEP = re.compile(rf"\s*(?:replace\s+({_TEXT})\s+with\s+({_TEXT})|append\s+({_TEXT}))\s*")
SUMMARY = re.compile(r"\d+ files? checked: \d+ errors?, \d+ warnings?")
MISTAKES_PART = re.compile(r"^## 11\. .*?(?=^## 12\. )", re.S | re.M)


@dataclass(frozen=True)
class Mistake:
    line: int  # the comment's first line in the guide
    steps: tuple[tuple[str, str | None, str], ...]  # (verb, old text or None, new text)
    expected: tuple[str, ...]  # the lines of the output block after the comment


def _steps(body: str, line: int) -> tuple[tuple[str, str | None, str], ...]:
    steps: list[tuple[str, str | None, str]] = []
    pos = 0
    while pos < len(body.rstrip()):
        m = STEP.match(body, pos)
        assert m and m.end() > pos, f"docs/authoring.md:{line}: cannot read {body[pos:]!r}"
        if m.group(3) is not None:
            steps.append(("append", None, json.loads(m.group(3))))
        else:
            steps.append(("replace", json.loads(m.group(1)), json.loads(m.group(2))))
        pos = m.end()
    assert steps, f"docs/authoring.md:{line}: a mistake comment without a step"
    return tuple(steps)


def _line_of(offset: int) -> int:
    return GUIDE_TEXT.count("\n", 0, offset) + 1


def guide_mistakes() -> list[Mistake]:
    """Every mistake comment of the guide, with the output block that follows it."""
    found: list[Mistake] = []
    comments = list(MISTAKE.finditer(GUIDE_TEXT))
    for k, m in enumerate(comments):
        line, end = _line_of(m.start()), _line_of(m.end())
        upto = _line_of(comments[k + 1].start()) if k + 1 < len(comments) else 10**9
        block = next((b for b in BLOCKS if end < b[2] < upto and b[0] == ""), None)
        assert block is not None, f"docs/authoring.md:{line}: no output block after the mistake"
        found.append(Mistake(line, _steps(m.group(1), line), tuple(block[1].splitlines())))
    return found


MISTAKES = guide_mistakes()


def make_mistake(mistake: Mistake) -> str:
    """The finished walk-through file with the mistake made in it."""
    text = SCENARIO_BLOCKS[-1][0]
    for verb, old, new in mistake.steps:
        if verb == "append":
            text += new
            continue
        assert old is not None
        assert old in text, f"docs/authoring.md:{mistake.line}: {old!r} is not in the file"
        text = text.replace(old, new, 1)
    return text


def test_a_mistake_comment_may_hold_several_steps() -> None:
    """The comment's little language: steps on one line or several, JSON escapes."""
    body = '\n  replace "a\\tb" with "c"\n  replace "\\"d\\"" with ""  append "e\\n"\n'
    assert _steps(body, 0) == (
        ("replace", "a\tb", "c"),
        ("replace", '"d"', ""),
        ("append", None, "e\n"),
    )
    with pytest.raises(AssertionError, match="cannot read"):
        _steps('replace "a" by "b"', 0)


def test_every_common_mistake_says_how_it_was_made() -> None:
    """Every entry of part 11 (a paragraph starting in bold) follows a mistake comment, so its
    output is checked below."""
    part = MISTAKES_PART.search(GUIDE_TEXT)
    assert part is not None, "docs/authoring.md has no part 11 followed by a part 12"
    entries = re.findall(r"^\*\*", part.group(0), re.M)
    made = MISTAKE.findall(part.group(0))
    assert len(entries) == len(made), (
        f"part 11 has {len(entries)} entries but {len(made)} mistake comments"
    )
    for m in MISTAKE.finditer(part.group(0)):
        after = part.group(0)[m.end() :].lstrip()
        assert after.startswith("**"), f"a mistake comment not followed by an entry: {m[0]!r}"


@pytest.mark.parametrize("mistake", MISTAKES, ids=[f"docs/authoring.md:{m.line}" for m in MISTAKES])
def test_common_mistake_prints_what_the_guide_shows(mistake: Mistake, tmp_path: Path) -> None:
    """Each mistake, made in the finished walk-through file, prints exactly the guide's block."""
    text = make_mistake(mistake)
    if mistake.expected and SUMMARY.fullmatch(mistake.expected[-1]):
        (tmp_path / "river_corridor.yaml").write_text(text, encoding="utf-8")
        path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
        env = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1"}
        run = subprocess.run(
            [sys.executable, "-m", "game", "validate", "river_corridor.yaml"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert run.stderr == ""
        assert tuple(run.stdout.splitlines()) == mistake.expected
    else:
        _, problems = check_scenario(text, "river_corridor.yaml")
        assert tuple(p.format() for p in problems) == mistake.expected


def _documented(word: str) -> bool:
    return f"`{word}`" in GUIDE_TEXT or f"`{word}:" in GUIDE_TEXT


@pytest.mark.parametrize("field", list(ScenarioModel.model_fields))
def test_every_top_level_field_is_documented(field: str) -> None:
    """Every top-level key of the format appears in the guide, between backticks."""
    assert _documented(field), f"docs/authoring.md never mentions the top-level key `{field}`"


def _format_models() -> list[type[BaseModel]]:
    return [
        cls
        for _, cls in inspect.getmembers(models, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == models.__name__ and cls.model_fields
    ]


@pytest.mark.parametrize(
    ("part", "field"),
    [(cls.__name__, f) for cls in _format_models() for f in cls.model_fields],
)
def test_every_field_of_every_part_is_documented(part: str, field: str) -> None:
    """Every field of every part of the format (metric, effect, choice, ...) is in the guide."""
    assert _documented(field), f"docs/authoring.md never mentions `{field}` (a field of {part})"


def _expression_words() -> set[str]:
    """Name prefixes (`trust.`), plain names (`turn`) and functions the compiler accepts."""
    scenarios = [_load(EVERYTHING, 0)]
    for path in SHIPPED:
        scenario, _ = check_scenario(path.read_bytes(), str(path))
        if scenario is not None:
            scenarios.append(scenario)
    words: set[str] = set(CONTRIBUTION_NAMES)
    for scenario in scenarios:
        for name in scenario.names:
            if "." in name:
                words.add(name.split(".", 1)[0] + ".")
            elif name not in scenario.model.metrics:
                words.add(name)
    words.update(expr._ARITY)  # the compiler's own function tables
    words.update(expr._HISTORY_ONLY)
    return words


def test_the_name_list_is_derived_from_the_compiler() -> None:
    """A guard on the derivation below: it finds at least the names of the format."""
    expected = {
        "turn", "turns", "trust.", "withdrawn.", "res.", "alloc.", "active.", "active_turns.",
        "open.", "agreed.", "failed.", "open_turns.", "agreed_turn.", "chose.", "fired.",
        "flag.", "base", "sqrt", "clamp", "mean", "final", "turns_above",
    }  # fmt: skip
    assert expected <= _expression_words()


@pytest.mark.parametrize("word", sorted(_expression_words()))
def test_every_expression_name_and_function_is_documented(word: str) -> None:
    """Every expression name prefix and every function appears in the guide in backticks
    (`trust.<stakeholder>`, `sqrt(x)`, `turn`)."""
    if word.endswith("."):
        found = f"`{word}" in GUIDE_TEXT
    else:
        found = f"`{word}`" in GUIDE_TEXT or f"`{word}(" in GUIDE_TEXT
    assert found, f"docs/authoring.md never mentions the expression name `{word}`"


PLAYING = ROOT / "docs" / "playing.md"


def test_the_trainee_guide_names_every_key_of_the_game() -> None:
    """Every key the game's own help screen lists appears in docs/playing.md, in backticks.
    The help screen reads the bindings themselves, so a new or changed key fails here."""
    from game.tui.screens.help import sections

    text = PLAYING.read_text(encoding="utf-8")
    missing = []
    for context, rows in sections():
        for keys, what in rows:
            for key in keys.split():
                if key in ("Mouse", "Click", "0-9"):
                    continue
                if f"`{key}`" not in text:
                    missing.append(f"{context}: `{key}` ({what})")
    assert not missing, "docs/playing.md never mentions:\n" + "\n".join(missing)
