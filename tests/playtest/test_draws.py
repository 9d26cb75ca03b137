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


def _reference_allocations(
    lines_for: dict[str, tuple[str, ...]], budget: dict[str, int], rng: random.Random
) -> list[tuple[str, str, int]]:
    """The random policy's allocations written with random.Random's own methods."""
    out = []
    for r, lines in lines_for.items():
        stock = budget[r]
        if not lines or stock <= 0:
            continue
        amount = rng.randint((stock + 1) // 2, stock)
        if len(lines) > 1 and amount > 1 and rng.random() < 0.5:
            first, second = rng.sample(lines, 2)
            part = rng.randint(1, amount - 1)
            out += [(first, r, part), (second, r, amount - part)]
        else:
            out.append((rng.choice(lines), r, amount))
    return out


def test_the_random_policys_inline_draws_are_randint_choice_and_sample() -> None:
    """RandomPolicy.allocations writes its draws out inline for speed; they must stay
    random.Random's, or every seeded playtest (and the balance tables) would change."""
    from game.library import SHIPPED, load_scenario
    from game.playtest.policies import RandomPolicy

    policy = RandomPolicy(load_scenario(SHIPPED / "hybrid_mandate.yaml"))
    assert any(len(lines) > 1 for lines in policy.lines_for.values())
    for seed in SEEDS:
        budget = {r: (seed * (i + 3)) % 23 for i, r in enumerate(policy.lines_for)}
        ours = policy.allocations(None, dict(budget), random.Random(seed))  # type: ignore[arg-type]
        theirs = _reference_allocations(policy.lines_for, budget, random.Random(seed))
        assert [(a.line, a.resource, a.amount) for a in ours] == theirs, seed
