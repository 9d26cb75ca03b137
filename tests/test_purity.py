"""The core is pure: game.scenario and game.engine import no UI and touch no files, clock or
terminal (the Harlequin check, plus a static scan of their imports and calls)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = [ROOT / "game" / "scenario", ROOT / "game" / "engine", ROOT / "game" / "debrief"]
# below both game.scenario and game.engine, and the numbers' formats the debrief shares
CORE_MODULES = [ROOT / "game" / "negotiation.py", ROOT / "game" / "numbers.py"]
FORBIDDEN_MODULES = {
    "textual", "rich", "os", "pathlib", "sys", "time", "datetime", "shutil", "subprocess",
    "tempfile", "socket", "glob", "curses", "termios", "tty", "select", "signal", "threading",
    "multiprocessing", "logging", "game.tui", "game.cli", "game.saves", "game.library",
    "game.commands", "game.playtest",
}  # fmt: skip
FORBIDDEN_CALLS = {"open", "print", "input", "eval", "exec", "compile", "breakpoint", "__import__"}


def test_importing_the_core_loads_no_ui():
    code = (
        "import sys, game.scenario, game.engine, game.debrief, game.negotiation\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def core_files() -> list[Path]:
    return sorted([*(p for folder in CORE for p in folder.rglob("*.py")), *CORE_MODULES])


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_and_calls_nothing_impure(path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            assert not any(
                ".".join(parts[:i]) in FORBIDDEN_MODULES for i in range(1, len(parts) + 1)
            ), f"{path.name}:{node.lineno} imports {name}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, (
                f"{path.name}:{node.lineno} calls {node.func.id}"
            )
