"""Time to validate each shipped scenario and a generated 2,000-line scenario.

Run: .venv/bin/python benchmarks/validate.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from game.library import read_text
from game.scenario import check_scenario

ROOT = Path(__file__).resolve().parent.parent


def generated(lines: int = 2000) -> str:
    """A valid scenario of about `lines` lines: many metrics, lines of effort and events."""
    out = [
        "format: accord/1", "id: generated", "title: Generated", "turns: 12", "metrics:",
        "  stability: {label: Stability, start: 50, headline: true}",
        "resources:", "  funding: {label: Funding, per_turn: 10}",
        "stakeholders:",
        "  un: {name: UN, kind: international_org, trust: 60, provides: {funding: 5}}",
        "lines_of_effort:",
    ]  # fmt: skip
    n = 0
    while len(out) < lines * 0.45:
        out += [
            f"  line{n}:",
            f"    label: Line {n}",
            "    accepts: [funding]",
            "    effects:",
            f"      - {{metric: stability, add: 'sqrt(alloc.line{n}.funding) / 10'}}",
            f"      - {{trust: un, add: '0.1 * alloc.line{n}.funding', when: 'turn > 2'}}",
        ]
        n += 1
    out.append("events:")
    n = 0
    while len(out) < lines - 8:
        out += [
            f"  event{n}:",
            f"    title: Event {n}",
            f"    when: 'turn >= {n % 12 + 1} and stability < 60'",
            "    chance: 0.5",
            "    choices:",
            "      a: {label: A, effects: [{metric: stability, add: -1}]}",
            "      b: {label: B, requires: 'trust.un > 40', effects: [{trust: un, add: -2}]}",
        ]
        n += 1
    out += [
        "endings:", "  done: {check: at_end, when: 'true', text: Over.}",
        "scoring:", "  score: 'mean(stability)'",
    ]  # fmt: skip
    return "\n".join(out) + "\n"


def measure(name: str, text: str | bytes, repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        scenario, problems = check_scenario(text, name)
        times.append(time.perf_counter() - start)
    errors = [p for p in problems if p.severity == "error"]
    assert scenario is not None, [p.format() for p in errors]
    lines = (text.decode() if isinstance(text, bytes) else text).count("\n")
    print(f"{name:32} {lines:5} lines  median {statistics.median(times) * 1000:7.1f} ms")


def main() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        measure(path.name, read_text(path))
    measure("generated (2,000 lines)", generated())


if __name__ == "__main__":
    main()
