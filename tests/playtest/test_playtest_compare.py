"""`--compare OLD.json`: only a playtest of the same scenario; what differs in how the two
were played, said first; nothing comparable said as such; numbers that agree as printed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from playtest_scenarios import COVERAGE

from game.cli import main
from game.playtest.compare import compare, compare_text


def _policy(name: str, mean: float, stdev: float, runs: int, reached: int = 1) -> dict[str, Any]:
    return {
        "scenario": "tiny", "policy": name, "runs": runs, "seed": 1,
        "score": {"mean": mean, "stdev": stdev},
        "grades": {"A": runs}, "endings": {"holding": runs},
        "coverage": {"endings": {"holding": runs, "open": reached}},
    }  # fmt: skip


def _talks(policy: dict[str, Any], **rates: float) -> dict[str, Any]:
    """A policy's object with each negotiation's agreement rate in its explanation."""
    negotiations = {did: {"agreement_rate": rate} for did, rate in rates.items()}
    return policy | {"explain": {"negotiations": negotiations}}


def _all(runs: int, *policies: dict[str, Any]) -> dict[str, Any]:
    return {"scenario": "tiny", "policy": "all", "runs": runs, "seed": 1,
            "policies": list(policies)}  # fmt: skip


def test_compare_refuses_a_playtest_of_another_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(COVERAGE, encoding="utf-8")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(_all(5, _policy("random", 50, 1, 5)) | {"scenario": "other"}))
    code = main(["playtest", str(path), "--runs", "3", "--workers", "1", "--compare", str(old)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "is a playtest of 'other', not of 'tiny'" in err
    old.write_text(json.dumps({"policies": []}))
    code = main(["playtest", str(path), "--runs", "3", "--workers", "1", "--compare", str(old)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "does not say which scenario it played" in err


def test_nothing_comparable_when_no_policy_is_in_both() -> None:
    moved = compare(_all(5, _policy("greedy", 60, 1, 5, 0)), _all(5, _policy("random", 50, 1, 5)))
    assert moved["comparable"] is False and moved["coverage_gained"] == []
    text = "\n".join(compare_text(moved, "old.json"))
    assert "nothing comparable" in text and "coverage gained" not in text
    assert "greedy played only in OLD; random played only in NOW" in text


def test_the_first_line_says_how_the_playtests_differ() -> None:
    old = _all(1000, _policy("random", 50, 1, 1000), _policy("expert", 70, 1, 10))
    new = _all(2000, _policy("random", 50, 1, 2000))
    text = compare_text(compare(old, new), "old.json")
    assert text[1] == (
        "  OLD: 1000 runs from seed 1; NOW: 2000 runs from seed 1; expert played only in OLD"
    )
    assert compare(old, old)["differences"] == ""
    assert not compare_text(compare(old, old), "old.json")[1].startswith("  OLD:")


def test_the_printed_change_agrees_with_the_printed_means() -> None:
    old = _all(100, _policy("expert", 63.64, 0.0, 100))
    new = _all(100, _policy("expert", 63.96, 0.0, 100))
    line = compare_text(compare(old, new), "old.json")[1]
    assert "63.6 ->   64.0    +0.4" in line
    same = _all(100, _policy("expert", 63.64, 0.01, 100))
    near = _all(100, _policy("expert", 63.639, 0.01, 100))
    line = compare_text(compare(same, near), "old.json")[1]
    assert "-0.0" not in line and "+0.0" not in line and "0.0 [0.0, 0.0]" in line


def test_coverage_moves_only_over_the_policies_both_played() -> None:
    """An item only a policy left out of one playtest reached is neither gained nor lost."""
    old = _all(5, _policy("random", 50, 1, 5, 0), _policy("expert", 80, 1, 5, 3))
    new = _all(5, _policy("random", 50, 1, 5, 0))
    moved = compare(old, new)
    assert moved["coverage_lost"] == [] and moved["coverage_gained"] == []
    moved = compare(old, _all(5, _policy("random", 50, 1, 5, 2)))
    assert moved["coverage_gained"] == ["endings.open"]


def test_a_negotiation_whose_agreement_rate_moved_is_said() -> None:
    def talks(rate: float, other: float) -> dict[str, Any]:
        return _talks(_policy("greedy", 60, 1, 100), deal=rate, pact=other)

    moved = compare(_all(100, talks(1.0, 0.5)), _all(100, talks(0.0, 0.501)))
    assert moved["policies"]["greedy"]["agreements"] == {"deal": [1.0, 0.0]}
    text = compare_text(moved, "old.json")
    assert "      agreed: deal 100% -> 0%" in text
    assert "      shares, in points of %: " not in "\n".join(text)  # no grade or ending moved
    moved = compare(_all(100, talks(1.0, 0.5)), _all(100, talks(1.0, 0.5) | {"grades": {"A": 90}}))
    assert "      shares, in points of %: A -10.0" in compare_text(moved, "old.json")
    # A file from before the explanation: nothing said of negotiations, nothing refused.
    older = compare(_all(100, _policy("greedy", 60, 1, 100)), _all(100, talks(0, 0)))
    assert older["policies"]["greedy"]["agreements"] == {}


def test_what_rounds_to_the_same_is_not_said_to_move() -> None:
    """An agreement rate of >99% then 100% read "100% -> 100%"; an interval [-2.0, -0.04]
    read [-2.0, 0.0], as if it held 0, without "(within chance)"."""

    def talks(rate: float, mean: float) -> dict[str, Any]:
        return _talks(_policy("greedy", mean, 3.5, 100), exit=rate)

    moved = compare(_all(100, talks(0.996, 66.8)), _all(100, talks(0.998, 65.8)))
    assert moved["policies"]["greedy"]["agreements"] == {}  # >99% both times
    line = compare_text(moved, "old.json")[1]
    low, high = moved["policies"]["greedy"]["ci95"]
    assert high < 0 and round(high, 1) == 0
    assert f"[-{abs(low):.1f}, {high:+.2f}]" in line and "within chance" not in line
    moved = compare(_all(100, talks(0.999, 66.8)), _all(100, talks(1.0, 66.8)))
    assert "      agreed: exit >99% -> 100%" in compare_text(moved, "old.json")


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d["policies"][0]["score"].update(stdev=1e200), "policies[0].score.stdev"),
        (lambda d: d["policies"][0]["score"].update(mean=True), "policies[0].score.mean"),
        (lambda d: d["policies"][0].update(score="junk"), "policies[0].score is not an object"),
        (lambda d: d["policies"][0].update(runs=1e-300), "policies[0].runs"),
        (lambda d: d["policies"][0]["grades"].update(B=1e300), "policies[0].grades"),
        (lambda d: d.update(runs=10**400), '"runs" is not a whole number'),
        (
            lambda d: d["policies"][0]["explain"]["negotiations"].update(
                x={"agreement_rate": 1e307}
            ),
            "agreement rate that is not from 0 to 1",
        ),
    ],
)
def test_a_compare_file_that_is_not_a_playtests_is_refused_before_any_game(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    edit: Any,
    words: str,
) -> None:
    """Values no playtest writes (huge, wrong types, not finite) are refused in one sentence
    naming the field, exit 2, before the batch is played (it could be hours of work)."""
    path = tmp_path / "tiny.yaml"
    path.write_text(COVERAGE, encoding="utf-8")
    argv = ["playtest", str(path), "--runs", "3", "--workers", "1"]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    data = {**data, "policies": [data]} if "policies" not in data else data
    edit(data)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))

    def played(*_: Any, **__: Any) -> None:
        raise AssertionError("a game was played before the file was checked")

    monkeypatch.setattr("game.commands.playtest.batches", played)
    code = main([*argv, "--compare", str(old)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert "not the JSON of accord playtest --json" in err and words in err


def test_a_compare_file_that_is_no_file_or_too_deep_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(COVERAGE, encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text('{"scenario": "tiny", "score": ' + "[" * 100_000 + "]" * 100_000 + "}")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for name, words in (
        (str(deep), "not the JSON of accord playtest --json"),
        ("/dev/zero", "is not a regular file"),
        (str(fifo), "is not a regular file"),
        (str(tmp_path), "is a folder"),
    ):
        code = main(["playtest", str(path), "--runs", "3", "--workers", "1", "--compare", name])
        out, err = capsys.readouterr()
        assert code == 2 and out == "" and err.count("\n") == 1 and words in err, err
