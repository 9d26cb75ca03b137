"""What the first frame after a key shows: the whole answer to the key, not half of it with
the rest a frame later."""

from __future__ import annotations

from textual.widgets import Static
from tuitools import SIZE, played, resumed, to_negotiations

from game.tui.widgets.negotiations import DisagreementTable


async def test_a_disagreement_and_its_detail_come_in_the_same_frame() -> None:
    """↑/↓ in the Negotiations tab: the detail has changed when the cursor has moved, with no
    await between them in which a frame could show the new row beside the old detail."""
    app = resumed(played(turns=1))
    async with app.run_test(size=SIZE) as pilot:
        await to_negotiations(pilot)
        table = app.screen.query_one(DisagreementTable)
        detail = app.screen.query_one("#disagreement-detail", Static)
        table.action_move(1)  # what ↓ does
        assert str(detail.render()).startswith("Cost sharing · not open yet")
        table.action_move(-1)  # ↑
        assert str(detail.render()).startswith("Mandate scope · open")
