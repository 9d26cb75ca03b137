"""How the `accord` command reads its words: options before the command, empty paths, and
counts bounded so that a typo does not run for days or fill the memory."""

from __future__ import annotations

import pytest

from game.cli import main


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["validate", ""], "the PATH given is empty: name a file or folder"),
        (["run", ""], "the SCRIPT given is empty"),
        (["saves", "--saves", ""], "the --saves given is empty"),
        (["run", "x.play.yaml", "--save", ""], "the --save given is empty"),
        (["playtest", ""], "the SCENARIO given is empty"),
        (
            ["debrief", "x.json", "--benchmark-runs", "99999999999999999999"],
            "--benchmark-runs: must be from 0 to 100,000, not 99999999999999999999",
        ),
        (["debrief", "x.json", "--benchmark-runs", "lots"], "expected a whole number, not 'lots'"),
    ],
)
def test_an_empty_path_or_an_unreasonable_count_is_a_usage_error(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_options_may_come_before_the_command(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """`accord --saves DIR saves` is `accord saves --saves DIR`."""
    assert main(["--saves", str(tmp_path), "saves"]) == 0
    assert capsys.readouterr().out.startswith("No saves")
