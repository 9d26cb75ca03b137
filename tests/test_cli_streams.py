"""The `accord` command and its output streams: closed, or unable to show a character."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def shell(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, **env},
    )  # fmt: skip


def test_a_closed_stdout_is_no_traceback() -> None:
    python = shlex.quote(sys.executable)
    done = shell(f"{python} -m game playtest tutorial --runs 20 >&-")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="file names are not bytes there")
def test_a_file_name_the_terminal_cannot_encode_is_escaped(tmp_path: Path) -> None:
    bad = tmp_path / os.fsdecode(b"name\xff.yaml")
    bad.write_text("format: accord/1\n", encoding="utf-8")
    python = shlex.quote(sys.executable)
    done = shell(
        f"{python} -m game validate {shlex.quote(str(tmp_path))}", PYTHONIOENCODING="utf-8"
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "name\\udcff.yaml:1:1: error" in done.stdout
