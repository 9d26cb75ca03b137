"""No input crashes the game: random keys on every screen the keys lead to."""

from __future__ import annotations

import random
from pathlib import Path

from tuitools import SIZE, MakeApp, press, quiet

# Not q (the menu's Quit) nor ctrl+p (the palette would take the keys as text): those end
# or stall the walk. e, Enter and Esc come often, to move through the turns.
KEYS = [
    *"aeglmnoprsvxy0123456789",
    *"eeee",
    "enter",
    "enter",
    "escape",
    "plus",
    "minus",
    "question_mark",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "delete",
    "backspace",
    "space",
    "ctrl+s",
]


async def test_random_keys_never_crash_the_app(make_app: MakeApp, tmp_path: Path) -> None:
    rng = random.Random(2)  # this walk reaches events, reports and month 3 or so
    app = make_app("hybrid_mandate")
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        for _ in range(150):
            await press(pilot, rng.choice(KEYS))
            assert app.is_running
            if app.session is not None:
                state = app.session.game.state
                for mid, metric in app.session.game.s.model.metrics.items():
                    assert metric.min <= state.metrics[mid] <= metric.max
                assert all(v >= 0 for v in state.resources.values())
        assert app.session is not None and app.session.game.reports  # the walk got somewhere
    # run_test re-raises any exception the app met: reaching here means none.
