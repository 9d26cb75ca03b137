"""game/numbers.py: figures that read the way the verdict beside them goes."""

from __future__ import annotations

import random

from game.engine.explain import refusal_words
from game.engine.report import PartyAnswer
from game.library import SHIPPED, load_scenario
from game.numbers import possessive, verdict_places


def test_a_value_and_the_value_accepted_from_read_as_the_verdict() -> None:
    """Over many values near their thresholds, the two figures at the places chosen compare as
    the verdict does; two places when they already do."""
    rng = random.Random(7)
    more = 0
    for _ in range(5000):
        floor = rng.uniform(0.3, 0.9)
        value = floor + rng.uniform(-0.01, 0.01)
        accepted = value >= floor
        k = verdict_places(value, floor, accepted)
        if k > 2:
            more += 1
        assert (round(value, k) >= round(floor, k)) == accepted or k == 6
    assert verdict_places(0.74, 0.81, accepted=False) == 2
    assert verdict_places(0.578, 0.5835, accepted=False) == 3
    assert more > 0  # the draw did reach values two places cannot tell apart


def test_an_intro_refusal_never_reads_as_if_the_package_reached_the_threshold() -> None:
    """'values this package at 0.58; accepts 0.58 or more' is never shown for a refusal."""
    s = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    answer = PartyAnswer("au", False, 0.578, "posture", ("robust",), 0.5835)
    words = refusal_words(s, "mandate_scope", answer, "intro")
    assert "values this package at 0.578; accepts 0.584 or more now" in words


def test_a_name_ending_in_s_takes_an_apostrophe_alone() -> None:
    assert possessive("Valley militia") == "Valley militia's"
    assert possessive("United Nations") == "United Nations'"


def test_a_movements_causes_as_shown_add_up_to_the_movement_as_shown() -> None:
    """The turn report shows `76.9 → 78.5 (+1.6)` and the causes under it: as shown (one
    decimal) they add up to the +1.6 shown, over many random movements; a lone cause reads
    exactly the movement."""
    from game.numbers import change_shown, number, shown_amounts, signed

    before = 76.86
    assert change_shown(before, before + 1.658) == "+1.6"
    assert [signed(a) for a in shown_amounts([1.658], before, before + 1.658)] == ["+1.6"]
    rng = random.Random(11)
    for _ in range(3000):
        amounts = [rng.uniform(-5, 5) for _ in range(rng.randint(1, 6))]
        start = rng.uniform(0, 100)
        end = start + sum(amounts)
        shown = shown_amounts(amounts, start, end)
        assert sum(round(a * 10) for a in shown) == round(float(change_shown(start, end)) * 10)
        # Each is its own amount rounded to a tenth, down or up.
        assert all(abs(s - a) < 0.1 + 1e-9 for s, a in zip(shown, amounts, strict=True))
        assert all(number(s) == number(round(s, 1)) for s in shown)
    # Not this movement's causes: each only rounded.
    assert shown_amounts([1.26, 2.0], 0.0, 10.0) == [1.3, 2.0]
