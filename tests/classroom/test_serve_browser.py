"""`accord serve` in a real headless Chromium: two trainees, their own games, a class code."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from browsertools import ESCAPE, WAIT, Trainee, need_browser, served

CODE = "KX7P2Q"


def join(trainee: Trainee, name: str) -> None:
    trainee.wait_for("Join the class")
    trainee.keys(name, "\n")


def play_a_turn_and_save(trainee: Trainee, save_name: str) -> None:
    """From the briefing: start, end the first turn, save under `save_name`, back to the menu."""
    trainee.wait_for("Start the mission")
    # The briefing itself may say "End turn" (the tutorial's does): what is awaited next must
    # be words only the dashboard sends, sent after the briefing was left.
    trainee.forget()
    trainee.keys("\n")
    trainee.wait_for("e ends the turn")
    trainee.forget()
    trainee.keys("e")  # End turn ...
    trainee.wait_for("Cancel")
    trainee.forget()
    trainee.keys("\n")  # ... and its confirmation
    trainee.wait_for("Back to the dashboard")  # the turn's report
    trainee.forget()
    trainee.keys("\n")
    trainee.wait_for("End turn")
    trainee.forget()
    trainee.ctrl("s")
    trainee.wait_for("Save the game")
    trainee.ctrl("u")  # clear the suggested name
    trainee.keys(save_name, "\n")
    trainee.wait_for(f"Saved as “{save_name}”")
    trainee.forget()
    trainee.keys(ESCAPE)  # the menu
    trainee.wait_for("Load a saved game")


def rejoin(trainee: Trainee, class_dir: Path, name: str) -> str:
    """Join under a name whose tab was just closed, once that tab's game has let the name go
    (its process ends after the page has gone); the screen once a game shows."""
    from filelock import FileLock

    from game.classroom.names import trainee as trainee_of
    from game.classroom.seats import SEAT_LOCK

    with FileLock(class_dir / trainee_of(name).slug / SEAT_LOCK, timeout=WAIT):
        pass  # free: the closed tab's game has ended
    join(trainee, name)
    return trainee.wait_for("ends the turn")


def load_screen(trainee: Trainee, own: str) -> str:
    """The Load screen once it lists the trainee's own save (the list fills in at once)."""
    trainee.forget()
    trainee.keys("l")
    trainee.wait_for("Load a saved game")
    return trainee.wait_for(own)


def test_two_trainees_play_in_their_browsers_and_see_only_their_own_games(
    tmp_path: Path,
) -> None:
    need_browser()
    class_dir = tmp_path / "class"
    with served(class_dir, CODE, "tutorial") as url:
        alice, bob = Trainee(url), Trainee(url)
        try:
            # A wrong code is refused, and the game never starts for it.
            bob.give_code("WRONG9")
            assert "not this class's code" in bob.page_error()
            assert bob.screen() == ""
            alice.give_code(CODE.lower())  # codes are not case-sensitive
            bob.give_code(CODE)
            alice.wait_for("Join the class")
            # The terminal's own stylesheet is there (it is served by the class server, by
            # its address): the typing helper is hidden and the page fits the window, so the
            # key bar on the game's last line shows. The stylesheet is in the page's head,
            # loaded before the terminal drew its first words.
            layout = alice.layout()
            assert layout["position"] == "absolute" and layout["opacity"] == "0", layout
            assert not layout["scrolls"], layout
            join(alice, "Alice Martin")
            join(bob, "Bob")
            play_a_turn_and_save(alice, "alice-plan")
            play_a_turn_and_save(bob, "bob-plan")
            assert "bob-plan" not in load_screen(alice, "alice-plan")
            assert "alice-plan" not in load_screen(bob, "bob-plan")
            # Alice closes her tab and comes back, typing her name in capitals: her game in
            # progress opens at its second turn, not a new game's briefing.
            alice.close()
            alice = Trainee(url)
            alice.give_code(CODE)
            back = rejoin(alice, class_dir, "ALICE MARTIN")
            assert "Start the mission" not in back
        finally:
            alice.close()
            bob.close()

    folders = sorted(p.name for p in class_dir.iterdir())
    assert folders == ["alice-martin-" + folders[0].rsplit("-", 1)[1], "bob"]
    report = subprocess.run(
        [sys.executable, "-m", "game", "report", str(class_dir), "--format", "json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    players = sorted({g["player"] for g in json.loads(report.stdout)["games"]})
    assert players == ["Alice Martin", "Bob"]
    assert asyncio.run(class_view(class_dir)) == ["Alice Martin", "Bob"]


async def class_view(class_dir: Path) -> list[str]:
    """The trainees `accord class` lists, once it has read the folder."""
    from textual.widgets import DataTable

    from game.tui.classview import ClassApp

    app = ClassApp(class_dir)
    async with app.run_test(size=(160, 30)) as pilot:
        table = app.query_one("#class-table", DataTable)
        for _ in range(600):
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if table.row_count:
                break
        return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
