"""Tests for game.scenario.yamlpos: positions, and refusing hostile or broken scenario files."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.scenario import yamlpos
from game.scenario.yamlpos import Mark, YamlProblem, parse_yaml

LOADERS: list[type[yamlpos._Guards]] = [yamlpos._PureLoader]
if yaml.__with_libyaml__:
    LOADERS.append(yamlpos._CLoader)


@pytest.fixture(autouse=True, params=LOADERS, ids=lambda cls: cls.__name__)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run every test with libyaml and with the pure-Python fallback."""
    monkeypatch.setattr(yamlpos, "_LOADER", request.param)
    yield


def problem(text: str | bytes, **limits: int) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text, **limits)
    return info.value


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


SCENARIO = """\
# A comment first, so the mapping starts on line 2.
format: accord/1
actors:
  - id: un
    name: United Nations
  - id: au
    tags: [a, b]
limits: {turns: 12}
"""


def test_positions_of_keys_and_values_are_one_based() -> None:
    data, pos = parse_yaml(SCENARIO)
    assert data["actors"][1]["tags"] == ["a", "b"]
    assert pos.key(["format"]) == Mark(2, 1)
    assert pos.value(["format"]) == Mark(2, 9)
    assert pos.key(["actors", 0, "name"]) == Mark(5, 5)
    assert pos.value(["actors", 0, "name"]) == Mark(5, 11)
    assert pos.value(["actors", 1]) == Mark(6, 5)
    assert pos.key(["actors", 1]) == Mark(6, 5)  # a list item has no key: its value
    assert pos.value(["actors", 1, "tags"]) == Mark(7, 11)
    assert pos.value(["actors", 1, "tags", 1]) == Mark(7, 15)
    assert pos.key(("limits", "turns")) == Mark(8, 10)
    assert pos.value(("limits", "turns")) == Mark(8, 17)
    assert pos.exact(["actors", 1, "tags", 1])


def test_missing_paths_fall_back_to_the_nearest_parent() -> None:
    _, pos = parse_yaml(SCENARIO)
    assert not pos.exact(["actors", 1, "missing"])
    assert pos.value(["actors", 1, "missing", 3]) == Mark(6, 5)
    assert pos.key(["actors", 1, "missing"]) == Mark(6, 5)
    assert pos.value(["actors", 7]) == Mark(4, 3)  # the value of `actors`: the list
    assert pos.value(["nowhere"]) == pos.value([]) == Mark(2, 1)
    assert pos.exact([])


def test_duplicate_keys_name_both_lines() -> None:
    err = problem("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n")
    assert "duplicate key 'c'" in err.message
    assert "first written at line 3" in err.message
    assert (err.line, err.col) == (5, 3)


def test_duplicate_keys_compare_loaded_values() -> None:
    assert "duplicate key" in problem("yes: 1\ntrue: 2\n").message
    assert "duplicate key 'a'" in problem("&k a: 1\n*k : 2\n").message


def test_alias_bomb_is_refused() -> None:
    err = problem(alias_bomb())
    assert "expands to more than 100000 nodes (an alias bomb?)" in err.message


def test_mapping_bomb_and_small_node_limit_are_refused() -> None:
    lines = ["m0: &m0 {x: 1, y: 2}"]
    for i in range(1, 9):
        aliases = ", ".join([f"*m{i - 1}"] * 9)
        lines.append(f"m{i}: &m{i} {{<<: [*m{i - 1}], k: [{aliases}]}}")
    assert "alias bomb" in problem("\n".join(lines)).message
    assert "nodes" in problem("a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", max_nodes=10).message


def test_merge_keys_work_and_report_where_each_key_was_written() -> None:
    text = (
        "base: &base\n  hp: 10\n  mp: 3\n"
        "extra: &extra {armour: 2, hp: 99}\n"
        "unit:\n  <<: [*base, *extra]\n  hp: 20\n"
    )
    data, pos = parse_yaml(text)
    assert data["unit"] == {"hp": 20, "mp": 3, "armour": 2}
    assert pos.key(["unit", "hp"]) == Mark(7, 3)  # its own key wins over both merges
    assert pos.key(["unit", "mp"]) == Mark(3, 3)  # a merged key: where the source wrote it
    assert pos.value(["unit", "armour"]) == Mark(4, 24)
    assert not pos.exact(["unit", "<<"])


def test_anchors_and_aliases_work() -> None:
    data, pos = parse_yaml("a: &x {k: [1, 2]}\nb: *x\nc: [*x, *x]\n")
    assert data["b"] == data["c"][1] == {"k": [1, 2]}
    assert pos.value(["c", 1, "k", 1]) == Mark(1, 15)  # where the anchored value was written


def test_self_referencing_alias_is_refused() -> None:
    assert "refers to a collection that contains it" in problem("a: &x [1, *x]\n").message


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "a: " + "[" * 100_000, "a: " + "{a: " * 100_000, "- " * 100_000 + "x"],
    ids=["flow-lists", "in-mapping", "flow-maps", "block-lists"],
)
def test_deep_nesting_is_refused(text: str) -> None:
    assert "nested" in problem(text).message


def test_depth_limit_counts_levels() -> None:
    nested = "a: " + "[" * 8 + "x" + "]" * 8  # mapping, 8 lists, a scalar: 10 levels
    assert parse_yaml(nested, max_depth=10)[0]["a"][0][0][0][0][0][0][0] == ["x"]
    assert "more than 9 levels" in problem(nested, max_depth=9).message
    chain = "\n".join(["a0: &a0 [x]", *(f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 300))])
    assert "more than 200 levels" in problem(chain).message  # deep only once aliases expand


@pytest.mark.parametrize("text", ["", "\n\n", "# only\n  # comments\n", "---\n", b"\xef\xbb\xbf"])
def test_empty_files_are_refused(text: str | bytes) -> None:
    err = problem(text)
    assert err.message.startswith("the file is empty")
    assert (err.line, err.col) == (1, 1)


@pytest.mark.parametrize(
    ("data", "reason", "where"),
    [
        (b"a: 1\nb: \x00\x01\x02", "NUL", (2, 4)),
        (b"a: 1\ntitle: caf\xe9\n", "byte 0xe9", (2, 11)),
        ("a: ü".encode("utf-16"), "UTF-16", (1, 1)),
        (bytes(random.Random(7).randrange(256) for _ in range(4096)), "", None),
    ],
)
def test_binary_and_non_utf8_files_are_refused(
    data: bytes, reason: str, where: tuple[int, int] | None
) -> None:
    err = problem(data)
    assert err.message.startswith("the file is not UTF-8 text") and reason in err.message
    if where is not None:
        assert (err.line, err.col) == where


def test_utf8_bom_is_stripped() -> None:
    data, pos = parse_yaml(b"\xef\xbb\xbfformat: accord/1\n")
    assert data == {"format": "accord/1"}
    assert pos.key(["format"]) == Mark(1, 1)
    assert parse_yaml("\ufeffa: é")[0] == {"a": "é"}


def test_control_characters_are_refused_with_position() -> None:
    err = problem("a: 1\nb: x\x07y\n")
    assert "U+0007" in err.message and (err.line, err.col) == (2, 5)


@pytest.mark.parametrize(
    ("text", "found"),
    [("- a\n- b\n", "a list"), ("hello", "a string"), ("42", "a number"), ("!!set {a}", "a set")],
)
def test_top_level_must_be_a_mapping(text: str, found: str) -> None:
    err = problem(text)
    assert err.message.startswith("the top level must be a mapping")
    assert err.message.endswith(f"found {found}")


def test_a_second_document_is_refused_where_it_starts() -> None:
    err = problem("a: 1\nb: 2\n---\nc: 3\n")
    assert "second YAML document" in err.message and (err.line, err.col) == (3, 1)


def test_syntax_errors_say_what_and_where() -> None:
    err = problem("title: ok\nbad: [b: c\n")
    assert err.message.startswith("could not parse YAML: ")
    assert (err.line, err.col) == (3, 1)
    assert str(err).startswith("line 3, column 1: could not parse YAML")


CHOICE = """\
events:
  flood:
    title: Flood
    choices:
      send:
        label: Send troops to build a crossing
        requires: "res.troops >= 2"
        effects: []
      wait:
        label: Wait
"""


@pytest.mark.parametrize(
    ("indent", "relation"),
    [(6, "unlike"), (4, "unlike"), (7, "unlike"), (9, "more than"), (10, "more than")],
)
def test_a_misindented_key_is_named_at_its_own_line(indent: int, relation: str) -> None:
    """Too few or too many spaces before `requires:` (line 7): the message says indentation,
    at line 7, whichever line PyYAML noticed it on."""
    text = CHOICE.replace('        requires: "', " " * indent + 'requires: "')
    err = problem(text)
    assert (err.line, err.col) == (7, indent + 1), err
    assert err.message == (
        f"could not parse YAML: wrong indentation: 'requires:' is indented {indent} spaces, "
        f"{relation} 'label:' on line 6 (8); line up keys that belong together in the same column"
    )


def test_a_key_not_indented_under_its_parent_is_named() -> None:
    err = problem(CHOICE.replace("    title: Flood", "  title: Flood"))
    assert (err.line, err.col) == (3, 3)
    assert "'title:' is indented 2 spaces, no more than 'flood:' on line 2 (2)" in err.message


def test_a_colon_inside_plain_text_gets_the_quoted_text_to_write() -> None:
    err = problem(CHOICE.replace("label: Wait", "label: Wait: the water falls"))
    assert (err.line, err.col) == (10, 20)
    assert err.message == (
        "could not parse YAML: a colon followed by a space inside text that is not in quotes; "
        'put the whole text in double quotes: label: "Wait: the water falls"'
    )


def test_a_tab_in_the_indentation_is_named() -> None:
    err = problem(CHOICE.replace("    title: Flood", "\ttitle: Flood"))
    assert err.line == 3
    assert err.message.endswith("a Tab character indents this line; indent with spaces only")


def test_other_syntax_errors_keep_pyyamls_words() -> None:
    """An apostrophe inside single quotes is no indentation slip: no made-up hint."""
    err = problem(CHOICE.replace("label: Wait", "label: 'the mission's boat'"))
    assert "indentation" not in err.message and "colon" not in err.message


def test_size_limit() -> None:
    err = problem(b"#" * 5_000_000)
    assert err.message == "the file is 5000000 bytes; scenarios are limited to 1 MiB"
    assert "2000 bytes" in problem("a: " + "é" * 1000, max_bytes=2000).message  # counts bytes


def test_yaml_11_scalars_and_non_string_keys_are_kept() -> None:
    data, pos = parse_yaml("a: NO\nb: 1.10\nc: 12:30\n1: one\nnull: nothing\n")
    assert data == {"a": False, "b": 1.1, "c": 750, 1: "one", None: "nothing"}
    assert pos.key([1]) == Mark(4, 1)


@pytest.mark.parametrize(
    ("text", "reason", "where"),
    [
        ("a: !!python/object:os.system x\n", "'!!python/object:os.system' is not allowed", (1, 4)),
        ("a: !custom x\n", "'!custom' is not allowed", (1, 4)),
        ("a:\n  b: !!int abc\n", "not a valid int", (2, 6)),
        ("a: 2024-13-45\n", "not a valid timestamp", (1, 4)),
        ("a: " + "9" * 5000 + "\n", "is too large: numbers are at most 10^15", (1, 4)),
        ("a: 0x" + "f" * 5000 + "\n", "is too large: numbers are at most 10^15", (1, 4)),
        ("a: -1_000_000_000_000_001\n", "is too large: numbers are at most 10^15", (1, 4)),
        ("? [1, 2]\n: x\n", "unhashable key", None),
    ],
)
def test_bad_tags_and_values_are_refused(text: str, reason: str, where: Any) -> None:
    err = problem(text)
    assert reason in err.message
    if where is not None:
        assert (err.line, err.col) == where


# Characters that steer the YAML scanner and parser into their unusual paths.
YAMLISH = st.text(alphabet=st.sampled_from([*"[]{}:,-?&*!|>'\"#%@`<=~ \t\n.ab01_\\", "é"]))
# The loader fixture only swaps a class, so reusing it across examples is fine.
QUICK = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(QUICK, max_examples=150)
@given(st.one_of(st.text(), st.binary(), YAMLISH))
def test_arbitrary_input_only_ever_raises_yaml_problem(text: str | bytes) -> None:
    try:
        data, pos = parse_yaml(text)
    except YamlProblem as err:
        assert err.message and err.line >= 1 and err.col >= 1
    else:
        assert isinstance(data, dict)
        assert pos.value(["no", "such", 0]).line >= 1


KEYS = st.from_regex(r"[a-z][a-z_]{0,7}", fullmatch=True).filter(
    lambda key: key not in {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
)
TREES = st.recursive(
    st.one_of(st.integers(-1000, 1000), st.from_regex(r"[a-z]{1,6}", fullmatch=True)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


def walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict | list):
        for key, child in value.items() if isinstance(value, dict) else enumerate(value):
            yield from walk(child, (*path, key))


@settings(QUICK, max_examples=40)
@given(st.dictionaries(KEYS, TREES, min_size=1, max_size=5), st.booleans())
def test_every_loaded_path_has_its_position(tree: dict[str, Any], flow: bool) -> None:
    text = yaml.safe_dump(tree, default_flow_style=flow)
    data, pos = parse_yaml(text)
    assert data == tree
    lines = text.splitlines()
    for path, _ in walk(data):
        assert pos.exact(path)
        if path and isinstance(path[-1], str):  # the key's text starts at its mark
            mark = pos.key(path)
            assert lines[mark.line - 1][mark.col - 1 :].startswith(path[-1])


def test_the_quoted_text_to_write_shows_the_start_of_a_long_text() -> None:
    long = "Wait: " + "the water falls slowly " * 20
    err = problem(CHOICE.replace("label: Wait", f"label: {long}"))
    assert err.message.endswith(
        'label: "Wait: the water falls slowly the water falls slowly the ..."'
    )


def test_a_first_key_indented_unlike_the_keys_after_it_is_named() -> None:
    """The first key under `flood:` sets the column; when the next two agree with each other
    and not with it, it is the one to move."""
    text = "events:\n  flood:\n     title: Flood\n    text: Rain\n    once: true\n"
    err = problem(text)
    assert (err.line, err.col) == (3, 6), err
    assert "'title:' is indented 5 spaces, unlike 'text:' on line 4 (4)" in err.message


def test_a_line_between_two_that_agree_is_named_even_when_read_as_text() -> None:
    text = "events:\n  flood:\n    title: Flood\n  text: Rain\n    once: true\n"
    err = problem(text)
    assert (err.line, err.col) == (4, 3), err
    assert "'text:' is indented 2 spaces, unlike 'title:' on line 3 (4)" in err.message
