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


@pytest.mark.parametrize("command", [["play", "tutorial"], ["play", "--load", "my-game"]])
def test_a_save_folder_that_is_a_file_is_refused_before_the_game_starts(
    command: list[str], tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A game played with --saves naming a file would fail at its first autosave, after the
    trainee's first decisions: it is refused at once (and the file is left as it was)."""
    file = tmp_path / "notes.txt"
    file.write_text("mine", encoding="utf-8")
    assert main([*command, "--saves", str(file)]) == 2
    err = capsys.readouterr().err
    assert err == f"accord: --saves {file} is a file, not a save folder\n"
    assert file.read_text(encoding="utf-8") == "mine"
