"""`accord playtest` errors: one sentence on stderr, exit 2 (usage) or 1, never a traceback.

Most cases call the command's entry point in this process (an exception would fail the
test, so "never a traceback" still holds); one case of each kind goes through the installed
`accord` in a subprocess."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from playtest_scenarios import ACCORD, COVERAGE

from game.cli import main
from game.scenario import Scenario


def _accord(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACCORD), *map(str, args)], capture_output=True, text=True)


def test_errors_through_the_installed_command(lopsided_file: Path) -> None:
    done = _accord("playtest", lopsided_file, "--policy", "clever")
    assert done.returncode == 2
    assert done.stderr.startswith("accord playtest: unknown policy 'clever'")
    assert done.stderr.count("\n") == 1 and done.stdout == ""


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["no_such_scenario"], 2, "no scenario with this id"),
        (["{file}", "--policy", "clever"], 2, "unknown policy 'clever'"),
        (["{file}", "--policy", "gredy"], 2, "unknown policy 'gredy' (did you mean 'greedy'?)"),
        (["{file}", "--policy", "fixed:ide"], 2, "(did you mean 'fixed:idle'?)"),
        (
            ["{file}", "--policy", "idle"],
            2,
            "coverage, fixed:first-choice, fixed:idle, fixed:line=",
        ),
        (["{file}", "--policy", "fixed:line=nowhere"], 2, "no line of effort 'nowhere'"),
        (["{file}", "--policy", "random,gredy"], 2, "unknown policy 'gredy' (did you mean"),
        (["{file}", "--policy", "random,all"], 2, "--policy all already plays every policy"),
        (["{file}", "--policy", "random,,greedy"], 2, "a name is missing next to a comma"),
        (["{file}", "--policy", "random,"], 2, "--policy random,: a name is missing next to a"),
        (["{file}", "--policy", " "], 2, "--policy names no policy"),
        (["{file}", "--detail", "/nonexistent/d.txt"], 2, "there is no folder /nonexistent"),
        (["{file}", "--policy", "no_such_module:Bot"], 2, "cannot import policy module"),
        (["{file}", "--runs", "0"], 2, "--runs must be from 1 to 1,000,000, not 0"),
        (["{file}", "--workers", "0"], 2, "--workers must be from 1 to 256, not 0"),
        (["{file}", "--path-to", "glory"], 2, "has no ending 'glory'"),
        (["{file}", "--out", "x.play.yaml"], 2, "--out goes with --path-to"),
        (["{file}", "--path-to", "holding", "--detail", "d.txt"], 2, "--detail goes with a batch"),
        (["{file}", "--path-to", "holding", "--compare", "o.json"], 2, "--compare goes with a"),
        (["{file}", "--runs", "many"], 2, "invalid int value"),
        (["{file}", "--seed", "9" * 23], 2, "must be from -1,000,000,000,000,000 to"),
        (["{file}", "--seed", str(10**15), "--runs", "5"], 2, "would play seeds beyond 10^15"),
        (["{file}", "--runs", "99999999999999999999"], 2, "--runs must be from 1 to 1,000,000"),
        (["{file}", "--workers", "300"], 2, "--workers must be from 1 to 256, not 300"),
        (["{file}", "--bogus"], 2, "--bogus (see 'accord playtest --help')"),
        (["{file}", "--path-to", "holding", "--out", "notes.txt"], 2, "name ends in .play.yaml"),
    ],
)
def test_errors_are_one_sentence(
    lopsided_file: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    status: int,
    words: str,
) -> None:
    argv = ["playtest", *[a.replace("{file}", str(lopsided_file)) for a in args]]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    err = capsys.readouterr()
    assert code == status
    assert words in err.err
    assert err.err.startswith("accord")
    assert err.err.count("\n") == 1
    assert err.out == ""


def test_a_broken_scenario_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: accord/1\nid: Broken\n", encoding="utf-8")
    assert main(["playtest", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and err.count("\n") == 1


def test_human_report_names_every_section(
    lopsided_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["playtest", str(lopsided_file), "--policy", "all", "--runs", "6"]) == 0
    done = capsys.readouterr()
    out = done.out
    for words in ("mean", "stdev", "p10", "p90", "A/B/C/D/F", "Scores", "Coverage",
                  "DOMINANT", "fixed:line=good", "Paths to endings"):  # fmt: skip
        assert words in out
    assert done.err == ""  # no progress bar when stderr is not a terminal


def test_several_policies_separated_by_commas_play_together(
    lopsided_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--policy random,fixed:line=good` plays those two (each once, in that order), and
    reports them as `--policy all` reports its policies."""
    argv = ["playtest", str(lopsided_file), "--runs", "6", "--json"]
    assert main([*argv, "--policy", "random, fixed:line=good,random"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["policy"] == "random, fixed:line=good,random"
    assert [p["policy"] for p in data["policies"]] == ["random", "fixed:line=good"]
    assert data["dominant"] == ["fixed:line=good"]
    assert main([*argv, "--policy", "fixed:line=good"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert data["policies"][1]["score"] == alone["score"]


def test_never_reached_items_carry_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(COVERAGE, encoding="utf-8")
    assert main(["playtest", str(path), "--runs", "5"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "event never" in x)
    assert line.strip().startswith(f"{path}:")
    number = int(line.strip().split(":")[1])
    # The line of the event's entry: its key, or the first line of its body.
    assert "never:" in " ".join(COVERAGE.splitlines()[number - 2 : number])


def test_the_progress_bar_draws_on_its_stream_and_clears_itself() -> None:
    import io

    from game.playtest.text import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream, delay=0.0)
    bar(50, 100)
    bar(100, 100)
    bar.close()
    text = stream.getvalue()
    assert "50/100" in text and "100/100" in text and "games/s" in text
    assert text.endswith("\r")


def test_a_short_batch_draws_no_bar() -> None:
    import io

    from game.playtest.text import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream)  # the default waits half a second before drawing
    bar(100, 100)
    bar.close()
    assert stream.getvalue() == ""


def test_the_expert_runs_are_capped(
    lopsided_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["playtest", str(lopsided_file), "--expert-runs", "100000"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "--expert-runs must be from 0 to 1,000" in err and "not 100,000" in err


def test_the_progress_bar_says_a_long_wait_in_hours_and_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from game.playtest import text

    clock = [0.0]
    monkeypatch.setattr(text.time, "monotonic", lambda: clock[0])
    said = []
    for done, total, elapsed in [(100, 1_000_000, 12.0), (3, 10_000, 20.0), (3, 5, 6.1)]:
        stream = io.StringIO()
        clock[0] = 0.0
        bar = text.ProgressBar(stream, delay=0.0)
        clock[0] = elapsed
        bar(done, total)
        said.append(stream.getvalue())
    assert "1 day 9 h left" in said[0]  # 999,900 games at 8.3 a second
    assert "18 h 31 min left" in said[1]
    assert "0.5 games/s" in said[2] and "4 s left" in said[2]


def test_a_slow_batch_says_a_rate_that_is_not_zero(lopsided: Scenario) -> None:
    from dataclasses import replace

    from game.playtest import batches
    from game.playtest.text import report

    played = batches(lopsided, ["random"], 3, 1, 1)[0]
    text = report([replace(played, seconds=6.1)], 1)
    assert "6.1 s, 0.5 games/s" in text.splitlines()[1]


def test_a_rare_or_near_certain_ending_is_not_rounded_away(lopsided: Scenario) -> None:
    from collections import Counter

    from game.playtest.runner import BatchResult
    from game.playtest.text import ending_shares

    endings = Counter({"holding": 997, "gloom": 3})
    r = BatchResult(lopsided, "random", 1000, 1, 1.0, [], Counter(), endings, Counter(), {})
    assert ending_shares(r) == "holding >99%, gloom <1%"
    endings = Counter({"holding": 500, "gloom": 500})
    r = BatchResult(lopsided, "random", 1000, 1, 1.0, [], Counter(), endings, Counter(), {})
    assert ending_shares(r) == "holding 50%, gloom 50%"


def test_rare_walkouts_and_talks_are_not_rounded_away(tiny: Scenario) -> None:
    from game.playtest import batches
    from game.playtest.text import explain

    played = batches(tiny, ["random"], 3, 1, 1)[0]
    played.tally.games = 1000
    played.tally.walkouts.clear()
    played.tally.walkouts[next(iter(tiny.model.stakeholders))] = 2
    walkouts = next(x for x in explain(played, detail=False) if "walkouts:" in x)
    assert walkouts.endswith(" <1%")


def test_a_closest_value_of_zero_has_no_minus_sign() -> None:
    from game.playtest.explain import _closest

    assert _closest("calm > effort", -0.01) == "left side 0.0 from the right"
    assert _closest("calm > 0.02", -0.04) == "calm reached 0"
    assert _closest("calm > effort", -1.26) == "left side -1.3 from the right"
