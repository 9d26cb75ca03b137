"""scripts/pick_python.py: the interpreter `make` builds .venv with."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "scripts" / "pick_python.py"


@pytest.fixture
def pick():
    spec = importlib.util.spec_from_file_location("pick_python", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_prints_a_python_311_or_newer_that_can_make_a_venv():
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True, timeout=120
    )
    (chosen,) = done.stdout.split()
    version = subprocess.run(
        [chosen, "-c", "import sys, venv; print(sys.version_info >= (3, 11))"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert version.stdout.strip() == "True"


def test_an_old_or_missing_candidate_is_passed_over(pick, tmp_path, monkeypatch, capsys):
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\nexit 1\n")  # answers the probe as Python 3.9 would: failure
    old.chmod(0o755)
    monkeypatch.setattr(pick, "CANDIDATES", (str(tmp_path / "missing"), str(old), sys.executable))
    monkeypatch.setattr(sys, "argv", ["pick_python.py", "--why"])
    assert pick.main() == 0
    out, err = capsys.readouterr()
    assert out.split() == [sys.executable]
    assert "missing: not found" in err
    assert "python3.9: older than 3.11, or without venv/ensurepip" in err
    assert f"{sys.executable}: chosen" in err


def test_with_no_usable_candidate_it_leaves_the_error_to_python3(pick, monkeypatch, capsys):
    monkeypatch.setattr(pick, "CANDIDATES", ("/nonexistent/python3",))
    monkeypatch.setattr(sys, "argv", ["pick_python.py"])
    assert pick.main() == 0
    assert capsys.readouterr().out.split() == ["python3"]
