"""Terminal UI speed: process start to the menu's first frame, beside a minimal Textual app;
and the time from a key press to the updated screen on the turn dashboard, under Pilot.

Start-up: each app runs headless in a fresh process; the time is taken from just before the
process is spawned to the line it prints once its first screen has been painted. Medians of
--starts runs. Key presses: a key is sent to the running app and the time runs to the end of
the last screen paint it caused (the frame timer's wait included). CPU time is printed as
well: on a shared machine it is the fairer figure.

    python benchmarks/tui.py [--starts 7] [--presses 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

ACCORD_CHILD = """
from game.tui.app import AccordApp
class FirstFrame(AccordApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.painted)
    def painted(self):
        import time
        print("FRAME", time.process_time(), flush=True)
        self.exit(0)
FirstFrame(saves={saves!r}).run(headless=True, size=(100, 34))
"""

MINIMAL_CHILD = """
from textual.app import App
from textual.widgets import Footer, Static
class Minimal(App):
    def compose(self):
        yield Static("Hello")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.painted)
    def painted(self):
        import time
        print("FRAME", time.process_time(), flush=True)
        self.exit(0)
Minimal().run(headless=True, size=(100, 34))
"""


def first_frame(code: str) -> tuple[float, float]:
    """(wall, cpu) seconds from spawning a Python process running `code` to its FRAME line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NO_COLOR", None)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("FRAME"):
            elapsed = time.perf_counter() - start, float(line.split()[1])
            break
    else:
        raise RuntimeError(f"the child never painted a frame (exit {child.wait()})")
    child.wait(timeout=30)
    return elapsed


class PaintClock:
    """Records when each screen paint (a compositor refresh) ends, in wall and CPU time."""

    def __init__(self) -> None:
        from textual.screen import Screen

        self.paints: list[tuple[float, float]] = []
        original = Screen._compositor_refresh
        clock = self

        def timed(screen: Any) -> None:
            original(screen)
            clock.paints.append((time.perf_counter(), time.process_time()))

        Screen._compositor_refresh = timed  # type: ignore[method-assign,assignment]

    def last_after(self, wall: float) -> tuple[float, float] | None:
        later = [p for p in self.paints if p[0] >= wall]
        return later[-1] if later else None


async def press_times(
    app: Any, keys: list[str], prepare: Callable[[Any], Any], clock: PaintClock
) -> list[tuple[float, float]]:
    """(wall, cpu) seconds from sending each key to the end of the last paint it caused."""
    from textual import events

    out = []
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        await prepare(pilot)
        await pilot.pause()
        for key in keys:
            char = {"plus": "+", "minus": "-"}.get(key, key if len(key) == 1 else None)
            event = events.Key(key, char)
            event.set_sender(app)
            wall, cpu = time.perf_counter(), time.process_time()
            app._driver.send_message(event)
            # Nothing else runs meanwhile: Pilot's own waiting would be timed with the app.
            await asyncio.sleep(0.15)
            painted = clock.last_after(wall)
            if painted is not None:
                out.append((painted[0] - wall, painted[1] - cpu))
        # Keys still queued when a slow app is closed would find no screen to go to.
        await pilot.pause()
    return out


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:6.1f} ms"


def p90_ms(values: list[float]) -> str:
    return f"{sorted(values)[int(len(values) * 0.9)] * 1000:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--presses", type=int, default=60)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as saves:
        code = ACCORD_CHILD.format(saves=saves)
        first_frame(code), first_frame(MINIMAL_CHILD)  # warm the file cache
        accord = [first_frame(code) for _ in range(args.starts)]
        minimal = [first_frame(MINIMAL_CHILD) for _ in range(args.starts)]
    print(f"start to first frame ({args.starts} runs, median; cpu: the child's own time)")
    for name, runs in (("minimal Textual app", minimal), ("Accord menu", accord)):
        wall, cpu = [w for w, _ in runs], [c for _, c in runs]
        ratio = statistics.median(wall) / statistics.median([w for w, _ in minimal])
        cpu_ratio = statistics.median(cpu) / statistics.median([c for _, c in minimal])
        print(
            f"  {name:<20} wall {median_ms(wall)} ({ratio:.2f}×)"
            f"   cpu {median_ms(cpu)} ({cpu_ratio:.2f}×)"
        )

    from textual.app import App
    from textual.widgets import Static

    from game.library import SHIPPED, load_scenario
    from game.tui.app import AccordApp

    class Counter(App[None]):
        def compose(self) -> Any:
            yield Static("0", id="n")

        def on_key(self, event: Any) -> None:
            box = self.query_one("#n", Static)
            box.update(str(int(str(box.content)) + 1))

    async def nothing(pilot: Any) -> None:
        return None

    async def to_dashboard(pilot: Any) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("home")

    keys = ["plus", "minus"] * (args.presses // 2)
    path = SHIPPED / "hybrid_mandate.yaml"
    clock = PaintClock()
    with tempfile.TemporaryDirectory() as saves:

        def dashboard() -> AccordApp:
            return AccordApp(scenario=load_scenario(path), scenario_path=path, saves=saves)

        accord_keys = asyncio.run(press_times(dashboard(), keys, to_dashboard, clock))
        rows = ["down", "up"] * (args.presses // 2)
        row_moves = asyncio.run(press_times(dashboard(), rows, to_dashboard, clock))
        every_tab = ["p", "n", "v", "l", "a"]
        cycle = every_tab * max(2, args.presses // len(every_tab))
        tabs = asyncio.run(press_times(dashboard(), cycle, to_dashboard, clock))
    counter = asyncio.run(press_times(Counter(), keys, nothing, clock))
    print(f"\nkey press to updated screen, under Pilot ({len(keys)} presses, median / 90th)")
    for name, times in (
        ("minimal app, a counter", counter),
        ("dashboard, +/- allocation", accord_keys),
        ("dashboard, ↑/↓ a row", row_moves),
        # The first visit to a tab builds it: the switches after it are timed.
        ("dashboard, tab switch p n v l a", tabs[len(every_tab) :]),
    ):
        wall = [w for w, _ in times]
        cpu = [c for _, c in times]
        print(f"  {name:<27} wall {median_ms(wall)} / {p90_ms(wall)}   cpu {median_ms(cpu)}")


if __name__ == "__main__":
    main()
