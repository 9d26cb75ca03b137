"""`accord validate --watch`: checks, then checks again after each save of the file, until
Ctrl+C, which ends it cleanly. Driven as its user would: a process that edits the file and
reads the new report (waits are generous and only on output, never on time)."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = (ROOT / "scenarios" / "tutorial.yaml").read_text()
WAIT = 120  # seconds for each awaited line, on the busiest machine


def save(path: Path, text: str) -> None:
    """Save as an editor does, all at once: the watcher never sees half a file."""
    part = path.with_suffix(".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


class Lines:
    """The lines a process prints, read in a thread, awaited one condition at a time."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout

        def pump() -> None:
            for line in stream:
                self.queue.put(line.rstrip("\n"))
            self.queue.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def until(self, wanted: str) -> list[str]:
        seen: list[str] = []
        while True:
            try:
                line = self.queue.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no {wanted!r} in {seen}") from None
            if line is None:
                raise AssertionError(f"the output ended before {wanted!r}: {seen}")
            seen.append(line)
            if wanted in line:
                return seen


@contextlib.contextmanager
def watching(path: Path) -> Iterator[tuple[subprocess.Popen[str], Lines]]:
    """`accord validate --watch PATH` running, with its output lines; killed if left running."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "game", "validate", "--watch", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=path.parent,
    )  # fmt: skip
    try:
        yield process, Lines(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_watch_reports_again_after_each_save_and_stops_on_ctrl_c(tmp_path: Path):
    scenario = tmp_path / "valley.yaml"
    scenario.write_text(TUTORIAL, encoding="utf-8")
    with watching(scenario) as (process, lines):
        assert lines.until("1 file checked:")[-1] == "1 file checked: 0 errors, 0 warnings"
        # A save with a slip: the new report names it.
        save(scenario, TUTORIAL.replace("turns: 6", "turns: six"))
        report = lines.until("1 file checked:")
        assert report[:2] == ["", f"--- changed: {scenario}; checking again"]
        assert any("turns: expected a whole number" in line for line in report)
        assert report[-1] == "1 file checked: 1 error, 0 warnings"
        # The slip fixed: clean again.
        save(scenario, TUTORIAL + "\n")
        assert lines.until("1 file checked:")[-1] == "1 file checked: 0 errors, 0 warnings"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) in (0, 130)
        assert process.stderr is not None
        errors = process.stderr.read()
        assert "Traceback" not in errors and "stopped watching" in errors


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_watching_a_folder_checks_a_file_added_to_it(tmp_path: Path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "one.yaml").write_text(TUTORIAL, encoding="utf-8")
    with watching(folder) as (process, lines):
        assert lines.until("checked:")[-1] == "1 file checked: 0 errors, 0 warnings"
        save(folder / "two.yaml", TUTORIAL.replace("id: tutorial", "id: two"))
        report = lines.until("checked:")
        assert report[1] == f"--- changed: {folder / 'two.yaml'}; checking again"
        assert report[-1] == "2 files checked: 0 errors, 0 warnings"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) in (0, 130)


def test_watch_refuses_a_path_that_is_not_there(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "game", "validate", "--watch", str(tmp_path / "nope.yaml")],
        capture_output=True, text=True, cwd=ROOT, timeout=WAIT, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "no such file or folder" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_watch_stops_on_ctrl_c_even_when_started_with_interrupts_ignored(tmp_path: Path):
    """A script's background job starts with interrupts ignored: the watch still stops."""
    scenario = tmp_path / "valley.yaml"
    scenario.write_text(TUTORIAL, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    command = f'trap "" INT; exec "{sys.executable}" -m game validate --watch "{scenario}"'
    process = subprocess.Popen(
        ["bash", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=tmp_path,
    )  # fmt: skip
    try:
        assert Lines(process).until("1 file checked:")[-1].endswith("0 errors, 0 warnings")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
