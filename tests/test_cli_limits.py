"""Counts on the command line are bounded: a typo must not run for days or fill the memory."""

from __future__ import annotations

import pytest

from game.cli import main


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (
            ["debrief", "x.json", "--benchmark-runs", "99999999999999999999"],
            "--benchmark-runs: must be from 0 to 100,000, not 99999999999999999999",
        ),
        (["debrief", "x.json", "--benchmark-runs", "lots"], "expected a whole number, not 'lots'"),
    ],
)
def test_an_unreasonable_count_is_a_usage_error(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "(see 'accord debrief --help')" in err and err.count("\n") == 1
