"""Compile instructor-written scenario expressions, once at load time, into safe fast closures."""

from __future__ import annotations

import ast
import enum
import math
import operator
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.scenario.hints import did_you_mean

Env = dict[str, Any]
Fn = Callable[[Env], Any]
# Two entries of an environment that are not names: where a guard reports a problem it met
# (a list of messages), and each metric's history for `mean`, `final`, ... (score and lessons).
WARNINGS = "__warn__"
HISTORY = "__hist__"


class ExprType(enum.Enum):
    """The type of an expression or of a name it may use."""

    NUM = "number"
    BOOL = "boolean"
    STR = "string"


class ExprError(Exception):
    """An expression that cannot be compiled; message is one clear sentence for an instructor."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Compiled:
    """A compiled expression; ``fn(env)`` evaluates it and never raises for numeric values."""

    source: str
    type: ExprType
    fn: Fn
    names: frozenset[str]
    constant: Any | None
    is_constant: bool
    # The same function without the outer guard, for callers that guard it themselves in a
    # hot loop (the engine's effect runners); it may raise ArithmeticError or return inf/nan.
    raw: Fn | None = None
    failed: str = ""  # the warning the guard gives when the whole expression fails


NUM, BOOL, STR = ExprType.NUM, ExprType.BOOL, ExprType.STR
_KIND = {NUM: "a number", BOOL: "a true/false value", STR: "a string"}
_KINDS = {NUM: "numbers", BOOL: "true/false values", STR: "strings"}
_WANTED = {NUM: "a number", BOOL: "a true/false condition", STR: "a string"}
_LITERALS = {"true": True, "false": False}
_MAX_LITERAL = 10**15  # instructors never need more; keeps int arithmetic small
FLOAT_MAX = 1.7976931348623157e308  # sys.float_info.max (the core imports no sys)
_MAX_CONSTANT = 1e300  # a folded constant beyond this would overflow at the first float op
_MAX_EXPONENT = 100
_ROUND_DIGITS = 30
_ARITY: dict[str, tuple[int, int]] = {
    "abs": (1, 1), "sqrt": (1, 1), "log": (1, 1), "exp": (1, 1), "floor": (1, 1),
    "ceil": (1, 1), "round": (1, 2), "clamp": (3, 3), "min": (2, 99), "max": (2, 99),
}  # fmt: skip
_HISTORY_ONLY = ("mean", "final", "turns_above")
_MATH: dict[str, Callable[[Any], Any]] = {
    "abs": abs, "sqrt": math.sqrt, "log": math.log, "exp": math.exp, "floor": math.floor,
    "ceil": math.ceil, "round": round,
}  # fmt: skip
_PROBLEM = {
    "sqrt": "square root of a negative number in '{}'",
    "log": "logarithm of a number that is not positive in '{}'",
}
_REDUCE: dict[str, Callable[[Sequence[Any]], Any]] = {
    "mean": lambda h: sum(h) / len(h), "final": lambda h: h[-1], "min": min, "max": max,
}  # fmt: skip
_REFUSED: dict[type[ast.AST], str] = {
    ast.Lambda: "a lambda", ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension", ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression", ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string", ast.NamedExpr: "':=' assignment",
    ast.Starred: "'*' unpacking", ast.List: "a list", ast.Tuple: "a tuple", ast.Set: "a set",
    ast.Dict: "a dict", ast.Slice: "a slice", ast.Await: "'await'", ast.Yield: "'yield'",
    ast.YieldFrom: "'yield from'",
    ast.BitXor: "'^'; use '**' for powers", ast.BitAnd: "'&'; use 'and'",
    ast.BitOr: "'|'; use 'or'", ast.Invert: "'~'", ast.LShift: "'<<'", ast.RShift: "'>>'",
    ast.MatMult: "'@'", ast.Is: "'is'; use '=='", ast.IsNot: "'is not'; use '!='",
    ast.In: "'in'", ast.NotIn: "'not in'",
}  # fmt: skip
_SYMBOL: dict[type[ast.AST], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
    ast.NotEq: "!=", ast.And: "and", ast.Or: "or", ast.Not: "not", ast.USub: "-", ast.UAdd: "+",
}  # fmt: skip
_COMPARE: dict[type[ast.AST], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne,
}  # fmt: skip
_DIVIDE: dict[type[ast.AST], Callable[[Any, Any], Any]] = {
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
}  # fmt: skip

_Maker = Callable[[Any, Any], Fn]
# Operators that cannot raise on ordinary numbers, each as (both computed, right constant,
# left constant): inlining a constant saves one Python call per evaluation.
_PLAIN: dict[type[ast.AST], tuple[_Maker, _Maker, _Maker]] = {
    ast.Add: (lambda a, b: lambda e: a(e) + b(e), lambda a, c: lambda e: a(e) + c,
              lambda c, b: lambda e: c + b(e)),
    ast.Sub: (lambda a, b: lambda e: a(e) - b(e), lambda a, c: lambda e: a(e) - c,
              lambda c, b: lambda e: c - b(e)),
    ast.Mult: (lambda a, b: lambda e: a(e) * b(e), lambda a, c: lambda e: a(e) * c,
               lambda c, b: lambda e: c * b(e)),
    ast.Lt: (lambda a, b: lambda e: a(e) < b(e), lambda a, c: lambda e: a(e) < c,
             lambda c, b: lambda e: c < b(e)),
    ast.LtE: (lambda a, b: lambda e: a(e) <= b(e), lambda a, c: lambda e: a(e) <= c,
              lambda c, b: lambda e: c <= b(e)),
    ast.Gt: (lambda a, b: lambda e: a(e) > b(e), lambda a, c: lambda e: a(e) > c,
             lambda c, b: lambda e: c > b(e)),
    ast.GtE: (lambda a, b: lambda e: a(e) >= b(e), lambda a, c: lambda e: a(e) >= c,
              lambda c, b: lambda e: c >= b(e)),
    ast.Eq: (lambda a, b: lambda e: a(e) == b(e), lambda a, c: lambda e: a(e) == c,
             lambda c, b: lambda e: c == b(e)),
    ast.NotEq: (lambda a, b: lambda e: a(e) != b(e), lambda a, c: lambda e: a(e) != c,
                lambda c, b: lambda e: c != b(e)),
}  # fmt: skip
# The same operators with a name on one side (or both): e[k] inline saves another call.
_NAMED: dict[type[ast.AST], tuple[_Maker, _Maker, _Maker]] = {
    ast.Add: (lambda k, c: lambda e: e[k] + c, lambda c, k: lambda e: c + e[k],
              lambda k, j: lambda e: e[k] + e[j]),
    ast.Sub: (lambda k, c: lambda e: e[k] - c, lambda c, k: lambda e: c - e[k],
              lambda k, j: lambda e: e[k] - e[j]),
    ast.Mult: (lambda k, c: lambda e: e[k] * c, lambda c, k: lambda e: c * e[k],
               lambda k, j: lambda e: e[k] * e[j]),
    ast.Lt: (lambda k, c: lambda e: e[k] < c, lambda c, k: lambda e: c < e[k],
             lambda k, j: lambda e: e[k] < e[j]),
    ast.LtE: (lambda k, c: lambda e: e[k] <= c, lambda c, k: lambda e: c <= e[k],
              lambda k, j: lambda e: e[k] <= e[j]),
    ast.Gt: (lambda k, c: lambda e: e[k] > c, lambda c, k: lambda e: c > e[k],
             lambda k, j: lambda e: e[k] > e[j]),
    ast.GtE: (lambda k, c: lambda e: e[k] >= c, lambda c, k: lambda e: c >= e[k],
              lambda k, j: lambda e: e[k] >= e[j]),
    ast.Eq: (lambda k, c: lambda e: e[k] == c, lambda c, k: lambda e: c == e[k],
             lambda k, j: lambda e: e[k] == e[j]),
    ast.NotEq: (lambda k, c: lambda e: e[k] != c, lambda c, k: lambda e: c != e[k],
                lambda k, j: lambda e: e[k] != e[j]),
}  # fmt: skip
_LOGIC: dict[type[ast.AST], _Maker] = {
    ast.And: lambda a, b: lambda e: a(e) and b(e), ast.Or: lambda a, b: lambda e: a(e) or b(e),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Part:
    """A compiled sub-expression."""

    type: ExprType
    fn: Fn
    names: frozenset[str] = frozenset()
    const: bool = False
    value: Any = None
    key: str | None = None  # the name, when the part is just a name
    # Cannot raise, whatever the values: constants, names, comparisons of those, and logic
    # over such comparisons (arithmetic can: a huge whole number mixed with a fraction).
    safe: bool = False


def _warn(env: Env, message: str) -> int:
    sink = env.get(WARNINGS)
    if isinstance(sink, list):
        sink.append(message)
    return 0


def _constant(value: Any, type_: ExprType) -> _Part:
    return _Part(type_, lambda env: value, const=True, value=value, safe=True)


def _snippet(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _series(env: Env, metric: str) -> Sequence[Any]:
    history = env.get(HISTORY)
    return history.get(metric, ()) if history else ()


# Operators from other languages or from habit, and what to write instead.
_SLIPS = (
    ("=<", "'=<' is not an operator; use '<='"),
    ("=>", "'=>' is not an operator; use '>='"),
    ("&&", "'&&' is not an operator; use 'and'"),
    ("||", "'||' is not an operator; use 'or'"),
    ("<>", "'<>' is not an operator; use '!='"),
)
_WORD_SLIPS = {"AND": "and", "OR": "or", "NOT": "not"}


def _slip(text: str) -> tuple[str, int] | None:
    """A common operator slip outside quotes, with what to write instead, and where."""
    if text.rstrip().endswith("%"):
        where = len(text.rstrip()) - 1
        return "'%' is the remainder operator; write a percentage as a plain number", where
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
            continue
        if ch in "'\"":
            quote = ch
            continue
        for wrong, message in _SLIPS:
            if text.startswith(wrong, i):
                return message, i
        if ch == "!" and text[i + 1 : i + 2] != "=":
            return "'!' is not an operator; use 'not' (or '!=' to compare)", i
        if ch.isalpha() and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "._")):
            word = re.match(r"[A-Za-z_][A-Za-z0-9_.]*", text[i:])
            if word and word.group() in _WORD_SLIPS:
                right = _WORD_SLIPS[word.group()]
                return f"'{word.group()}' is written in lowercase: '{right}'", i
    return None


def _lone_equals(text: str) -> int | None:
    """Where a single '=' (not part of ==, <=, >=, !=, :=) sits outside quotes, if anywhere."""
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
        elif ch in "'\"":
            quote = ch
        elif (
            ch == "="
            and text[i - 1 : i] not in ("=", "!", "<", ">", ":")
            and text[i + 1 : i + 2] != "="
        ):
            return i
    return None


def _check_number(value: int | float, offset: int = 0) -> None:
    if not abs(value) <= _MAX_LITERAL:  # also refuses nan and inf
        shown = repr(value) if isinstance(value, float) or abs(value) < 10**24 else "given"
        raise ExprError(f"the number {shown} is too large (at most {_MAX_LITERAL:.0e})", offset)


def _guarded(fn: Fn, type_: ExprType, source: str) -> Fn:
    """Wrap the whole expression so no numeric input can make it raise or yield inf/nan."""
    failed = f"'{_snippet(source)}' could not be computed; used 0"
    if type_ is not NUM:
        failed = failed.replace("used 0", "used false")

        def condition(env: Env) -> Any:
            try:
                return fn(env)
            except (ArithmeticError, ValueError):  # only huge ints mixed with floats get here
                _warn(env, failed)
                return False

        return condition

    def number(env: Env) -> Any:
        try:
            value = fn(env)
        except (ArithmeticError, ValueError):
            return _warn(env, failed)
        # value - value is 0 for every finite number and nan for inf and nan; a whole number
        # past the largest float (20 * floor(exp(709))) would overflow wherever it is used.
        return (
            value if value - value == 0 and -FLOAT_MAX <= value <= FLOAT_MAX else _warn(env, failed)
        )

    return number


class _Compiler:
    """Walks one parsed expression, checking types and building closures."""

    def __init__(
        self,
        text: str,
        shift: int,
        names: Mapping[str, ExprType],
        history: frozenset[str] | None,
        canonical: Mapping[str, str] | None = None,
    ) -> None:
        self.encoded, self.shift, self.names, self.history = text.encode(), shift, names, history
        self.canonical = canonical or {}

    def at(self, node: ast.AST) -> int:
        col = getattr(node, "col_offset", 0)  # a byte offset; instructors count characters
        return len(self.encoded[:col].decode(errors="ignore")) + self.shift

    def error(self, message: str, node: ast.AST) -> ExprError:
        return ExprError(message, self.at(node))

    def refuse(self, found: type[ast.AST], node: ast.AST) -> ExprError:
        what, _, hint = _REFUSED.get(found, f"'{found.__name__}'").partition("; ")
        return self.error(
            f"{what} is not allowed in an expression{'; ' if hint else ''}{hint}", node
        )

    def where(self, node: ast.AST) -> str:
        # The text is one line (see _parse), so byte offsets index it directly; this is
        # much faster than ast.get_source_segment, which re-splits the text each call.
        start, end = getattr(node, "col_offset", 0), getattr(node, "end_col_offset", None)
        return _snippet(self.encoded[start:end].decode(errors="replace"))

    def need(self, part: _Part, type_: ExprType, what: str, node: ast.AST) -> None:
        if part.type is not type_:
            raise self.error(f"{what} needs {_KINDS[type_]}, got {_KIND[part.type]}", node)

    def visit(self, node: ast.AST) -> _Part:
        handler = getattr(self, f"_visit_{type(node).__name__}", None)
        if handler is None:
            if isinstance(node, ast.Subscript):
                message = "subscripts such as trust['un'] are not allowed; write trust.un"
                raise self.error(message, node)
            raise self.refuse(type(node), node)
        part: _Part = handler(node)
        return part if part.const or part.names else self.fold(part, node)

    def fold(self, part: _Part, node: ast.AST) -> _Part:
        """Compute a name-free sub-expression now; a problem in it is a load error."""
        sink: list[str] = []
        try:
            value = part.fn({WARNINGS: sink})
        except (ArithmeticError, ValueError):
            sink.append(f"'{self.where(node)}' cannot be computed")
        if not sink and part.type is NUM and not abs(value) <= _MAX_CONSTANT:
            sink.append(f"'{self.where(node)}' is too large a number")
        if sink:
            raise self.error(sink[0].removesuffix("; used 0"), node)
        return _constant(value, part.type)

    def _visit_Constant(self, node: ast.Constant) -> _Part:
        value = node.value
        if isinstance(value, bool):
            return _constant(value, BOOL)
        if isinstance(value, int | float):
            _check_number(value, self.at(node))
            return _constant(value, NUM)
        if isinstance(value, str):
            return _constant(value, STR)
        raise self.error(f"{_snippet(repr(value))} is not allowed in an expression", node)

    def _visit_Name(self, node: ast.Name) -> _Part:
        if node.id in _LITERALS:
            return _constant(_LITERALS[node.id], BOOL)
        return self.lookup(node.id, node)

    def _visit_Attribute(self, node: ast.Attribute) -> _Part:
        # A dotted name such as alloc.security.troops is one name, never attribute access.
        parts, base = [node.attr], node.value
        while isinstance(base, ast.Attribute):
            parts.append(base.attr)
            base = base.value
        if not isinstance(base, ast.Name):
            raise self.error(f"attribute access ('.{node.attr}') is not allowed", node)
        return self.lookup(".".join([base.id, *reversed(parts)]), node)

    def lookup(self, name: str, node: ast.AST) -> _Part:
        if "__" in name or any(part.startswith("_") for part in name.split(".")):
            raise self.error(f"the name '{name}' is not allowed (no '_' start or '__')", node)
        type_ = self.names.get(name)
        if type_ is None:
            if name in _ARITY or name in _HISTORY_ONLY:
                raise self.error(f"'{name}' is a function; call it like {name}(x)", node)
            # A partner's or a resource's bare id: the name that reads it has a prefix.
            prefixed = [f"{p}.{name}" for p in ("trust", "res") if f"{p}.{name}" in self.names]
            close = f" (did you mean '{prefixed[0]}'?)" if prefixed else ""
            hint = close or did_you_mean(name, self.names)
            raise self.error(f"unknown name '{name}'{hint}", node)
        # The one string object the game's values are keyed by: a lookup by the same object
        # skips comparing the text.
        name = self.canonical.get(name, name)
        return _Part(type_, operator.itemgetter(name), frozenset({name}), key=name, safe=True)

    def _visit_UnaryOp(self, node: ast.UnaryOp) -> _Part:
        if type(node.op) not in _SYMBOL:
            raise self.refuse(type(node.op), node)
        operand, symbol = self.visit(node.operand), _SYMBOL[type(node.op)]
        a = operand.fn
        if isinstance(node.op, ast.Not):
            self.need(operand, BOOL, "'not'", node.operand)
            return _Part(BOOL, lambda e: not a(e), operand.names, safe=operand.safe)
        self.need(operand, NUM, f"'{symbol}'", node.operand)
        fn = a if isinstance(node.op, ast.UAdd) else (lambda e: -a(e))
        return _Part(NUM, fn, operand.names)

    def _visit_BinOp(self, node: ast.BinOp) -> _Part:
        op = type(node.op)
        if op not in _SYMBOL:
            raise self.refuse(op, node)
        left, right = self.visit(node.left), self.visit(node.right)
        self.need(left, NUM, f"'{_SYMBOL[op]}'", node.left)
        self.need(right, NUM, f"'{_SYMBOL[op]}'", node.right)
        names, where = left.names | right.names, self.where(node)
        if op in _PLAIN:
            return _Part(NUM, self.pair(op, left, right), names)
        if op in _DIVIDE:
            return _Part(NUM, _divide(_DIVIDE[op], left.fn, right.fn, where), names)
        if right.const and not abs(right.value) <= _MAX_EXPONENT:
            raise self.error(f"the exponent in '{where}' is above {_MAX_EXPONENT}", node.right)
        return _Part(NUM, _power(left.fn, right.fn, where), names)

    def pair(self, op: type[ast.AST], left: _Part, right: _Part) -> Fn:
        named = _NAMED[op]
        if left.key is not None:
            if right.const:
                return named[0](left.key, right.value)
            if right.key is not None:
                return named[2](left.key, right.key)
        if left.const and right.key is not None:
            return named[1](left.value, right.key)
        both, right_const, left_const = _PLAIN[op]
        if right.const:
            return right_const(left.fn, right.value)
        return left_const(left.value, right.fn) if left.const else both(left.fn, right.fn)

    def _visit_BoolOp(self, node: ast.BoolOp) -> _Part:
        word = _SYMBOL[type(node.op)]
        parts = [self.visit(value) for value in node.values]
        for part, value in zip(parts, node.values, strict=True):
            self.need(part, BOOL, f"'{word}'", value)
        fn = parts[-1].fn
        for part in reversed(parts[:-1]):  # a and b and c == a and (b and c)
            fn = _LOGIC[type(node.op)](part.fn, fn)
        names = frozenset().union(*(p.names for p in parts))
        return _Part(BOOL, fn, names, safe=all(p.safe for p in parts))

    def _visit_Compare(self, node: ast.Compare) -> _Part:
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise self.refuse(type(op), node)
        operands = [node.left, *node.comparators]
        parts = [self.visit(operand) for operand in operands]
        for op, left, right, where in zip(node.ops, parts, parts[1:], operands[1:], strict=False):
            symbol = _SYMBOL[type(op)]
            if isinstance(op, ast.Eq | ast.NotEq):
                if left.type is not right.type:
                    message = f"'{symbol}' compares {_KIND[left.type]} with {_KIND[right.type]}"
                    raise self.error(message, where)
            else:
                self.need(left, NUM, f"'{symbol}'", where)
                self.need(right, NUM, f"'{symbol}'", where)
        names = frozenset().union(*(p.names for p in parts))
        safe = all(p.const or p.key is not None for p in parts)
        if len(parts) == 2:
            fn = self.pair(type(node.ops[0]), parts[0], parts[1])
            return _Part(BOOL, fn, names, safe=safe)
        steps = [(_COMPARE[type(op)], p.fn) for op, p in zip(node.ops, parts[1:], strict=True)]
        return _Part(BOOL, _chain(parts[0].fn, steps), names, safe=safe)

    def _visit_IfExp(self, node: ast.IfExp) -> _Part:
        test, body, orelse = self.visit(node.test), self.visit(node.body), self.visit(node.orelse)
        self.need(test, BOOL, "the condition of 'if ... else'", node.test)
        if body.type is not orelse.type:
            raise self.error(
                "both branches of 'if ... else' must have the same type, got "
                f"{_KIND[body.type]} and {_KIND[orelse.type]}",
                node,
            )
        c, a, b = test.fn, body.fn, orelse.fn
        names, safe = (
            test.names | body.names | orelse.names,
            test.safe and body.safe and orelse.safe,
        )
        return _Part(body.type, lambda e: a(e) if c(e) else b(e), names, safe=safe)

    def _visit_Call(self, node: ast.Call) -> _Part:
        if not isinstance(node.func, ast.Name):
            raise self.error("only the built-in functions such as sqrt(x) can be called", node)
        name, args = node.func.id, node.args
        if node.keywords:
            raise self.error(f"keyword arguments are not allowed (in {name}())", node.keywords[0])
        for arg in args:
            if isinstance(arg, ast.Starred):
                self.visit(arg)
        if self.history is not None and (
            name in _HISTORY_ONLY or (name in ("min", "max") and len(args) == 1)
        ):
            return self.history_call(name, node)
        if name in _HISTORY_ONLY:
            raise self.error(f"{name}() is only allowed in score and lessons", node)
        if name not in _ARITY:
            hint = did_you_mean(name, [*_ARITY, *_HISTORY_ONLY])
            raise self.error(f"unknown function '{name}'{hint}", node)
        low, high = _ARITY[name]
        if not low <= len(args) <= high:
            count = (
                str(low) if low == high else f"{low} to {high}" if high < 99 else f"{low} or more"
            )
            raise self.error(f"{name}() takes {count} arguments, got {len(args)}", node)
        parts = [self.visit(arg) for arg in args]
        for part, arg in zip(parts, args, strict=True):
            self.need(part, NUM, f"{name}()", arg)
        names = frozenset().union(*(p.names for p in parts))
        return _Part(NUM, _function(name, parts, self.where(node)), names)

    def history_call(self, name: str, node: ast.Call) -> _Part:
        """mean(m), final(m), min(m), max(m), turns_above(m, x) over a metric's history."""
        count = 2 if name == "turns_above" else 1
        usage = f"{name}(metric, x)" if count == 2 else f"{name}(metric)"
        if len(node.args) != count:
            raise self.error(f"{name}() takes a metric name, written {usage}", node)
        arg = node.args[0]
        metric = self.visit(arg) if isinstance(arg, ast.Name | ast.Attribute) else None
        assert self.history is not None
        key = next(iter(metric.names), "") if metric else ""
        if key not in self.history:
            raise self.error(f"{name}() needs a metric name, written {usage}", arg)
        if name == "turns_above":
            limit = self.visit(node.args[1])
            self.need(limit, NUM, "turns_above()", node.args[1])
            return _Part(NUM, _turns_above(key, limit.fn), limit.names | {key})
        reduce = _REDUCE[name]
        # Before the first turn ends there is no history: use the metric's current value.
        return _Part(
            NUM, lambda e: reduce(h) if (h := _series(e, key)) else e[key], frozenset({key})
        )


def _chain(first: Fn, steps: list[tuple[Callable[[Any, Any], bool], Fn]]) -> Fn:
    def chain(env: Env) -> bool:
        left = first(env)
        for compare, fn in steps:
            right = fn(env)  # each middle operand is computed once, as in Python
            if not compare(left, right):
                return False
            left = right
        return True

    return chain


def _divide(op: Callable[[Any, Any], Any], a: Fn, b: Fn, where: str) -> Fn:
    zero, bad = f"division by zero in '{where}'; used 0", f"'{where}' is not finite; used 0"

    def divide(env: Env) -> Any:
        d = b(env)
        if not d:
            return _warn(env, zero)
        try:
            q = op(a(env), d)
        except ArithmeticError:  # int / int too large for a float
            return _warn(env, bad)
        return q if q - q == 0 else _warn(env, bad)

    return divide


def _power(a: Fn, b: Fn, where: str) -> Fn:
    bad = f"'{where}' is out of range (exponent above {_MAX_EXPONENT}, or no real value); used 0"

    def power(env: Env) -> Any:
        # math.pow works in floats: never a huge int, never a complex number.
        try:
            x = b(env)
            if -_MAX_EXPONENT <= x <= _MAX_EXPONENT:
                p = math.pow(a(env), x)
                if p - p == 0:
                    return p
        except (ArithmeticError, ValueError):
            pass
        return _warn(env, bad)

    return power


def _turns_above(metric: str, limit: Fn) -> Fn:
    def turns_above(env: Env) -> int:
        x = limit(env)
        return sum(1 for v in _series(env, metric) if v > x)

    return turns_above


def _function(name: str, parts: list[_Part], where: str) -> Fn:
    """The closure for one call of a built-in (non-history) function."""
    fns = [p.fn for p in parts]
    a = fns[0]
    if name in ("min", "max"):
        pick = min if name == "min" else max
        if len(fns) == 2:
            b = fns[1]
            return lambda e: pick(a(e), b(e))
        return lambda e: pick([f(e) for f in fns])
    if name == "clamp":
        lo, hi = parts[1], parts[2]
        if lo.const and hi.const:
            low, high = lo.value, hi.value
            return lambda e: low if (x := a(e)) < low else high if x > high else x
        return _clamp(a, lo.fn, hi.fn)
    bad = _PROBLEM.get(name, "'{}' is out of range").format(where) + "; used 0"
    one = _MATH[name]
    digits = fns[1] if len(fns) == 2 else None

    def apply(env: Env) -> Any:
        # A try costs nothing in Python 3.11 unless it catches: sqrt and log domain errors,
        # exp overflow, floor or round of inf or nan.
        try:
            if digits is None:
                return one(a(env))
            n = int(digits(env))  # bounded: round(5, -10**15) would build 10**(10**15)
            return round(a(env), max(-_ROUND_DIGITS, min(_ROUND_DIGITS, n)))
        except (ArithmeticError, ValueError):
            return _warn(env, bad)

    return apply


def _clamp(a: Fn, lo: Fn, hi: Fn) -> Fn:
    def clamp(env: Env) -> Any:
        x, low, high = a(env), lo(env), hi(env)
        return low if x < low else high if x > high else x

    return clamp


def parse_quietly(text: str) -> ast.Expression:
    """`ast.parse(text, mode="eval")` without Python's own warnings about the text ("invalid
    decimal literal", "invalid escape sequence"), which it would print to stderr: an
    expression from a scenario is data, and its problems are ours to word."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(text, mode="eval")


def _parse(source: str) -> tuple[ast.Expression, str, int]:
    # YAML block scalars may hold newlines; blanking them keeps every character offset.
    text = source.replace("\r", " ").replace("\n", " ")
    body = text.lstrip()
    shift = len(text) - len(body)
    if not body.strip():
        raise ExprError("the expression is empty")
    try:
        return parse_quietly(body), body, shift
    except SyntaxError as exc:
        slip = _slip(text)
        if slip is not None:
            raise ExprError(*slip) from None
        equals = _lone_equals(text)
        if equals is not None:
            raise ExprError("'=' is assignment; use '==' to compare", equals) from None
        # An offset of 0 means the parser ran out of text: point at the end.
        offset = (exc.offset - 1 + shift) if exc.offset else len(source.rstrip())
        offset = max(0, min(len(source), offset))
        raise ExprError(f"syntax error: {exc.msg}", offset) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("the expression is nested too deeply or malformed") from None


def compile_expr(
    source: str | int | float | bool,
    names: Mapping[str, ExprType],
    *,
    want: ExprType,
    history_metrics: frozenset[str] | None = None,
    max_length: int = 2000,
    max_nodes: int = 200,
    canonical: Mapping[str, str] | None = None,
) -> Compiled:
    """Compile one expression to a closure over an environment dict.

    Raises ExprError for a syntax error, a refused construct, an unknown name, a type error,
    or an expression longer than max_length characters or with more than max_nodes nodes.
    """
    if isinstance(source, bool | int | float):
        type_ = BOOL if isinstance(source, bool) else NUM
        if type_ is NUM:
            _check_number(source)
        part, text = _constant(source, type_), str(source).lower()
    elif isinstance(source, str):
        if len(source) > max_length:
            raise ExprError(
                f"the expression is {len(source)} characters long; the most is {max_length}"
            )
        tree, body, shift = _parse(source)
        count = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
        if count > max_nodes:
            raise ExprError(f"the expression has {count} parts; the most is {max_nodes}")
        try:
            part = _Compiler(body, shift, names, history_metrics, canonical).visit(tree.body)
        except RecursionError:
            raise ExprError("the expression is nested too deeply") from None
        text = source
    else:
        raise ExprError(
            f"an expression must be text, a number or true/false, not {type(source).__name__}"
        )
    if part.type is not want:
        raise ExprError(f"expected {_WANTED[want]}, got {_KIND[part.type]}")
    # A condition that cannot raise, or a bare name, needs no guard around it.
    unguarded = part.const or part.key is not None or (part.safe and part.type is BOOL)
    fn = part.fn if unguarded else _guarded(part.fn, part.type, text)
    failed = f"'{_snippet(text)}' could not be computed; used 0"
    value = part.value if part.const else None
    return Compiled(text, part.type, fn, part.names, value, part.const, part.fn, failed)
