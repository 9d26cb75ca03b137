"""The help screen lists every key once, where it applies, in columns that do not run on."""

from __future__ import annotations

import re

from game.tui.screens.help import help_markup

ROW = re.compile(r"^  (?P<keys>\S.*?)  +(?P<what>\S.*)$")


def test_each_key_is_listed_once_and_the_app_s_own_keys_only_under_everywhere() -> None:
    sections: dict[str, list[tuple[str, str]]] = {}
    title = ""
    for line in help_markup().plain.splitlines():
        if line and not line.startswith(" "):
            title = line
            sections[title] = []
        elif (row := ROW.match(line)) is not None:
            sections[title].append((row["keys"], row["what"]))
    assert len(sections) > 10
    for name, rows in sections.items():
        tokens = [token for keys, _ in rows for token in keys.split()]
        assert len(tokens) == len(set(tokens)), (name, rows)
        if name != "Everywhere":
            assert not any(k.startswith("Ctrl+") or k == "?" for k, _ in rows), (name, rows)
    assert ("Enter", "Back to the dashboard / See how the mission ended") in sections["Turn report"]


def test_the_longest_keys_leave_a_space_before_what_they_do() -> None:
    for line in help_markup().plain.splitlines():
        if "PgUp PgDn Home End" in line:
            assert "PgUp PgDn Home End   Page up" in line
            break
    else:
        raise AssertionError("the page keys are not listed")
