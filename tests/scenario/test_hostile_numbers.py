"""Number overflow and null targets: huge numbers in a scenario, an expression or a script are
refused with their place, an effect that computes a number too large for a float is used as
0 with a warning, and no input reaches an assert."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import Allocate, EndTurn, Game
from game.scenario import check_scenario

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
DECIMAL_310 = "1" * 310
HEX_4400 = "0x" + "f" * 4400
OCTAL_4400 = "0" + "7" * 4400  # YAML 1.1 reads a leading 0 as octal
TOO_LARGE = "is too large: numbers are at most 10^15 either way"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def problems_of(text: str) -> list[str]:
    scenario, problems = check_scenario(text, "hostile.yaml")
    assert scenario is None
    return [p.format() for p in problems]


@pytest.mark.parametrize(
    "number",
    [DECIMAL_310, HEX_4400, OCTAL_4400, f"-{DECIMAL_310}"],
    ids=["decimal", "hex", "octal", "negative"],
)
@pytest.mark.parametrize(
    "before, after",
    [
        ("trust: 65", "trust: {}"),
        ("start: 50, headline: true", "start: {}, headline: true"),
        ("provides: {funding: 10}", "provides: {{funding: {}}}"),
        ("turns: 6", "turns: {}"),
    ],
)
def test_number_overflow_in_a_field_is_refused_with_its_place(
    number: str, before: str, after: str
) -> None:
    assert before in TUTORIAL
    line = line_of(TUTORIAL, before)
    messages = problems_of(TUTORIAL.replace(before, after.format(number), 1))
    assert len(messages) == 1, messages
    assert re.match(
        rf"hostile\.yaml:{line}:\d+: error: the number .{{20}}… \(\d+ characters\) ", messages[0]
    )
    assert TOO_LARGE in messages[0]


def test_number_overflow_in_an_expression_is_refused_in_few_words() -> None:
    literal = "0x" + "f" * 1990  # under the expression's length limit, 2,400 digits
    text = TUTORIAL.replace(
        "{metric: stability, add: 2}", f'{{metric: stability, add: "{literal}"}}', 1
    )
    (message,) = problems_of(text)
    assert "the number given is too large (at most 1e+15)" in message
    assert len(message) < 200


def test_number_overflow_computed_by_an_effect_is_used_as_zero_with_a_warning() -> None:
    """20 * floor(exp(709)) is a whole number past the largest float: the engine, its
    forecast and the ledger must not meet it."""
    old = '"2.5 * sqrt(alloc.patrols.troops) + 0.6 * sqrt(alloc.patrols.funding)"'
    assert old in TUTORIAL
    text = TUTORIAL.replace(old, '"20 * floor(exp(stability * 14.18))"')
    scenario, problems = check_scenario(text, "hostile.yaml")
    assert scenario is not None, problems
    game = Game.new(scenario)
    assert game.apply(Allocate("patrols", "troops", 1)).ok
    assert game.preview(Allocate("patrols", "troops", 1)).ok
    outcome = game.apply(EndTurn())
    assert outcome.ok and outcome.report is not None
    assert any("could not be computed; used 0" in w for w in outcome.report.warnings)
    assert all(abs(float(c.amount)) < 1e300 for c in outcome.report.changes)


@pytest.mark.parametrize("effect", ["{metric: null, add: -4}", "{metric: stability, add: null}"])
def test_null_target_or_amount_reaches_no_assert(effect: str) -> None:
    text = TUTORIAL.replace("{metric: stability, add: 2}", effect, 1)
    (message,) = problems_of(text)
    assert "is empty; write " in message
    assert message.startswith(f"hostile.yaml:{line_of(TUTORIAL, '{metric: stability, add: 2}')}:")


@pytest.mark.parametrize(
    "script",
    [
        f"scenario: tutorial\nseed: {HEX_4400}\nturns: []\n",
        f"scenario: tutorial\nturns:\n  - allocate: {{patrols: {{troops: {HEX_4400}}}}}\n",
        f"scenario: tutorial\nturns:\n  - expect: {{stability: {OCTAL_4400}}}\n",
        f"scenario: tutorial\nturns:\n  - expect: {{stability: {DECIMAL_310}}}\n",
    ],
    ids=["seed", "amount", "octal expectation", "decimal expectation"],
)
def test_number_overflow_in_a_script_is_refused_with_its_place(script: str, tmp_path: Path) -> None:
    path = tmp_path / "big.play.yaml"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "game", "run", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert re.search(rf"big\.play\.yaml:\d+:\d+: the number .* {re.escape(TOO_LARGE)}", done.stdout)
