"""One debrief (issue 21): the game's debrief and `accord debrief` give the same review, bot
comparison included, for one save; an unfinished game's debrief says it is in progress."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tuitools import SCENARIOS, SIZE, flat, played, press, quiet, resumed, screen_text, until

from game.saves import save_game_to
from game.tui.app import AccordApp
from game.tui.saving import load
from game.tui.screens.debrief import IN_PROGRESS, DebriefScreen
from game.tui.screens.ending import EndingScreen


def accord(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "game", *argv],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout


async def test_the_game_and_accord_debrief_give_identical_numbers_for_one_save(
    tmp_path: Path,
) -> None:
    """The trainee's save, read by the game (`d`, then `b`, then `x` to export) and by the
    instructor's `accord debrief`: the same review word for word, bot comparison included."""
    saves = tmp_path / "saves"
    save = save_game_to(played(), tmp_path / "amina.json", player="Amina")
    app = AccordApp(loaded=load(save, [SCENARIOS]), saves=saves)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        await press(pilot, "d")
        await until(pilot, lambda: "WHAT HAPPENED" in screen_text(app))
        await press(pilot, "b")
        await until(pilot, lambda: "BENCHMARK" in screen_text(app), tries=400)
        on_screen = flat(screen_text(app))
        await press(pilot, "x")
        await quiet(pilot)
    (exported,) = saves.glob("debrief-*.md")
    in_game = exported.read_text(encoding="utf-8")
    from_cli = accord("debrief", str(save), "--format", "md", "--scenarios", str(SCENARIOS))
    assert "## Benchmark" in in_game
    assert in_game == from_cli
    text = accord("debrief", str(save), "--scenarios", str(SCENARIOS))
    (line,) = [flat(chunk) for chunk in text.split("\n\n") if chunk.startswith("BENCHMARK")]
    figures = line.removeprefix("BENCHMARK ")
    assert "percentile of 20 bot games" in figures
    assert figures in on_screen  # the very figures the trainee saw


async def test_an_unfinished_game_is_debriefed_as_in_progress(tmp_path: Path) -> None:
    """Opened on a game at month 4 of 12 (as from the class view): no lessons, no grade, and
    `b` says why there is no comparison with bots instead of playing them."""
    app = resumed(played(turns=3), saves=tmp_path / "saves")
    async with app.run_test(size=(110, 50)) as pilot:
        await quiet(pilot)
        assert app.session is not None
        app.push_screen(DebriefScreen(app.session))
        await until(pilot, lambda: "WHAT HAPPENED" in screen_text(app))
        text = flat(screen_text(app))
        assert "game in progress at month 4 of 12 (3 months played)" in text
        assert "no ending and no grade yet" in text
        assert "Lessons" not in text and "Grades:" not in text
        assert "b compare with bots" not in text
        await press(pilot, "b")
        await quiet(pilot)
        assert [n.message for n in app._notifications] == [IN_PROGRESS]
        assert "BENCHMARK" not in flat(screen_text(app))


async def test_the_debrief_is_written_for_the_screens_width(tmp_path: Path) -> None:
    """On an 80-column terminal the review is written 74 wide (margins and a scrollbar less):
    each of its lines shows whole, where 88-column lines were wrapped again mid-phrase; at a
    wider terminal it is written 88 wide, as `accord debrief` writes it to a file."""
    from game.tui import debrief_view

    save = save_game_to(played(), tmp_path / "amina.json", player="Amina")
    for size, width in (((80, 40), 74), ((130, 40), 88)):
        app = AccordApp(loaded=load(save, [SCENARIOS]), saves=tmp_path / "saves")
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda app=app: isinstance(app.screen, EndingScreen))
            await press(pilot, "d")
            await until(pilot, lambda app=app: "WHAT HAPPENED" in screen_text(app))
            screen = app.screen
            assert isinstance(screen, DebriefScreen)
            written = debrief_view.render(screen.review, screen.width)[0].splitlines()
            assert max(len(line) for line in written) == width
            # Each screen line without the scrollbar's thumb at its end.
            shown = [line.rstrip(" ▁▂▃▄▅▆▇█▔").strip() for line in screen_text(app).splitlines()]
            first = [line.strip() for line in written[3:12] if line.strip()]
            missing = [line for line in first if line not in shown]
            assert not missing, (missing, shown[:20])
