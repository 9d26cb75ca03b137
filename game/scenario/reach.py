"""Reachability: conditions that can never hold, or always hold, given the bounds of what they
read, and the strategies, choices, events, talks, rules, endings and lessons that therefore
never happen.

An interval analysis: every number a condition reads has bounds (a metric its min and max,
trust 0 to 100, a stock 0 to its max, turn 1 to the last turn, a counter 0 to the last turn, a
flag what its effects can make of it), and every operator maps bounds to bounds. A comparison
whose bounds do not overlap is decided before the game is played. Sure facts only: where the
bounds are unknown they are infinite, and a warning is given only when the condition is
decided for every game. What becomes impossible (an event that never fires) makes the names
that read it (`fired.event`) false, and the analysis runs again, a few rounds at most.

Pure and bounded: each expression is at most 200 nodes (the compiler's limit) and is walked
once a round.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.scenario.build import all_effects
from game.scenario.compiled import Scenario
from game.scenario.errors import Problem
from game.scenario.expr import parse_quietly
from game.scenario.models import LARGEST, ScenarioModel
from game.scenario.names import (
    ACTIVE,
    ACTIVE_TURNS,
    AGREED,
    AGREED_TURN,
    ALLOC,
    BROKEN,
    CHOSE,
    FAILED,
    FIRED,
    FLAG,
    INCOME,
    OPEN,
    OPEN_TURNS,
    RES,
    TRUST,
    WITHDRAWN,
    family_of,
)
from game.scenario.yamlpos import Positions, locate_in_scalar

INF = math.inf
ROUNDS = 4  # rounds of "this never happens, so what reads it is false"


@dataclass(frozen=True, slots=True)
class Num:
    lo: float
    hi: float

    @property
    def point(self) -> bool:
        return self.lo == self.hi


@dataclass(frozen=True, slots=True)
class Truth:
    can_true: bool
    can_false: bool

    @property
    def decided(self) -> bool | None:
        if self.can_true and not self.can_false:
            return True
        if self.can_false and not self.can_true:
            return False
        return None


Value = Num | Truth
ANY_NUM = Num(-INF, INF)
ANY_TRUTH = Truth(True, True)
TRUE, FALSE = Truth(True, False), Truth(False, True)


def _num(lo: float, hi: float) -> Num:
    if math.isnan(lo):
        lo = -INF
    if math.isnan(hi):
        hi = INF
    return Num(min(lo, hi), max(lo, hi))


def _corners(a: Num, b: Num, op: Callable[[float, float], float]) -> Num:
    values = []
    for x in (a.lo, a.hi):
        for y in (b.lo, b.hi):
            try:
                values.append(op(x, y))
            except (ArithmeticError, ValueError):
                return ANY_NUM
    if any(math.isnan(v) for v in values):
        return ANY_NUM
    return Num(min(values), max(values))


def _compare(op: ast.cmpop, a: Value, b: Value) -> Truth:
    if isinstance(a, Truth) and isinstance(b, Truth):
        x, y = a.decided, b.decided
        if x is not None and y is not None and isinstance(op, ast.Eq | ast.NotEq):
            return TRUE if (x == y) == isinstance(op, ast.Eq) else FALSE
        return ANY_TRUTH
    if isinstance(a, Truth) or isinstance(b, Truth):
        return ANY_TRUTH
    if isinstance(op, ast.Lt):
        yes, no = a.hi < b.lo, a.lo >= b.hi
    elif isinstance(op, ast.LtE):
        yes, no = a.hi <= b.lo, a.lo > b.hi
    elif isinstance(op, ast.Gt):
        yes, no = a.lo > b.hi, a.hi <= b.lo
    elif isinstance(op, ast.GtE):
        yes, no = a.lo >= b.hi, a.hi < b.lo
    elif isinstance(op, ast.Eq | ast.NotEq):
        equal = a.point and b.point and a.lo == b.lo
        apart = a.hi < b.lo or b.hi < a.lo
        yes, no = (equal, apart) if isinstance(op, ast.Eq) else (apart, equal)
    else:
        return ANY_TRUTH
    return TRUE if yes else FALSE if no else ANY_TRUTH


def _hull(a: Value, b: Value) -> Value:
    if isinstance(a, Num) and isinstance(b, Num):
        return Num(min(a.lo, b.lo), max(a.hi, b.hi))
    if isinstance(a, Truth) and isinstance(b, Truth):
        return Truth(a.can_true or b.can_true, a.can_false or b.can_false)
    return ANY_NUM


class Bounds:
    """Walks one expression's tree with the bounds of every name, keeping each part's bounds
    (to name the part that decides a condition)."""

    def __init__(self, names: Mapping[str, Value], metrics: Mapping[str, Num], turns: int):
        self.names = names
        self.metrics = metrics
        self.turns = turns
        self.seen: dict[int, Value] = {}  # each node's bounds, by id(node)

    def of(self, node: ast.AST) -> Value:
        method = getattr(self, f"_{type(node).__name__}", None)
        value: Value = method(node) if method is not None else ANY_NUM
        self.seen[id(node)] = value
        return value

    def decisive(self, node: ast.AST, result: bool) -> ast.AST:
        """The part that decides `node` to be `result`: the false part of an `and`, the true
        part of an `or`, else the whole."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.decisive(node.operand, not result)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And) != result:
            for part in node.values:
                value = self.seen.get(id(part))
                if isinstance(value, Truth) and value.decided is result:
                    return self.decisive(part, result)
        return node

    def _Constant(self, node: ast.Constant) -> Value:
        if isinstance(node.value, bool):
            return TRUE if node.value else FALSE
        if isinstance(node.value, int | float):
            return Num(float(node.value), float(node.value))
        return ANY_NUM

    def _Name(self, node: ast.Name) -> Value:
        if node.id in ("true", "false"):
            return TRUE if node.id == "true" else FALSE
        return self.names.get(node.id, ANY_NUM)

    def _Attribute(self, node: ast.Attribute) -> Value:
        name = _dotted(node)
        return self.names.get(name, ANY_NUM) if name else ANY_NUM

    def _UnaryOp(self, node: ast.UnaryOp) -> Value:
        inner = self.of(node.operand)
        if isinstance(node.op, ast.Not):
            return Truth(inner.can_false, inner.can_true) if isinstance(inner, Truth) else inner
        if isinstance(inner, Num) and isinstance(node.op, ast.USub):
            return Num(-inner.hi, -inner.lo)
        return inner

    def _BinOp(self, node: ast.BinOp) -> Value:
        a, b = self.of(node.left), self.of(node.right)
        if not (isinstance(a, Num) and isinstance(b, Num)):
            return ANY_NUM
        op = node.op
        if isinstance(op, ast.Add):
            return _num(a.lo + b.lo, a.hi + b.hi)
        if isinstance(op, ast.Sub):
            return _num(a.lo - b.hi, a.hi - b.lo)
        if isinstance(op, ast.Mult):
            return _corners(a, b, lambda x, y: x * y)
        if isinstance(op, ast.Div) and (b.lo > 0 or b.hi < 0):
            return _corners(a, b, lambda x, y: x / y)
        if isinstance(op, ast.Pow) and b.point and b.lo > 0 and a.lo >= 0:
            return _corners(a, b, lambda x, y: math.pow(x, y) if x < INF else INF)
        if a.point and b.point:  # both known: what the compiler folds
            try:
                if isinstance(op, ast.FloorDiv):
                    return Num(a.lo // b.lo, a.lo // b.lo)
                if isinstance(op, ast.Mod):
                    return Num(a.lo % b.lo, a.lo % b.lo)
            except ArithmeticError:
                return ANY_NUM
        return ANY_NUM  # a division by what may be 0 is computed as 0, with a warning

    def _BoolOp(self, node: ast.BoolOp) -> Value:
        parts = [self.of(v) for v in node.values]
        truths = [p if isinstance(p, Truth) else ANY_TRUTH for p in parts]
        if isinstance(node.op, ast.And):
            if any(t.decided is False for t in truths):
                return FALSE
            return Truth(all(t.can_true for t in truths), any(t.can_false for t in truths))
        if any(t.decided is True for t in truths):
            return TRUE
        return Truth(any(t.can_true for t in truths), all(t.can_false for t in truths))

    def _Compare(self, node: ast.Compare) -> Value:
        left = self.of(node.left)
        result = TRUE
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.of(right_node)
            step = _compare(op, left, right)
            result = Truth(result.can_true and step.can_true, result.can_false or step.can_false)
            left = right
        return result

    def _IfExp(self, node: ast.IfExp) -> Value:
        test = self.of(node.test)
        decided = test.decided if isinstance(test, Truth) else None
        if decided is True:
            return self.of(node.body)
        if decided is False:
            return self.of(node.orelse)
        return _hull(self.of(node.body), self.of(node.orelse))

    def _Call(self, node: ast.Call) -> Value:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name in ("mean", "final", "min", "max") and len(node.args) == 1:
            metric = _dotted(node.args[0]) if isinstance(node.args[0], ast.Attribute) else (
                node.args[0].id if isinstance(node.args[0], ast.Name) else ""
            )  # fmt: skip
            return self.metrics.get(metric, ANY_NUM)
        if name == "turns_above":
            return Num(0, self.turns)
        args = [self.of(a) for a in node.args]
        if not all(isinstance(a, Num) for a in args):
            return ANY_NUM
        nums: list[Num] = [a for a in args if isinstance(a, Num)]
        return _function(name, nums)


def _function(name: str, args: Sequence[Num]) -> Num:
    if name == "min" and args:
        return Num(min(a.lo for a in args), min(a.hi for a in args))
    if name == "max" and args:
        return Num(max(a.lo for a in args), max(a.hi for a in args))
    if len(args) == 3 and name == "clamp":
        x, low, high = args
        return _num(min(max(x.lo, low.lo), high.lo), max(min(x.hi, high.hi), low.hi))
    if not args:
        return ANY_NUM
    a = args[0]
    if name == "abs":
        if a.lo >= 0:
            return a
        return Num(-a.hi, -a.lo) if a.hi <= 0 else Num(0, max(-a.lo, a.hi))
    if name == "sqrt":  # the square root of a negative number is computed as 0
        return Num(math.sqrt(max(a.lo, 0)), math.sqrt(a.hi) if a.hi > 0 else 0)
    if name == "log" and a.lo > 0:
        return Num(math.log(a.lo), math.log(a.hi) if a.hi < INF else INF)
    if name == "exp":
        return Num(_exp(a.lo), _exp(a.hi))
    if name in ("floor", "ceil", "round") and len(args) == 1:
        return Num(
            math.floor(a.lo) if a.lo > -INF else -INF, math.ceil(a.hi) if a.hi < INF else INF
        )
    return ANY_NUM


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    return ".".join([node.id, *reversed(parts)])


# ---- where conditions are written, and what each one decides --------------------------------

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    path: Path
    source: str
    settled: bool  # read at the start of a turn or on a player's action (values within bounds)
    never: str  # what never happens when it never holds
    always: str | None  # what to say when it always holds (None: nothing to say)
    fact: str | None = None  # the name that is false when it never holds (`fired.e`)
    turn: tuple[int, int] | None = None  # the turns it is read on, when fewer than all


def conditions(m: ScenarioModel) -> Iterator[Condition]:
    """Every condition of the scenario with its place and what depends on it."""
    last = m.turns
    left_out = "it can be left out"
    for sid, st in m.strategies.items():
        if isinstance(st.requires, str):
            yield Condition(
                ("strategies", sid, "requires"), st.requires, True,
                f"strategy '{sid}' can never be activated", left_out, ACTIVE(sid),
            )  # fmt: skip
    for eid, ev in m.events.items():
        turn = (ev.turn, ev.turn) if ev.turn is not None else None
        if isinstance(ev.when, str):
            yield Condition(
                ("events", eid, "when"), ev.when, True, f"event '{eid}' never fires",
                left_out, FIRED(eid), turn,
            )  # fmt: skip
        for cid, choice in ev.choices.items():
            if isinstance(choice.requires, str):
                yield Condition(
                    ("events", eid, "choices", cid, "requires"), choice.requires, True,
                    f"choice '{cid}' of event '{eid}' can never be taken", left_out,
                    CHOSE(eid, cid), turn,
                )  # fmt: skip
    for did, d in m.disagreements.items():
        if isinstance(d.opens.when, str):
            first = d.opens.turn or 1
            yield Condition(
                ("disagreements", did, "opens", "when"), d.opens.when, True,
                f"disagreement '{did}' never opens", left_out, OPEN(did),
                (first, max(first, min(d.deadline, last))),
            )  # fmt: skip
        # An agreement's conditions, read at resolution from the turn after agreement.
        holding: list[tuple[Path, Any]] = [(("disagreements", did, "holds_while"), d.holds_while)]
        holding += [
            (("disagreements", did, "preferences", p, "holds_while"), pref.holds_while)
            for p, pref in d.preferences.items()
        ]
        for path, source in holding:
            if isinstance(source, str):
                yield Condition(
                    path, source, False,
                    f"an agreement on '{did}' breaks at the first resolution after it is made",
                    "the agreement never breaks; it can be left out",
                )  # fmt: skip
    for r, rule in enumerate(m.rules):
        if isinstance(rule.when, str):
            yield Condition(
                ("rules", r, "when"), rule.when, False, f"rule '{rule.label}' never applies",
                left_out,
            )  # fmt: skip
    for eid, ending in m.endings.items():
        if isinstance(ending.when, str):
            each = ending.check == "each_turn"
            yield Condition(
                ("endings", eid, "when"), ending.when, True, f"ending '{eid}' is never reached",
                "every game ends after the first turn" if each else None,
                turn=None if each else (last, last),
            )  # fmt: skip
    for i, lesson in enumerate(m.lessons):
        if isinstance(lesson.when, str):
            yield Condition(
                ("lessons", i, "when"), lesson.when, True, "this lesson is never shown",
                "this lesson is shown after every game",  # (a game may end before the last turn)
            )  # fmt: skip
    for path, effect in all_effects(m):
        if isinstance(effect.when, str):
            yield Condition(
                (*path, "when"), effect.when, False, "this effect never applies", left_out
            )


# ---- the bounds of every name ---------------------------------------------------------------


def name_bounds(s: Scenario, settled: bool) -> dict[str, Value]:
    """The bounds of every name a condition may read. Metrics and trust are brought within
    their limits at the end of resolution only: read during it (`settled` false), they have
    none."""
    m = s.model
    last = float(m.turns)
    out: dict[str, Value] = {"turn": Num(1, last), "turns": Num(last, last)}
    for mid, metric in m.metrics.items():
        out[mid] = Num(float(metric.min), float(metric.max)) if settled else ANY_NUM
    for sid, st in m.stakeholders.items():
        out[TRUST(sid)] = Num(0, 100) if settled else ANY_NUM
        # A partner without withdraws_below never leaves.
        out[WITHDRAWN(sid)] = FALSE if st.withdraws_below is None else ANY_TRUTH
    for rid, res in m.resources.items():
        top = float(res.max) if res.max is not None else float(LARGEST)
        out[RES(rid)] = Num(0, top)
        out[INCOME(rid)] = Num(0, float(LARGEST))
    for lid, line in s.lines.items():
        for rid in line.accepts:
            stock = m.resources.get(rid)
            top = float(stock.max) if stock is not None and stock.max is not None else LARGEST
            out[ALLOC(lid, rid)] = Num(0, top)
    for name, kind in s.names.items():
        if family_of(name) in (ACTIVE_TURNS, OPEN_TURNS, AGREED_TURN):
            out[name] = Num(0, last)
        elif kind.name == "BOOL" and name not in out:
            out[name] = ANY_TRUTH
    for did, d in s.disagreements.items():
        if not d.breakable:  # an agreement without a condition never breaks
            out[BROKEN(did)] = FALSE
    for flag in s.flags:
        out[FLAG(flag)] = ANY_NUM
    return out


def _flag_bounds(m: ScenarioModel, names: dict[str, Value], metrics: Mapping[str, Num]) -> None:
    """What its effects can make of each flag, from 0 at the start."""
    found: dict[str, Num] = {}
    for _, e in all_effects(m):
        if e.flag is None:
            continue
        source = e.add if e.add is not None else e.set
        value = _bounds_of(source, names, metrics, m.turns)
        amount = value if isinstance(value, Num) else ANY_NUM
        now = found.get(e.flag, Num(0, 0))
        if e.set is not None:
            now = Num(min(now.lo, amount.lo), max(now.hi, amount.hi))
        else:  # added any number of times
            now = Num(-INF if amount.lo < 0 else now.lo, INF if amount.hi > 0 else now.hi)
        found[e.flag] = now
    for flag, bounds in found.items():
        names[FLAG(flag)] = bounds


def _bounds_of(
    source: Any, names: Mapping[str, Value], metrics: Mapping[str, Num], turns: int
) -> Value:
    if isinstance(source, bool):
        return TRUE if source else FALSE
    if isinstance(source, int | float):
        return Num(float(source), float(source))
    tree = _parse(str(source))
    return ANY_NUM if tree is None else Bounds(names, metrics, turns).of(tree.body)


def _parse(source: str) -> ast.Expression | None:
    try:
        return parse_quietly(source.replace("\r", " ").replace("\n", " ").strip())
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


# ---- the warnings ---------------------------------------------------------------------------


def reach_warnings(s: Scenario, positions: Positions, text: str, file: str) -> list[Problem]:
    """A warning for each condition decided by the bounds alone, at the comparison that
    decides it, with what therefore never happens."""
    m = s.model
    lines = text.splitlines()
    metrics = {mid: Num(float(mt.min), float(mt.max)) for mid, mt in m.metrics.items()}
    impossible: set[str] = set()
    for eid, ev in m.events.items():  # what the builder already says never fires
        if ev.chance == 0 or (ev.turn is not None and ev.turn > m.turns):
            impossible.add(FIRED(eid))
            impossible.update(CHOSE(eid, cid) for cid in ev.choices)
    found: dict[Path, Problem] = {}
    for _ in range(ROUNDS):
        tables = {settled: name_bounds(s, settled) for settled in (True, False)}
        for table in tables.values():
            _flag_bounds(m, table, metrics)
            for name in impossible:
                table[name] = FALSE
        before = len(impossible)
        for c in conditions(m):
            names = dict(tables[c.settled])
            if c.turn is not None:
                names["turn"] = Num(float(c.turn[0]), float(c.turn[1]))
            problem = _judge(c, names, metrics, m.turns, positions, lines, file)
            if problem is None:
                continue
            found[c.path] = problem
            if problem.message.endswith(c.never) and c.fact is not None:
                impossible.add(c.fact)
                family, ident = family_of(c.fact), c.fact.partition(".")[2]
                if family is FIRED:  # no fired event, no choice taken
                    impossible.update(CHOSE(ident, cid) for cid in m.events[ident].choices)
                if family is OPEN:  # never open, never agreed, failed nor broken
                    did = ident
                    impossible.update({AGREED(did), FAILED(did), BROKEN(did)})
                    issues = m.disagreements[did].issues.items()
                    impossible.update(CHOSE(did, i, o) for i, it in issues for o in it.options)
        if len(impossible) == before:
            break
    return list(found.values())


def _judge(
    c: Condition,
    names: Mapping[str, Value],
    metrics: Mapping[str, Num],
    turns: int,
    positions: Positions,
    lines: Sequence[str],
    file: str,
) -> Problem | None:
    tree = _parse(c.source)
    if tree is None or isinstance(tree.body, ast.Constant) or _literal(tree.body):
        return None  # a written true/false is meant; the builder speaks of it
    walker = Bounds(names, metrics, turns)
    value = walker.of(tree.body)
    decided = value.decided if isinstance(value, Truth) else None
    if decided is None or (decided and c.always is None):
        return None
    reason = walker.decisive(tree.body, decided)
    snippet = ast.get_source_segment(_flat(c.source), reason) or c.source.strip()
    why = _why(reason, names, metrics)
    where = ".".join(str(p) for p in c.path)
    if decided:
        message = f"{where}: '{snippet}' always holds{why}, so {c.always}"
    else:
        message = f"{where}: '{snippet}' can never hold{why}, so {c.never}"
    mark = positions.value(c.path)
    if positions.exact(c.path):
        flat = _flat(c.source)
        start = len(flat) - len(flat.lstrip())
        offset = start + _chars(flat.strip(), getattr(reason, "col_offset", 0))
        mark = locate_in_scalar(lines, mark, c.source, offset)
    return Problem(file, mark.line, mark.col, "warning", message)


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in ("true", "false")


def _flat(source: str) -> str:
    return source.replace("\r", " ").replace("\n", " ")


def _chars(text: str, byte_offset: int) -> int:
    """ast counts columns in UTF-8 bytes; the text's own characters are wanted."""
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))


def _why(node: ast.AST, names: Mapping[str, Value], metrics: Mapping[str, Num]) -> str:
    """The bounds of the names in the deciding comparison, in words."""
    said = []
    seen: set[str] = set()
    for sub in ast.walk(node):
        name = _dotted(sub) if isinstance(sub, ast.Attribute) else (
            sub.id if isinstance(sub, ast.Name) else ""
        )  # fmt: skip
        if not name or name in seen or name in ("true", "false"):
            continue
        seen.add(name)
        bounds = names.get(name)
        if isinstance(bounds, Num) and (bounds.lo > -INF or bounds.hi < INF):
            said.append(f"{name} is {_range(bounds)}")
        elif isinstance(bounds, Truth) and bounds.decided is False:
            said.append(f"{name} is always false")
        elif name in metrics and isinstance(sub, ast.Name) and bounds is None:
            said.append(f"{name} is {_range(metrics[name])}")
    return f" ({'; '.join(said)})" if said else ""


def _range(n: Num) -> str:
    if n.point:
        return f"always {_g(n.lo)}"
    if n.lo == -INF:
        return f"at most {_g(n.hi)}"
    if n.hi == INF:
        return f"at least {_g(n.lo)}"
    return f"between {_g(n.lo)} and {_g(n.hi)}"


def _g(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else "10^15"
