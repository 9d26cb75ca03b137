"""Terminal control injection: what a scenario, a script, a save or a file name holds reaches
every command's output with its control characters escaped (ESC could retitle or clear the
terminal, BEL ring, a C1 CSI colour it, a bidirectional override reverse what follows)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# ESC ] (retitle) ... BEL, ESC [2J (clear), C1 CSI, a right-to-left override, an isolate.
ATTACK = "\x1b]0;pwn\x07\x1b[2J\x9b31m\u202eevil\u2066"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TEXT_KEYS = {"title", "summary", "briefing", "label", "name", "blurb", "description", "text"}


def attacked(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: f"{ATTACK} {v}" if k in TEXT_KEYS and isinstance(v, str) else attacked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [attacked(v) for v in value]
    return value


def accord(*words: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "game", *map(str, words)],
        capture_output=True, text=True, cwd=ROOT, timeout=300, env=env,
    )  # fmt: skip


def no_raw_controls(done: subprocess.CompletedProcess[str]) -> None:
    for name, out in (("stdout", done.stdout), ("stderr", done.stderr)):
        assert "Traceback" not in out
        found = RAW.search(out)
        assert found is None, f"{name} holds {found.group()!r}: {out[:2000]}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tutorial with the attack in every text field, in a file whose name holds it too."""
    folder = tmp_path_factory.mktemp("hostile")
    data = attacked(yaml.safe_load((ROOT / "scenarios" / "tutorial.yaml").read_text("utf-8")))
    path = folder / "tut\x1b[2J\u202eorial.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    return path


def test_terminal_control_injection_in_validate_is_escaped(hostile: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad\x07.yaml"
    text = hostile.read_text("utf-8")
    # An unknown key and a duplicate key, each named with controls.
    bad.write_text(text + '"unknown\\e[2J": 1\n"dup\\a": 1\n"dup\\a": 2\n', encoding="utf-8")
    for words in ([hostile, bad], ["--json", hostile, bad], ["--strict", hostile]):
        done = accord("validate", *words)
        no_raw_controls(done)
        assert done.returncode in (0, 1)
    done = accord("validate", "--json", bad)
    assert "duplicate key 'dup\\u0007'" in done.stdout  # shown, escaped
    json.loads(done.stdout)  # still JSON


def test_terminal_control_injection_in_playtest_is_escaped(hostile: Path) -> None:
    for words in ([], ["--json"]):
        done = accord("playtest", hostile, "--runs", "4", *words)
        no_raw_controls(done)
        assert done.returncode == 0, done.stderr


def test_terminal_control_injection_in_run_is_escaped(hostile: Path, tmp_path: Path) -> None:
    script = tmp_path / "s\x1b]0;x\x07.play.yaml"
    script.write_text(
        f"scenario: {json.dumps(str(hostile))}\n"
        'title: "\\e[2J title"\n'
        "turns:\n"
        '  - note: "\\e]0;pwn\\a note"\n'
        '    expect: {"stab\\e[2Jility": 3}\n',
        encoding="utf-8",
    )
    for words in ([script], ["--json", script]):
        done = accord("run", *words)
        no_raw_controls(done)
        assert done.returncode == 1
        assert "stab" in done.stdout + done.stderr


def test_terminal_control_injection_in_debrief_is_escaped(hostile: Path, tmp_path: Path) -> None:
    script = tmp_path / "play.play.yaml"
    script.write_text(f"scenario: {json.dumps(str(hostile))}\nturns: []\n", encoding="utf-8")
    save = tmp_path / "game.json"
    assert accord("run", script, "--save", save).returncode == 0
    for fmt in ("text", "md", "json"):
        done = accord("debrief", save, "--format", fmt, "--benchmark-runs", "0")
        no_raw_controls(done)
        assert done.returncode == 0, done.stderr
    document = json.loads(accord("debrief", save, "--format", "json").stdout)
    assert any(ATTACK in text for text in strings(document))  # JSON gives the text back whole


def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return [value] if isinstance(value, str) else []
