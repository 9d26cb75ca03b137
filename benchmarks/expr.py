"""Print how many compiled scenario expressions the engine can evaluate per second."""

from __future__ import annotations

import timeit
from collections.abc import Callable
from typing import Any

from game.scenario.expr import ExprType, compile_expr

NUM, BOOL = ExprType.NUM, ExprType.BOOL
NAMES = {
    "stability": NUM,
    "trust.un": NUM,
    "alloc.security.troops": NUM,
    "alloc.security.logistics": NUM,
    "fired.riot": BOOL,
}
ENV: dict[str, Any] = {
    "stability": 55,
    "trust.un": 60.5,
    "alloc.security.troops": 9,
    "alloc.security.logistics": 4,
}
ENV["fired.riot"] = False
CASES = [
    ("3 * sqrt(alloc.security.troops) + sqrt(alloc.security.logistics)", NUM),
    ("stability > 40 and not fired.riot", BOOL),
    ("clamp(trust.un / 10 - 2, 0, 5)", NUM),
]


def per_second(fn: Callable[[dict[str, Any]], Any], number: int = 200_000) -> float:
    # The best of several runs is the least disturbed by other work on a shared machine.
    return number / min(timeit.repeat(lambda: fn(ENV), number=number, repeat=7))


def main() -> None:
    for source, want in CASES:
        rate = per_second(compile_expr(source, NAMES, want=want).fn)
        print(f"{rate:>12,.0f} evaluations/s  {source}")


if __name__ == "__main__":
    main()
