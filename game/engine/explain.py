"""Plain-language reasons for unmet requirements ("needs trust with X of at least 40, now 35")."""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from typing import Any

from game.engine.plan import Clauses, Plan
from game.engine.report import PartyAnswer
from game.numbers import number, verdict_places
from game.scenario import names
from game.scenario.compiled import Scenario
from game.scenario.expr import ExprError, ExprType, compile_expr, parse_quietly

_OPS = {
    ast.GtE: "of at least",
    ast.Gt: "above",
    ast.LtE: "of at most",
    ast.Lt: "below",
    ast.Eq: "of exactly",
    ast.NotEq: "other than",
}


def label_of(scenario: Scenario, name: str) -> str:
    """How a trainee reads an expression name (game.scenario.names)."""
    return names.reads(scenario.model, name)


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


_TESTS = {
    ast.GtE: operator.ge,
    ast.Gt: operator.gt,
    ast.LtE: operator.le,
    ast.Lt: operator.lt,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _now(value: Any, op: type[ast.cmpop], bound: Any) -> str:
    """A value that fails its comparison, as a trainee reads numbers (one decimal, whole when
    nearly whole: "now 51.8", not "now 51.8371"), with more places where fewer would read as
    meeting the bound ("at least 55, now 54.96", not "now 55")."""
    if not isinstance(value, float) or not isinstance(bound, int | float):
        return _number(value)
    test = _TESTS[op]
    for places in range(1, 7):
        if not test(round(value, places), bound):
            return number(value) if places == 1 else f"{value:.{places}f}"
    return _number(value)


def _clause(scenario: Scenario, node: ast.expr, env: Mapping[str, Any]) -> str:
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        name = _dotted(node.left)
        op = type(node.ops[0])
        right = node.comparators[0]
        if name and op in _OPS and isinstance(right, ast.Constant):
            now = env.get(name)
            return (
                f"{label_of(scenario, name)} {_OPS[op]} {_number(right.value)}, "
                f"now {_now(now, op, right.value)}"
            )
    name = _dotted(node)
    if name:
        return label_of(scenario, name)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _dotted(node.operand)
        if inner:
            return f"not {label_of(scenario, inner)}"
    return ast.unparse(node)


def unmet(plan: Plan, text: str, env: dict[str, Any]) -> str:
    """Describe the failing parts of a requirement in the trainee's words."""
    scenario = plan.scenario
    failing = []
    for clause, fn in _clauses(plan, text):
        # A compiled expression never raises for numeric values (see game.scenario.expr).
        ok = fn is not None and bool(fn(env))
        if not ok:
            failing.append(_clause(scenario, clause, env))
    return "; ".join(failing) if failing else text


def _clauses(plan: Plan, text: str) -> Clauses:
    """The requirement's `and` clauses, each compiled once per scenario and kept."""
    scenario, cache = plan.scenario, plan.requirements
    found = cache.get(text)
    if found is None:
        try:
            tree = parse_quietly(text).body
        except SyntaxError:
            tree = None
        parts: list[ast.expr] = []
        if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And):
            parts = list(tree.values)
        elif tree is not None:
            parts = [tree]
        found = []
        for clause in parts:
            try:
                fn = compile_expr(ast.unparse(clause), scenario.names, want=ExprType.BOOL).fn
            except ExprError:
                fn = None
            found.append((clause, fn))
        cache[text] = found
    return found


def refusal_words(scenario: Scenario, did: str, answer: PartyAnswer, difficulty: str) -> str:
    """Why a party refused, by difficulty: `hard` names only the issue that costs it most
    ("objects to Posture"); `standard` says which way it wants that issue to move ("wants
    Posture nearer Diplomatic"); `intro` adds its value of the package against the lowest it
    accepts now."""
    issues = scenario.model.disagreements[did].issues
    issue = issues.get(answer.objection or "")
    if issue is None:
        return "refuses"
    if difficulty == "hard" or not answer.prefers:
        words = f"objects to {issue.label}"
    else:
        nearer = ", then ".join(issue.options[o] for o in answer.prefers if o in issue.options)
        words = f"wants {issue.label} nearer {nearer}"
    if difficulty == "intro":
        floor = max(answer.floor, 0.0)
        k = verdict_places(answer.utility, floor, accepted=False)
        value = f"{answer.utility:.{k}f}"
        words += f" (values this package at {value}; accepts {floor:.{k}f} or more now)"
    return words
