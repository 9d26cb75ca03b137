"""Saving in the UI: autosave after each turn and on quitting, ctrl+s, Continue, the Load screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable
from tuitools import (
    SCENARIOS,
    SIZE,
    MakeApp,
    area_text,
    flat,
    played,
    press,
    quiet,
    screen_text,
    to_saves,
    until,
)

from game.engine import Allocate
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.menu import MenuScreen
from game.tui.screens.modals import ConfirmModal, SaveModal
from game.tui.screens.report import TurnReportScreen
from game.tui.text import number

saves = pytest.importorskip("game.saves")


async def test_each_turn_is_autosaved_and_the_notice_says_so(
    make_app: MakeApp, tmp_path: Path
) -> None:
    folder = tmp_path / "saves"
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "e")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, TurnReportScreen))
        assert "Autosaved · Month 2" in screen_text(app)
        infos = saves.list_saves(folder)
        assert [(i.kind, i.turn) for i in infos] == [("auto", 2)]
        loaded = saves.load_game(infos[0].path)
        assert loaded.game.state.to_json() == app.session.game.state.to_json()  # type: ignore[union-attr]


async def test_quitting_mid_turn_autosaves_the_turn_so_far(
    make_app: MakeApp, tmp_path: Path
) -> None:
    folder = tmp_path / "saves"
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "home", "plus", "plus", "ctrl+q")
        await quiet(pilot)
    latest = saves.latest_autosave(folder)
    assert latest is not None and latest.turn == 1
    loaded = saves.load_game(latest.path)
    assert loaded.game.actions[-1] == Allocate("security_ops", "troops", 1)
    assert loaded.game.state.allocations["security_ops"]["troops"] == 2


async def test_ctrl_s_saves_to_a_named_slot(make_app: MakeApp, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    app = make_app(dashboard=True)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "home", "plus", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SaveModal))
        field = app.screen.query_one("#save-name")
        field.value = ""  # type: ignore[attr-defined]
        await press(pilot, *"before the mandate", "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert "Saved as “before the mandate”" in screen_text(app)
    infos = [i for i in saves.list_saves(folder) if i.kind == "manual"]
    assert [i.name for i in infos] == ["before the mandate"]
    assert saves.load_game(infos[0].path).game.state.allocations["security_ops"]["troops"] == 1


async def test_continue_resumes_the_latest_autosave(make_app: MakeApp, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    game = played(turns=3)
    saves.autosave(game, folder, saves.new_slot(), scenario_path=SCENARIOS / "hybrid_mandate.yaml")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "Continue  (Hybrid Mandate, Month 4 of 12)" in screen_text(app))
        await press(pilot, "c")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.session is not None
        assert app.session.game.state.to_json() == game.state.to_json()
        assert "Month 4 of 12" in screen_text(app).splitlines()[0]


async def test_the_load_screen_lists_saves_and_loads_one(make_app: MakeApp, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    early, finished = played(turns=2), played()
    path = SCENARIOS / "hybrid_mandate.yaml"
    saves.save_game(early, folder, "early days", scenario_path=path)
    saves.save_game(finished, folder, "the end", scenario_path=path)
    (folder / "junk.json").write_text("{not json", encoding="utf-8")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_saves(pilot)
        table = area_text(app, "#save-table")
        assert "early days" in table and "the end" in table
        assert f"{finished.state.turn}/12 ✓" in table
        row = next(i for i, r in enumerate(screen.rows) if r.name == "the end")
        await press(pilot, *(["down"] * row), "enter")
        await until(pilot, lambda: isinstance(app.screen, EndingScreen))
        assert f"Grade {finished.grade}" in flat(screen_text(app))


async def test_the_load_screen_shows_the_replayed_turn_and_score_not_the_files_own(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """Turn and score are those the save's actions replay to: a save whose file claims a
    score (and a turn) its actions do not make, its checksum right, shows neither, and its
    Note says why in the save's own words, by the file's name."""
    import json

    from game.saves.envelope import encode

    folder = tmp_path / "saves"
    game = played(turns=2)
    honest = saves.save_game(
        game, folder, "honest", scenario_path=SCENARIOS / "hybrid_mandate.yaml"
    )
    payload = json.loads(honest.read_text(encoding="utf-8"))["payload"]
    payload["snapshot"].update(score=99.0, turn=9)
    payload["name"] = "[b]forged[/b]"  # shown as text, never markup
    (folder / "forged.json").write_bytes(encode(payload))
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_saves(pilot)
        table = screen.query_one("#save-table", DataTable)
        cells = {
            str(row[0]): [str(c) for c in row]
            for row in (table.get_row_at(i) for i in range(table.row_count))
        }
        forged = cells["[b]forged[/b]"]
        assert forged[2:4] == ["", ""]  # neither 9/12 nor 99
        assert cells["honest"][2:4] == ["3/12", number(game.score)] and cells["honest"][6] == ""
        assert forged[6].startswith(
            "cannot be replayed: forged.json does not replay to the game it recorded: "
        )
        assert str(folder) not in forged[6] and len(forged[6]) <= 140
        assert "1 without a replayed score" in flat(area_text(app, "#load-note"))
        assert "99" not in area_text(app, "#save-table")
        # Highlighted, the forged save's note is said whole under the table (the column is
        # cut on a narrow screen); the honest one's row gives the folder's summary back.
        order = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        await press(pilot, "home", *["down"] * order.index("[b]forged[/b]"))
        note = flat(area_text(app, "#load-note"))
        assert note.startswith("[b]forged[/b]: cannot be replayed: forged.json does not replay")
        await press(pilot, "home", *["down"] * order.index("honest"))
        assert "1 without a replayed score" in flat(area_text(app, "#load-note"))


async def test_one_very_long_save_name_leaves_the_other_columns_in_sight(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """A save named with 5,000 characters is shown cut with a "…": its scenario and turn,
    and the other saves' names, stay on the screen."""
    folder = tmp_path / "saves"
    path = SCENARIOS / "hybrid_mandate.yaml"
    saves.save_game(played(turns=2), folder, "w" * 5000, scenario_path=path)
    saves.save_game(played(turns=1), folder, "short one", scenario_path=path)
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await to_saves(pilot)
        table = area_text(app, "#save-table")
        assert "w" * 47 + "…" in table and "w" * 48 not in table
        assert "short one" in table and "Hybrid Mandate" in table and "3/12" in table


async def test_a_damaged_save_is_refused_in_words(make_app: MakeApp, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "accord-save", "version": 1}', encoding="utf-8")
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        app.resume_save(bad)
        await quiet(pilot)
        assert isinstance(app.screen, MenuScreen)
        messages = [note.message for note in app._notifications]
        assert any(str(bad) in message for message in messages), messages


def test_leaving_a_game_in_progress_says_whether_it_is_saved_and_how_to_resume_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `accord play` prints once the game has closed: the command that resumes the game,
    with the save folder when it is not the usual one; or that the game was not saved."""
    from types import SimpleNamespace

    from game.commands._tui import _say_how_to_resume
    from game.tui.session import Session

    monkeypatch.setenv("ACCORD_SAVES", str(tmp_path / "usual"))
    folder = tmp_path / "elsewhere"
    session = Session(played(turns=1), SCENARIOS / "hybrid_mandate.yaml", saves=None)
    session.dirty = True  # a decision made, and no save folder to keep it
    assert not _say_how_to_resume(SimpleNamespace(session=session))  # `accord play` exits 1
    assert capsys.readouterr().err == "accord: this game was not saved.\n"

    session.saves = folder
    assert session.autosave().startswith("Autosaved")
    assert _say_how_to_resume(SimpleNamespace(session=session))
    said = capsys.readouterr()
    assert said.out == f"Saved. Resume with: accord continue --saves {folder}\n"
    assert said.err == ""

    monkeypatch.setenv("ACCORD_SAVES", str(folder))  # the usual folder now: no --saves
    _say_how_to_resume(SimpleNamespace(session=session))
    assert capsys.readouterr().out == "Saved. Resume with: accord continue\n"


def test_the_resume_command_names_the_program_as_the_shell_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After `make play`, `accord` is not on the PATH: the hint names `.venv/bin/accord`
    (relative to the current folder when inside it), which works as printed."""
    from game.commands._tui import invoked_as

    program = tmp_path / "venv" / "bin" / "accord"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr("sys.argv", [str(program), "play"])
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.chdir(tmp_path)
    assert invoked_as() == "venv/bin/accord"
    monkeypatch.chdir(program.parent)
    assert invoked_as() == "./accord"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert invoked_as() == str(program.resolve())
    monkeypatch.setenv("PATH", str(program.parent))  # on the PATH: the plain name
    assert invoked_as() == "accord"
    monkeypatch.setattr("sys.argv", ["/usr/lib/python3/game/__main__.py"])
    assert invoked_as() == "accord"


async def test_at_80_columns_the_load_table_keeps_turn_and_score_in_sight(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """At 80x24, a long save name and a long scenario title are cut further (each still with
    its "…") so that the Turn and Score columns stay on the screen."""
    folder = tmp_path / "saves"
    tutorial = played("tutorial", turns=2)
    saves.save_game(tutorial, folder, "w" * 5000, scenario_path=SCENARIOS / "tutorial.yaml")
    saves.save_game(
        played(turns=1), folder, "short one", scenario_path=SCENARIOS / "hybrid_mandate.yaml"
    )
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_saves(pilot)
        table = area_text(app, "#save-table")
        header, *rows = table.splitlines()
        assert "Turn" in header and "Score" in header, table
        long_row = next(line for line in rows if "www" in line)
        assert "3/6" in long_row and "…" in long_row
        assert "First Steps" in long_row
        assert "short one" in table and "2/12" in table
        assert all(len(line.rstrip()) <= 76 for line in table.splitlines())
