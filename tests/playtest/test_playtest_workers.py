"""The same results whatever the number of worker processes: run i always uses seed + i."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playtest_scenarios import ACCORD

from game.cli import main
from game.playtest import run_batch
from game.scenario import Scenario


def _stable(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in ("seconds", "games_per_second")}
    if "policies" in out:
        out["policies"] = [_stable(p) for p in out["policies"]]
    return out


def test_run_batch_is_identical_for_one_and_two_workers(tiny: Scenario) -> None:
    one = run_batch(tiny, "random", 120, seed=7, workers=1)
    two = run_batch(tiny, "random", 120, seed=7, workers=2)
    assert _stable(one) == _stable(two)


def test_cli_json_is_identical_for_one_and_two_workers(
    lopsided_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One run through the installed command with two workers, one in this process."""
    args = ["playtest", str(lopsided_file), "--policy", "all", "--runs", "12", "--seed", "3",
            "--json", "--workers"]  # fmt: skip
    done = subprocess.run([str(ACCORD), *args, "2"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    two = json.loads(done.stdout)
    assert main([*args, "1"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert _stable(one) == _stable(two)
    assert [p["policy"] for p in one["policies"]][:2] == ["random", "greedy"]


def test_a_different_seed_gives_different_games(tiny: Scenario) -> None:
    a = run_batch(tiny, "random", 30, seed=1, workers=1)
    b = run_batch(tiny, "random", 30, seed=1000, workers=1)
    assert a["score"] != b["score"]
