"""Random draws for the bots, built on `getrandbits` alone.

They give exactly the draws of `random.Random.randint`, `choice`, `shuffle` and `sample` (as
CPython 3.11 to 3.13 make them; a test holds them to it), in one Python call instead of
three or four. A bot game draws a few hundred numbers, so this is a tenth of its cost. Owning
the arithmetic also keeps every seeded playtest the same should a later Python change how
its `random` module turns bits into choices: only the Mersenne Twister's bits are relied on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def below(rng: random.Random, n: int) -> int:
    """A whole number from 0 to n - 1 (n > 0): random's `_randbelow`."""
    k = n.bit_length()
    r = rng.getrandbits(k)
    while r >= n:
        r = rng.getrandbits(k)
    return r


def between(rng: random.Random, low: int, high: int) -> int:
    """`rng.randint(low, high)`, low <= high."""
    n = high - low + 1
    k = n.bit_length()
    r = rng.getrandbits(k)
    while r >= n:
        r = rng.getrandbits(k)
    return low + r


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """`rng.choice(seq)` for a non-empty sequence."""
    n = len(seq)
    k = n.bit_length()
    r = rng.getrandbits(k)
    while r >= n:
        r = rng.getrandbits(k)
    return seq[r]


def shuffle(rng: random.Random, x: list[T]) -> None:
    """`rng.shuffle(x)`, in place."""
    getrandbits = rng.getrandbits
    for i in range(len(x) - 1, 0, -1):
        n = i + 1
        k = n.bit_length()
        j = getrandbits(k)
        while j >= n:
            j = getrandbits(k)
        x[i], x[j] = x[j], x[i]


def pair(rng: random.Random, population: Sequence[T]) -> tuple[T, T]:
    """`rng.sample(population, 2)` as a tuple (at least two items)."""
    n = len(population)
    if n <= 21:  # random.sample's pool method for small populations
        pool = list(population)
        j = below(rng, n)
        first = pool[j]
        pool[j] = pool[n - 1]
        return first, pool[below(rng, n - 1)]
    i = below(rng, n)  # its set method for larger ones
    j = below(rng, n)
    while j == i:
        j = below(rng, n)
    return population[i], population[j]
