"""Hostile-input fuzzing: the shipped scenarios, each mutated with the kinds of attack an
outsider tried (huge numbers in every spelling, markup and terminal controls, empty values,
formulas that overflow or divide by zero, a billion-package disagreement, renamed ids).
Whatever comes out is a list of located problems, or a scenario that plays a few turns,
forecasts, and gives a debrief, with no exception on the way. Bounded: a few dozen
examples, a few turns each."""

from __future__ import annotations

import copy
import os
import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from game.debrief import build_debrief, render_markdown, render_text, to_json
from game.engine import EndTurn, Game
from game.scenario import Problem, check_scenario

ROOT = Path(__file__).resolve().parent
SHIPPED = {
    p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (ROOT.parent / "scenarios").glob("*.yaml")
}

# Written into the YAML text as they are (not as strings): the loader must meet them raw.
RAW = {
    "__DECIMAL__": "1" * 310,
    "__HEX__": "0x" + "f" * 4400,
    "__OCTAL__": "0" + "7" * 4400,
    "__FLOAT__": "1" + "0" * 400 + ".5",
    "__NAN__": ".nan",
    "__INF__": "-.inf",
    "__NULL__": "null",
    "__DEEP__": "[" * 150 + "]" * 150,
}
ATTACKS = st.one_of(
    st.sampled_from(sorted(RAW)),
    st.sampled_from([
        "[@click=app.quit]x[/]", "Valley [est.", "\x1b]0;pwn\x07\x1b[2J", "\u202eevil",
        "x" * 20_001,
        "20 * floor(exp(stability * 14.18))", "1 / 0", "sqrt(-1)", "2 ** 2 ** 2 ** 2",
        "0x" + "f" * 1990, "__import__('os')", "stability", "trust.un", "", " ",
    ]),
    st.integers(-(10**16), 10**16), st.floats(), st.booleans(), st.none(),
    st.just([]), st.just({}), st.just({"a": {"b": None}}),
)  # fmt: skip


HOW = ["text", "text", "replace", "replace", "delete", "rename", "explode"]
TEXT_KEYS = {"title", "summary", "briefing", "label", "name", "blurb", "description", "text"}


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += paths(value, (*prefix, i))
    return out


PATHS = {name: paths(data) for name, data in SHIPPED.items()}
TEXTS = {name: [p for p in found if p[-1] in TEXT_KEYS] for name, found in PATHS.items()}


def mutated(data: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
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
    elif how == "explode" and isinstance(parent, dict) and last == "issues":
        # 30 more two-option issues, which the parties value: a billion packages.
        for i in range(30):
            parent["issues"][f"i{i}"] = {"label": f"I{i}", "options": {"a": "A", "b": "B"}}
            for pref in parent.get("preferences", {}).values():
                if isinstance(pref, dict) and isinstance(pref.get("weights"), dict):
                    pref["weights"][f"i{i}"] = 0.1
                    pref.setdefault("values", {})[f"i{i}"] = {"a": 1.0, "b": 0.0}
    return data


def as_text(data: Any) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, width=10**9)
    for marker, raw in RAW.items():
        text = text.replace(marker, raw)
    return text


def plays(game: Game, rng: random.Random) -> None:
    """A few turns of random legal play, forecasting each action before taking it."""
    for _ in range(3):
        if game.finished:
            return
        for _ in range(6):
            actions = [a for a in game.legal_actions() if not isinstance(a, EndTurn)]
            if not actions:
                break
            action = rng.choice(actions)
            game.preview(action)
            game.apply(action)
        assert game.apply(EndTurn()).ok or game.pending


# 30 examples in the suite (a few seconds); ACCORD_FUZZ_EXAMPLES=2000 for a longer hunt.
EXAMPLES = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "30"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SHIPPED)),
    picks=st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from(HOW), ATTACKS),
        min_size=1, max_size=3,
    ),
    seed=st.integers(0, 1000),
)  # fmt: skip
# Format-string injection, found by this test: a meter's label "{'a': {'b': None}}" made the
# debrief's findings call str.format on it (KeyError).
@example(name="nato_eu_transition", picks=[(759, "text", {"a": {"b": None}})], seed=139)
def test_hostile_mutations_of_shipped_scenarios_give_located_problems_or_a_game(
    name: str, picks: list[tuple[int, str, Any]], seed: int
) -> None:
    data = SHIPPED[name]
    for index, how, value in picks:
        path = PATHS[name][index % len(PATHS[name])]
        if how == "text":  # words for people: always loads, then plays with hostile text
            texts = TEXTS[name]
            path, how, value = texts[index % len(texts)], "replace", str(value)
        if how == "explode":
            path = next((p for p in PATHS[name] if p[-1] == "issues"), path)
        try:
            data = mutated(data, path, how, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the path
    scenario, problems = check_scenario(as_text(data), "mutant.yaml")
    assert all(isinstance(p, Problem) for p in problems)
    assert all(p.line >= 1 and p.col >= 1 and p.message for p in problems)
    if scenario is None:
        assert any(p.severity == "error" for p in problems)
        return
    game = Game.new(scenario)
    plays(game, random.Random(seed))
    debrief = build_debrief(game, player="[/] \x1b[2J")
    render_text(debrief)
    render_markdown(debrief)
    to_json(debrief)
