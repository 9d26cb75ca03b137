"""`--detail FILE` writes a report and replaces only a report it wrote before: never the
scenario (by any name), a folder, a device or another file; refused before any game."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["playtest", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_detail_refuses_the_scenario_itself(
    lopsided_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = lopsided_file.read_bytes()
    link = tmp_path / "copy.yaml"
    link.symlink_to(lopsided_file)
    dotted = tmp_path / "." / lopsided_file.name
    for target in (lopsided_file, link, dotted):
        code, out, err = _run(capsys, lopsided_file, "--runs", "3", "--workers", "1",
                              "--detail", target)  # fmt: skip
        assert code == 2 and out == ""
        assert "is the scenario file itself" in err and err.count("\n") == 1
        assert lopsided_file.read_bytes() == before


@pytest.mark.parametrize("kind", ["folder", "device", "other"])
def test_detail_refuses_what_is_not_its_own_file(
    lopsided_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    if kind == "folder":
        target, words = tmp_path, "is a folder"
    elif kind == "device":
        target, words = Path(os.devnull), "is not a regular file"
    else:
        target, words = tmp_path / "notes.txt", "was not written by accord playtest --detail"
        target.write_text("my notes\n", encoding="utf-8")
    code, out, err = _run(capsys, lopsided_file, "--runs", "3", "--workers", "1",
                          "--detail", target)  # fmt: skip
    assert code == 2 and out == "" and words in err and err.count("\n") == 1
    if kind == "other":
        assert target.read_text(encoding="utf-8") == "my notes\n"


def test_detail_replaces_its_own_report(
    lopsided_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "detail.txt"
    for _ in range(2):
        code, _, err = _run(capsys, lopsided_file, "--runs", "3", "--workers", "1",
                            "--detail", target)  # fmt: skip
        assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "mean at the end of each turn" in text
    assert text.rstrip().splitlines()[-1].startswith("Written by accord playtest --detail")
