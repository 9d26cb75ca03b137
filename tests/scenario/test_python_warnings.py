"""An expression that Python itself would warn about ("invalid decimal literal", "invalid
escape sequence") gets our located message only: nothing of Python's reaches stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_validate_prints_no_python_warning_about_an_expression(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text()
    assert '"cooperation < 35"' in text
    for k, slip in enumerate(["cooperation < 35if 1", r"cooperation < 35 and '\\d' == '\\d'"]):
        path = tmp_path / f"slip{k}.yaml"
        path.write_text(text.replace('"cooperation < 35"', f'"{slip}"'))
        done = subprocess.run(
            [sys.executable, "-W", "default", "-m", "game", "validate", str(path)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert "Warning" not in done.stderr and "<unknown>" not in done.stderr, done.stderr
        assert "Warning" not in done.stdout
        if k == 0:
            assert done.returncode == 1 and f"{path.name}:" in done.stdout
