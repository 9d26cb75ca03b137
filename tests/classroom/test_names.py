"""Trainee names: the same person whatever the case or width, never outside the class folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.classroom.names import NameError_, trainee
from game.classroom.seats import take_seat, trainee_name
from game.saves import SaveError


@pytest.mark.parametrize("typed", ["Alice", "ALICE", "  alice ", "ａｌｉｃｅ", "Alice"])
def test_case_width_and_spaces_make_the_same_trainee(typed: str) -> None:
    assert trainee(typed).slug == "alice"


@pytest.mark.parametrize(
    ("one", "other"),
    [("José", "Jose"), ("Jean-Luc", "Jean Luc"), ("O'Neil", "ONeil"), ("王小明", "王小")],
)
def test_different_names_never_share_a_folder(one: str, other: str) -> None:
    assert trainee(one).slug != trainee(other).slug


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Type your name"),
        ("../../etc", "not '/'"),
        ("a\\b", "not '\\\\'"),
        ("Bob\x1b[31m", "not '\\x1b'"),
        ("Аlice", "one alphabet"),  # a Cyrillic А before Latin letters
        ("x" * 41, "at most 40"),
        ("1234", "at least one letter"),
    ],
)
def test_names_that_cannot_be_a_trainees_are_refused_in_a_sentence(typed: str, words: str) -> None:
    with pytest.raises(NameError_) as caught:
        trainee(typed)
    assert words in str(caught.value)


@pytest.mark.parametrize("typed", ["Zoë", "王小明", "Mary-Jane O’Neil", "..a..", "李 ..."])
def test_a_folder_is_always_a_plain_name_inside_the_class_folder(typed: str) -> None:
    slug = trainee(typed).slug
    assert slug.isascii() and not slug.startswith((".", "-")) and "/" not in slug
    assert slug == slug.lower() and 0 < len(slug) <= 43


def test_one_browser_at_a_time_holds_a_name(tmp_path: Path) -> None:
    first = take_seat(tmp_path, trainee("Alice"))
    with pytest.raises(NameError_, match="already playing as ALICE"):
        take_seat(tmp_path, trainee("ALICE"))
    assert trainee_name(first.folder) == "Alice"
    first.release()
    again = take_seat(tmp_path, trainee("alice"))
    # The name stays as first typed: the saves, the report and the class view all say Alice.
    assert again.folder == first.folder and trainee_name(again.folder) == "Alice"
    assert again.trainee.name == "Alice"
    again.release()


def test_a_link_in_the_class_folder_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "bob").symlink_to(elsewhere)
    with pytest.raises(SaveError, match="not a trainee's folder"):
        take_seat(tmp_path / "class", trainee("Bob"))
    assert list(elsewhere.iterdir()) == []
