"""Random mutations of a good scenario only ever produce located problems, never another
exception (deleted keys, swapped types, renamed ids, truncated text)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.scenario import Problem, check_scenario

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "scenarios" / "hybrid_mandate.yaml").read_text()
DATA = yaml.safe_load(TEXT)

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True),
    st.text(max_size=30), st.just([]), st.just({}), st.just(["x", 1]), st.just({"a": {"b": 1}}),
    st.sampled_from(["stability", "trust.un", "1/0", "sqrt(-1)", "2 ** 1000", "__import__('os')"]),
)  # fmt: skip


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += paths(value, prefix + (i,))
    return out


PATHS = paths(DATA)


def mutate(data: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "replace":
        parent[last] = value
    elif how == "rename" and isinstance(parent, dict):
        parent[f"{last}_x" if isinstance(last, str) else "renamed"] = parent.pop(last)
    elif how == "duplicate_id" and isinstance(parent, dict) and isinstance(last, str):
        parent["stability"] = parent[last]
    return data


def assert_only_problems(text: str) -> None:
    scenario, problems = check_scenario(text, "mutant.yaml")
    assert all(isinstance(p, Problem) for p in problems)
    if scenario is None:
        assert any(p.severity == "error" for p in problems)
        assert all(p.line >= 1 and p.col >= 1 for p in problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(PATHS),
                  st.sampled_from(["delete", "replace", "rename", "duplicate_id"]), ODD_VALUES),
        min_size=1, max_size=4,
    )
)  # fmt: skip
def test_structural_mutations_give_only_located_problems(mutations):
    data = DATA
    for path, how, value in mutations:
        try:
            data = mutate(data, path, how, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the path
    assert_only_problems(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(0, len(TEXT)), insert=st.text(max_size=5), at=st.integers(0, len(TEXT)))
def test_truncated_or_garbled_text_gives_only_located_problems(cut, insert, at):
    assert_only_problems(TEXT[:cut])
    assert_only_problems(TEXT[:at] + insert + TEXT[at:])
