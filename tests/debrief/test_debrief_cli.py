"""`accord debrief` and `accord report`: outputs, exit codes and one-sentence errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.debrief.classroom import DECISION_COLUMNS, GAME_COLUMNS, SUMMARY_COLUMNS
from game.engine import Allocate, EndTurn, Game, Propose
from game.library import load_scenario
from game.saves import save_game_to

TINY = """
format: accord/1
id: tiny_class
title: Tiny class
turns: 3
metrics:
  calm: {label: Calm, start: 50, headline: true}
resources:
  troops: {label: Troops, per_turn: 4}
stakeholders:
  un: {name: United Nations, kind: international_org, trust: 60}
  au: {name: African Union, kind: regional_org, trust: 60}
lines_of_effort:
  patrols:
    label: Patrols
    accepts: [troops]
    effects: [{metric: calm, add: "alloc.patrols.troops"}]
disagreements:
  mandate:
    label: Mandate
    parties: [un, au]
    deadline: 3
    issues:
      posture: {label: Posture, options: {robust: Robust, balanced: Balanced}}
    preferences:
      un: {weights: {posture: 1}, values: {posture: {robust: 0.2, balanced: 1}}, reservation: 0.5}
      au: {weights: {posture: 1}, values: {posture: {robust: 1, balanced: 0.6}}, reservation: 0.5}
rules:
  - {label: Unrest, effects: [{metric: calm, add: -2}]}
endings:
  quiet: {check: at_end, when: "calm >= 55", title: Quiet, text: Calm again.}
  over: {check: at_end, when: "true", text: Over.}
scoring:
  score: "final(calm)"
"""


def accord(*argv: str) -> subprocess.CompletedProcess[str]:
    """`accord ARGV...` in a fresh process, with a UTF-8 stdout."""
    return subprocess.run(
        [sys.executable, "-m", "game", *argv],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


def play_and_save(folder: Path, scenario_file: Path, name: str, troops: int, player: str) -> Path:
    game = Game.new(load_scenario(scenario_file))
    for _ in range(3):
        if troops:
            assert game.apply(Allocate("patrols", "troops", troops)).ok
        assert game.apply(EndTurn()).ok
    return save_game_to(game, folder / f"{name}.json", player=player)


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    scenario_file = tmp_path / "tiny_class.yaml"
    scenario_file.write_text(TINY, encoding="utf-8")
    folder = tmp_path / "class"
    folder.mkdir()
    play_and_save(folder, scenario_file, "amina", 4, "Amina")  # calm 52, 54, 56: quiet, C
    play_and_save(folder, scenario_file, "bruno", 1, "Bruno")  # calm 49, 48, 47: over, D
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_debrief_json_has_the_contract_keys(
    saves: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "debrief", str(saves / "amina.json"), "--format", "json",
                         "--benchmark-runs", "0")  # fmt: skip
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["scenario"], data["ending"], data["grade"], data["score"]) == (
        "tiny_class", "quiet", "C", 56)  # fmt: skip
    assert data["player"] == "Amina" and data["history"]["calm"] == [52, 54, 56]
    assert data["benchmark"] is None
    assert data["negotiations"][0]["nash_package"] == {"posture": "balanced"}


def test_debrief_text_and_markdown_with_a_benchmark(
    saves: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "debrief", str(saves / "amina.json"), "--benchmark-runs", "4")
    assert code == 0 and "WHAT WAS INTENDED" in out and "BENCHMARK" in out
    assert "percentile of 4 bot games" in out  # 2 random and 2 greedy
    code, out, _ = run(capsys, "debrief", str(saves / "amina.json"), "--format", "md",
                       "--benchmark-runs", "0")  # fmt: skip
    assert code == 0 and out.startswith("# After-action review: Tiny class")
    assert "## Benchmark" not in out


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["debrief", "{dir}/nobody.json"], 2, "no such save"),
        (["debrief", "{dir}/damaged.json"], 1, "damaged.json"),
        (["debrief", "{dir}/amina.json", "--benchmark-runs", "-1"], 2, "--benchmark-runs"),
        (["report", "{dir}/nowhere"], 2, "no such file or folder"),
        (["report", "{dir}/empty"], 2, "no save files found"),
    ],
)
def test_errors_are_one_sentence_with_an_exit_status(
    saves: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, words: str
) -> None:
    (saves / "damaged.json").write_text('{"format": "accord-save", "version": 1', "utf-8")
    (saves / "empty").mkdir()
    got, out, err = run(capsys, *(a.replace("{dir}", str(saves)) for a in argv))
    assert got == code and out == ""
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_report_markdown_lists_each_game_and_sums_up_each_scenario(
    saves: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "report", str(saves), str(saves / "amina.json"))
    assert (code, err) == (0, "")
    games = [line for line in out.splitlines() if line.startswith("| Amina") or
             line.startswith("| Bruno")]  # fmt: skip
    assert games == [
        "| Amina | amina | tiny_class | Quiet | C | 56.0 | 3/3 | 0/1 |",  # the file given twice
        "| Bruno | bruno | tiny_class | Over | D | 47.0 | 3/3 | 0/1 |",  # endings by their titles
    ]
    assert (
        "| tiny_class | 2 | 2 | 51.5 | 47.0 | 56.0 | A:0 B:0 C:1 D:1 F:0 | Over 1, Quiet 1 |" in out
    )


def test_report_csv_skips_a_damaged_save_and_exits_1(
    saves: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (saves / "zz.json").write_bytes(b"\x00garbage")
    code, out, err = run(capsys, "report", str(saves), "--format", "csv")
    assert code == 1 and "skipped" in err and "zz.json" in err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == GAME_COLUMNS
    assert [(r[0], r[3], r[4], r[7]) for r in rows[1:3]] == [
        ("Amina", "tiny_class", "quiet", "56.00"),
        ("Bruno", "tiny_class", "over", "47.00"),
    ]
    assert len(rows) == 3  # one table: the decisions and the summary are files of --out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_report_out_writes_games_decisions_and_summary_as_three_csv_files(
    saves: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = load_scenario(saves.parent / "tiny_class.yaml")
    game = Game.new(scenario)
    assert game.apply(Propose.of("mandate", {"posture": "robust"})).ok  # the UN refuses
    assert game.apply(Allocate("patrols", "troops", 2)).ok
    assert game.apply(EndTurn()).ok
    assert game.apply(Propose.of("mandate", {"posture": "balanced"})).ok  # now the AU refuses
    save_game_to(game, saves / "chloe.json", player='Chloé, "C"')
    out = tmp_path / "export"
    code, printed, err = run(capsys, "report", str(saves), "--format", "csv", "--out", str(out))
    assert (code, err) == (0, "")
    assert printed.splitlines() == [str(out / n) for n in ("games.csv", "decisions.csv",
                                                           "summary.csv")]  # fmt: skip
    games = read_csv(out / "games.csv")
    assert list(games[0]) == GAME_COLUMNS
    assert [(g["player"], g["finished"], g["grade"]) for g in games] == [
        ("Amina", "true", "C"),
        ('Chloé, "C"', "false", ""),  # in progress: no grade yet, as its debrief says
        ("Bruno", "true", "D"),
    ]
    decisions = read_csv(out / "decisions.csv")
    assert list(decisions[0]) == DECISION_COLUMNS
    chloe = [d for d in decisions if d["save"] == "chloe"]
    assert [(d["turn"], d["action"], d["details"], d["result"]) for d in chloe] == [
        ("1", "propose", "mandate: posture=robust", "refused"),
        ("1", "allocate", "patrols troops 2", "accepted"),
        ("2", "propose", "mandate: posture=balanced", "refused"),
    ]
    assert [d["reason"] for d in chloe] == [
        "un refused over posture",
        "",
        "au refused over posture",
    ]
    assert [d["player"] for d in decisions].count("Amina") == 3  # one allocation a turn
    (summary,) = read_csv(out / "summary.csv")
    assert list(summary) == SUMMARY_COLUMNS
    assert (summary["scenario"], summary["games"], summary["finished"]) == ("tiny_class", "3", "2")
    grades = [summary[f"grade_{g}"] for g in "ABCDF"]
    assert grades == ["0", "0", "1", "1", "0"]  # the finished games' grades only

    code, printed, _ = run(capsys, "report", str(saves), "--format", "json")
    document = json.loads(printed)
    assert [len(document[k]) for k in ("games", "decisions", "summary")] == [3, len(decisions), 1]
    assert document["decisions"][0] == {k: (int(v) if k == "turn" else v)
                                        for k, v in decisions[0].items()}  # fmt: skip
    assert document["games"][0]["score"] == 56.0 and document["games"][0]["finished"] is True


def test_report_out_refuses_a_file_and_says_which(
    saves: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, "report", str(saves), "--out", str(tmp_path / "taken"))
    assert (code, out) == (2, "") and "is a file" in err
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "mine"


def test_report_out_replaces_its_own_files_and_never_anyone_elses(
    saves: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run again into the same folder, `--out` replaces the files it wrote; a file of the same
    name it did not write (a save copied there, one's own notes) is left as it was, nothing
    is written, and the refusal names it (exit 2)."""
    out = tmp_path / "export"
    for fmt in ("csv", "csv", "json", "json", "md", "md"):
        code, _, err = run(capsys, "report", str(saves), "--format", fmt, "--out", str(out))
        assert (code, err) == (0, "")
    mine = out / "summary.csv"
    mine.write_text("precious\n", encoding="utf-8")
    before = (out / "games.csv").read_bytes()
    code, printed, err = run(capsys, "report", str(saves), "--format", "csv", "--out", str(out))
    assert (code, printed) == (2, "") and err.count("\n") == 1
    assert f"{mine} exists and was not written by accord report" in err
    assert mine.read_text(encoding="utf-8") == "precious\n"
    assert (out / "games.csv").read_bytes() == before  # nothing written, not even the others
    (out / "report.json").write_text('{"format": "another"}', encoding="utf-8")
    code, _, err = run(capsys, "report", str(saves), "--format", "json", "--out", str(out))
    assert code == 2 and "report.json exists and was not written by accord report" in err


def test_end_to_end_in_a_fresh_interpreter_and_the_core_stays_pure(saves: Path) -> None:
    """One fresh interpreter (a subprocess costs seconds on a busy machine): importing
    game.debrief pulls in neither the terminal UI, nor saves, nor the bots; then the command
    runs as `accord` would run it."""
    code = (
        "import sys, game.debrief\n"
        "bad = [m for m in ('textual', 'game.saves', 'game.playtest.policies', 'game.tui')"
        " if m in sys.modules]\n"
        "assert not bad, bad\n"
        "from game.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    argv = ["debrief", str(saves / "bruno.json"), "--format", "md", "--benchmark-runs", "0"]
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "## Negotiations" in done.stdout and "Mandate" in done.stdout


def _rewrite_ascii(source: Path, target: Path, change: object) -> Path:
    """A copy of a save with its payload changed and a right checksum, every non-ASCII
    character written as a JSON escape (so "\\ud800" stays a lone surrogate)."""
    import hashlib

    payload = json.loads(source.read_text("utf-8"))["payload"]
    change(payload)  # type: ignore[operator]
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
    digest = hashlib.sha256(body.encode()).hexdigest()
    head = f'{{"format":"accord-save","version":1,"sha256":"{digest}","payload":'
    target.write_bytes(f"{head}{body}}}\n".encode())
    return target


def test_report_and_debrief_survive_hostile_saves(saves: Path) -> None:
    """A lone surrogate in a player's name, a score no float can hold and a scenario path
    with a NUL byte: each such save is skipped or refused with one sentence naming it; the
    class's other saves still make the table. In a fresh process, with a UTF-8 stdout."""
    amina = saves / "amina.json"
    _rewrite_ascii(amina, saves / "surrogate.json", lambda p: p.update(player="A\ud800"))
    _rewrite_ascii(amina, saves / "huge.json", lambda p: p["snapshot"].update(score=10**400))
    _rewrite_ascii(
        amina,
        saves / "nul.json",
        lambda p: p["scenario"].update(path="/x\x00.yaml", resolved="/x\x00.yaml"),
    )
    report = accord("report", str(saves))
    assert report.returncode == 1 and "Traceback" not in report.stderr
    assert "| Amina | amina |" in report.stdout and "| Bruno | bruno |" in report.stdout
    skipped = sorted(report.stderr.splitlines())
    assert len(skipped) == 3 and all(
        line.startswith("accord report: skipped: ") for line in skipped
    )
    assert (
        f"{saves / 'huge.json'} is damaged: 'snapshot.score' must be a number from 0 to 100"
        in skipped[0]
    )
    assert "nul.json names a scenario path, /x\\x00.yaml, that cannot be opened" in skipped[1]
    assert f"{saves / 'surrogate.json'} is damaged: 'player' holds a lone" in skipped[2]
    for name in ("surrogate", "huge", "nul"):
        debrief = accord("debrief", str(saves / f"{name}.json"), "--benchmark-runs", "0")
        assert debrief.returncode == 1 and debrief.stdout == ""
        assert debrief.stderr.startswith(f"accord debrief: {saves / name}.json ")
        assert debrief.stderr.count("\n") == 1 and "Traceback" not in debrief.stderr


def test_report_markdown_cuts_a_huge_name_and_the_csv_keeps_it(
    saves: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One trainee's 5,000-character name must not make the class table unreadable."""
    play_and_save(saves, saves.parent / "tiny_class.yaml", "long", 2, "P" * 5000)
    code, out, _ = run(capsys, "report", str(saves))
    assert code == 0
    (line,) = [line for line in out.splitlines() if line.startswith("| PPP")]
    assert line.startswith("| " + "P" * 59 + "… | long |") and len(line) < 150
    code, out, _ = run(capsys, "report", str(saves), "--format", "csv")
    assert "P" * 5000 in out


def test_debrief_text_is_written_for_the_terminal_it_goes_to(
    saves: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """To an 80-column terminal the review's lines fit in 79 columns (an 88-column line would
    be wrapped again by the terminal, mid-phrase); to a file or a pipe it is 88 wide."""
    import os
    import shutil

    code, piped, _ = run(capsys, "debrief", str(saves / "amina.json"), "--benchmark-runs", "0")
    assert code == 0 and max(map(len, piped.splitlines())) > 79
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *_: os.terminal_size((80, 24)))
    code, tty, _ = run(capsys, "debrief", str(saves / "amina.json"), "--benchmark-runs", "0")
    assert code == 0 and max(map(len, tty.splitlines())) <= 79
    assert " ".join(tty.split()) == " ".join(piped.split())  # the same words
