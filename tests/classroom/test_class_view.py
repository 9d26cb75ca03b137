"""`accord class DIR`: the instructor's live view, driven through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from game.classroom.names import trainee
from game.classroom.seats import take_seat
from game.engine import EndTurn, Game
from game.library import SHIPPED, load_scenario
from game.saves import save_game_to
from game.tui.classview import ClassApp


def seat_and_play(class_dir: Path, name: str, turns: int) -> Path:
    seat = take_seat(class_dir, trainee(name))
    seat.release()
    game = Game.new(load_scenario(SHIPPED / "tutorial.yaml"), seed=3)
    for _ in range(turns):
        assert game.apply(EndTurn()).ok
    return save_game_to(game, seat.folder / "g-1.json", player=seat.trainee.name)


def table_rows(app: ClassApp) -> list[list[str]]:
    table = app.query_one("#class-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def wait_rows(app: ClassApp, pilot: Any, count: int) -> list[list[str]]:
    """The table once it has `count` rows; the view's own timer refreshes it (no key)."""
    for _ in range(600):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        rows = table_rows(app)
        if len(rows) == count:
            return rows
    raise AssertionError(table_rows(app))


async def test_the_class_view_lists_trainees_and_problems_and_follows_new_saves(
    tmp_path: Path,
) -> None:
    seat_and_play(tmp_path, "Zoë", 2)
    (tmp_path / "notes.txt").write_text("coffee at 10", encoding="utf-8")
    (tmp_path / "stray").mkdir()
    take_seat(tmp_path, trainee("Bob")).release()  # joined, no game yet
    (tmp_path / "bob" / "g-bad.json").write_text("{not json", encoding="utf-8")
    app = ClassApp(tmp_path)
    async with app.run_test(size=(160, 30)) as pilot:
        rows = await wait_rows(app, pilot, 5)
        assert [r[0] for r in rows] == ["Bob", "Zoë", "bob/g-bad.json", "notes.txt", "stray/"]
        assert rows[0][1] == "(no game yet)"
        # Two turns played (at week 3 of 6, as `accord report` counts): a score so far, no
        # grade yet (as the game's debrief says).
        assert rows[1][:6] == ["Zoë", "First Steps in the Kelda Valley", "2/6", rows[1][3], "",
                               "0/1"]  # fmt: skip
        assert "not an Accord save" in rows[2][7]
        assert "not a save" in rows[3][7] and "not a trainee's" in rows[4][7]
        # Bob's first game arrives: the view follows without a key pressed.
        seat_and_play(tmp_path, "Bob", 1)
        for _ in range(600):
            rows = await wait_rows(app, pilot, 5)
            if rows[0][2] == "1/6":
                break
        assert rows[0][:3] == ["Bob", "First Steps in the Kelda Valley", "1/6"]
        await pilot.press("enter")  # Bob's debrief
        for _ in range(100):
            await pilot.pause()
            if type(app.screen).__name__ == "DebriefScreen":
                break
        assert type(app.screen).__name__ == "DebriefScreen"


def test_a_save_edited_by_hand_shows_no_score_in_the_class_view(tmp_path: Path) -> None:
    """The instructor sees the replayed game's score, grade and agreements: a save whose file
    claims a score its actions do not make shows none, and says it cannot be replayed."""
    import json

    from game.classroom.roster import Roster
    from game.saves.envelope import encode

    seat_and_play(tmp_path, "Ana", 3)
    forged = seat_and_play(tmp_path, "Ben", 3)
    payload = json.loads(forged.read_text(encoding="utf-8"))["payload"]
    payload["snapshot"]["score"] = 99.0
    forged.write_bytes(encode(payload))  # a forger who knows the format: the checksum is right
    lines = {line.trainee: line for line in Roster(tmp_path).read()}
    replayed = Game.new(load_scenario(SHIPPED / "tutorial.yaml"), seed=3)
    for _ in range(3):
        replayed.apply(EndTurn())
    assert lines["Ana"].score == f"{replayed.score:.1f}" and lines["Ana"].problem == ""
    # No figure of the file's own, not even its turn; the note says why, in the save's words.
    ben = lines["Ben"]
    assert (ben.turn, ben.score, ben.grade, ben.agreements) == ("", "", "", "")
    assert ben.problem.startswith(
        "cannot be replayed: g-1.json does not replay to the game it recorded: "
    )
    assert len(ben.problem) <= 120 and str(tmp_path) not in ben.problem


async def test_a_replayed_ending_is_not_taken_from_a_forged_file(tmp_path: Path) -> None:
    """A save that claims a turn and an ending its actions do not reach ("6/6 · consolidated")
    shows neither in the class view: the row has no turn, and its note says why."""
    import json

    from game.saves.envelope import encode

    forged = seat_and_play(tmp_path, "Ben", 2)
    payload = json.loads(forged.read_text(encoding="utf-8"))["payload"]
    payload["snapshot"]["turn"] = 6
    payload["snapshot"]["finished"] = True
    payload["snapshot"]["ending"] = "consolidated"
    forged.write_bytes(encode(payload))
    app = ClassApp(tmp_path)
    async with app.run_test(size=(160, 30)) as pilot:
        [row] = await wait_rows(app, pilot, 1)
    assert row[0:2] == ["Ben", "First Steps in the Kelda Valley"]
    assert row[2:6] == ["", "", "", ""]
    assert "consolidated" not in " ".join(row[:7])
    assert row[7].startswith("cannot be replayed: g-1.json ")


def screen_text(app: ClassApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_long_name_is_cut_and_every_column_stays_on_the_screen(tmp_path: Path) -> None:
    """A trainee named with 100,000 characters (`accord play --player`) and a long scenario
    title are cut to 32 characters: Turns played, Score and Note stay on a 160-column screen."""
    seat_and_play(tmp_path, "Ana", 2)
    game = Game.new(load_scenario(SHIPPED / "tutorial.yaml"), seed=3)
    game.apply(EndTurn())
    save_game_to(game, tmp_path / "g-long.json", player="N" * 100_000)
    app = ClassApp(tmp_path)
    async with app.run_test(size=(160, 30)) as pilot:
        rows = await wait_rows(app, pilot, 2)
        assert rows[1][0] == "N" * 31 + "…"
        await pilot.pause()
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Trainee" in line)
        for column in ("Scenario", "Turns played", "Score", "Grade", "Agreements", "Note"):
            assert column in header
        assert "N" * 33 not in text


async def test_the_key_bar_shows_q_quit_r_and_help_on_an_80_column_screen(tmp_path: Path) -> None:
    """The key bar names the keys the status line names: `q Quit` (ctrl+q quits too, as in
    the game), `r Refresh now` and `? Help`, all on an 80-column screen; and an empty class
    folder says so once read, instead of "Reading the class folder…" for ever."""
    app = ClassApp(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()  # its result is shown before the worker ends
        await pilot.pause()
        text = screen_text(app)
        keys = [part.strip() for part in text.splitlines()[-1].split("  ") if part.strip()]
        assert keys[:3] == ["q Quit", "r Refresh now", "? Help"], keys
        assert "0 trainees with a game" in text and "Reading" not in text
        await pilot.press("question_mark")
        await pilot.pause()
        assert any("q quits" in note.message for note in app._notifications)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def test_a_newer_save_that_does_not_replay_leaves_the_trainees_game_in_view(
    tmp_path: Path,
) -> None:
    """A trainee's folder with their game and, newer, a file edited by hand: the class view
    shows the game (as `accord report` does), and names the newer file in the note."""
    import json
    import os

    from game.classroom.roster import Roster
    from game.saves.envelope import encode

    real = seat_and_play(tmp_path, "Ana", 3)
    forged = real.with_name("edited.json")
    payload = json.loads(real.read_text(encoding="utf-8"))["payload"]
    payload["snapshot"]["score"] = 99.0
    forged.write_bytes(encode(payload))
    later = real.stat().st_mtime + 60
    os.utime(forged, (later, later))
    payload["updated"] = "2099-01-01T00:00:00.000Z"  # newest by its own stamp too
    forged.write_bytes(encode(payload))
    os.utime(forged, (later, later))
    (line,) = Roster(tmp_path).read()
    replayed = Game.new(load_scenario(SHIPPED / "tutorial.yaml"), seed=3)
    for _ in range(3):
        replayed.apply(EndTurn())
    assert line.save == real and line.score == f"{replayed.score:.1f}" and line.turn
    assert line.problem.startswith("a newer save, edited.json, cannot be replayed: ")
