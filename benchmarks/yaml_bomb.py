"""Time and peak memory of refusing hostile scenario files (alias bomb, deep nesting, junk)."""

from __future__ import annotations

import contextlib
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere in the checkout

import yaml

from game.scenario import yamlpos


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """The "billion laughs": 9 levels of lists of 9 aliases, 9**9 strings once expanded."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


CASES: dict[str, str | bytes] = {
    "alias bomb (9x9)": alias_bomb(),
    "100,000 nested [": "a: " + "[" * 100_000,
    "100,000 nested {a:": "a: " + "{a: " * 100_000,
    "5 MB of junk": b"\x8f[{&*" * 1_000_000,
    "near node cap (49k keys)": "".join(f"k{i}: {i}\n" for i in range(49_000)),
}


def measure(parse: Callable[[], object]) -> tuple[float, float, str]:
    """Best wall time of 3 runs, then peak traced memory in MiB of one more, and the outcome."""
    outcome = "loaded"
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        try:
            parse()
        except yamlpos.YamlProblem as exc:
            outcome = f"refused: {exc.message[:60]}"
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    with contextlib.suppress(yamlpos.YamlProblem):
        parse()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, outcome


def main() -> None:
    loaders: list[tuple[str, type[Any], type[Any]]] = [
        ("pure Python", yamlpos._PureLoader, yaml.SafeLoader)
    ]
    if yaml.__with_libyaml__:
        loaders.insert(0, ("libyaml", yamlpos._CLoader, yaml.CSafeLoader))
    print(f"PyYAML {yaml.__version__}; best of 3 runs, then one run under tracemalloc")
    for name, loader, plain in loaders:
        yamlpos._LOADER = loader
        print(f"\n{name} loader")
        for case, text in CASES.items():
            seconds, peak, outcome = measure(partial(yamlpos.parse_yaml, text))
            print(f"  {case:26} {seconds * 1000:8.1f} ms  {peak:7.2f} MiB peak  {outcome}")
        # For scale: plain yaml.load (no checks, no positions) of the legitimate document.
        big = CASES["near node cap (49k keys)"]
        seconds, peak, _ = measure(partial(yaml.load, big, Loader=plain))
        print(f"  {'  same, plain yaml.load':26} {seconds * 1000:8.1f} ms  {peak:7.2f} MiB peak")


if __name__ == "__main__":
    main()
