"""The bots' draws are random.Random's own: the same numbers from the same seed."""

from __future__ import annotations

import random

import pytest

from game.playtest import draws

SEEDS = range(300)


@pytest.mark.parametrize("low, high", [(1, 1), (0, 1), (3, 17), (1, 99), (0, 2**40)])
def test_between_is_randint(low: int, high: int) -> None:
    for seed in SEEDS:
        ours, theirs = random.Random(seed), random.Random(seed)
        assert [draws.between(ours, low, high) for _ in range(20)] == [
            theirs.randint(low, high) for _ in range(20)
        ]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 22, 40])
def test_pick_is_choice_and_below_is_randbelow(size: int) -> None:
    items = [f"item{i}" for i in range(size)]
    for seed in SEEDS:
        ours, theirs = random.Random(seed), random.Random(seed)
        assert [draws.pick(ours, items) for _ in range(10)] == [
            theirs.choice(items) for _ in range(10)
        ]
        assert draws.below(ours, size) == theirs.randrange(size)


@pytest.mark.parametrize("size", [0, 1, 2, 5, 13])
def test_shuffle_is_shuffle(size: int) -> None:
    for seed in SEEDS:
        ours, theirs = list(range(size)), list(range(size))
        draws.shuffle(random.Random(seed), ours)
        random.Random(seed).shuffle(theirs)
        assert ours == theirs


@pytest.mark.parametrize("size", [2, 3, 21, 22, 30])
def test_pair_is_sample_of_two(size: int) -> None:
    """Both of random.sample's methods: the pool (21 items or fewer) and the set."""
    items = tuple(range(size))
    for seed in SEEDS:
        ours, theirs = random.Random(seed), random.Random(seed)
        assert list(draws.pair(ours, items)) == theirs.sample(items, 2)
        assert ours.random() == theirs.random()  # and the generators stay in step
