"""Effects turned into small specialised functions, built once per scenario.

The hot loop of a turn applies a few dozen effects; a function per effect, with its keys,
cause and line bound in advance, avoids re-reading the effect's fields every time. The
commonest shapes (a constant added to a metric or a trust value, no condition) get their own
function, and the blocks of a turn (a strategy's monthly effects when it is active, a rule's
effects when its condition holds) are functions too, so a turn is one flat list of calls.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from game.engine.report import Change
from game.scenario.compiled import CEffect
from game.scenario.expr import Fn

CACHE_LIMIT = 4096  # amounts kept per effect: enough for any game, small for any playtest

_new = tuple.__new__  # builds a Change without the NamedTuple's Python-level __new__

# run(v, ledger, owner, resolution). Runners are shared by copies of a game, so nothing in
# them is bound to one game: the game is passed in.
Runner = Callable[[dict[str, Any], list[Change], Any, bool], None]


def runner(
    e: CEffect,
    stakeholders: tuple[str, ...],
    parties: tuple[str, ...],
    discrete: frozenset[str] = frozenset(),
) -> Runner:
    """A function applying `e`; metric and trust effects are inlined, others go to the owner.
    `stakeholders` is what `trust: all` means, `parties` what `trust: parties` means here.
    `discrete` holds the names whose values are few (whole numbers, true/false): an amount
    computed only from them is kept, per effect, for the next time they are the same."""
    memo = not e.value.is_constant and e.value.names <= discrete
    if e.kind == "metric":
        return _metric_memo(e) if memo else _metric(e)
    if e.kind == "trust":
        names = e.ids or (parties if e.scope == "parties" else stakeholders)
        targets = tuple((sid, f"trust.{sid}", f"withdrawn.{sid}") for sid in names)
        return _trust(e, targets, _memo(e) if memo else e.value.fn)
    when, value = (e.when.fn if e.when is not None else None), e.value.fn

    def other(v: dict[str, Any], _l: list[Change], owner: Any, res: bool) -> None:
        if when is not None and not when(v):
            return
        owner._other_effect(e, value(v), parties, res)

    return other


def _metric(e: CEffect) -> Runner:
    when = e.when.fn if e.when is not None else None
    key, cause, line, is_set = e.ids[0], e.cause, e.line, e.op == "set"
    if e.value.is_constant and not is_set and when is None:
        step = e.value.constant

        def metric_add(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
            old = v[key]
            new = old + step
            if new != old:
                v[key] = new
                ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

        return metric_add
    raw = e.value.raw or e.value.fn
    failed = e.value.failed

    def metric(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        if when is not None and not when(v):
            return
        # The expression's own guard, inlined: no input may raise or give inf/nan.
        try:
            amount = raw(v)
        except (ArithmeticError, ValueError):
            amount = 0
            v["__warn__"].append(failed)
        if amount - amount != 0:
            amount = 0
            v["__warn__"].append(failed)
        old = v[key]
        new = amount if is_set else old + amount
        if new != old:
            v[key] = new
            ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

    return metric


def _metric_memo(e: CEffect) -> Runner:
    """A metric effect whose amount depends on discrete names only, kept by their values."""
    when = e.when.fn if e.when is not None else None
    key, cause, line, is_set = e.ids[0], e.cause, e.line, e.op == "set"
    raw, failed = e.value.raw or e.value.fn, e.value.failed
    inputs = operator.itemgetter(*sorted(e.value.names))
    known: dict[Any, Any] = {}

    def metric(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        if when is not None and not when(v):
            return
        seen = inputs(v)
        amount = known.get(seen)
        if amount is None:
            warnings = v["__warn__"]
            count = len(warnings)
            try:
                amount = raw(v)
            except (ArithmeticError, ValueError):
                amount = 0
                warnings.append(failed)
            if amount - amount != 0:
                amount = 0
                warnings.append(failed)
            # A result that gave a warning is not kept: the warning is due every time.
            if len(warnings) == count and len(known) < CACHE_LIMIT:
                known[seen] = amount
        old = v[key]
        new = amount if is_set else old + amount
        if new != old:
            v[key] = new
            ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

    return metric


def _memo(e: CEffect) -> Fn:
    """The effect's guarded amount, kept by the values of its (discrete) names."""
    fn = e.value.fn
    inputs = operator.itemgetter(*sorted(e.value.names))
    known: dict[Any, Any] = {}

    def amount(v: dict[str, Any]) -> Any:
        seen = inputs(v)
        value = known.get(seen)
        if value is None:
            warnings = v["__warn__"]
            count = len(warnings)
            value = fn(v)
            if len(warnings) == count and len(known) < CACHE_LIMIT:
                known[seen] = value
        return value

    return amount


def _trust(e: CEffect, targets: tuple[tuple[str, str, str], ...], value: Fn) -> Runner:
    when = e.when.fn if e.when is not None else None
    cause, line, is_set = e.cause, e.line, e.op == "set"
    if e.value.is_constant and not is_set and when is None:
        step = e.value.constant
        if len(targets) == 1:
            ((sid, key, gone),) = targets

            def trust_add(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
                if not v[gone]:
                    old = v[key]
                    new = old + step
                    if new != old:
                        v[key] = new
                        ledger.append(_new(Change, ("trust", sid, new - old, cause, line, "")))

            return trust_add

        def trust_add_all(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
            for sid, key, gone in targets:
                if not v[gone]:
                    old = v[key]
                    new = old + step
                    if new != old:
                        v[key] = new
                        ledger.append(_new(Change, ("trust", sid, new - old, cause, line, "")))

        return trust_add_all

    def trust(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        if when is not None and not when(v):
            return
        amount = value(v)
        for sid, key, gone in targets:
            if v[gone]:
                continue
            old = v[key]
            new = amount if is_set else old + amount
            if new != old:
                v[key] = new
                ledger.append(_new(Change, ("trust", sid, new - old, cause, line, "")))

    return trust


def if_set(key: str, runners: tuple[Runner, ...]) -> Runner:
    """Run `runners` when the value `key` is true (a strategy active, a disagreement open)."""

    def block(v: dict[str, Any], ledger: list[Change], owner: Any, res: bool) -> None:
        if v[key]:
            for run in runners:
                run(v, ledger, owner, res)

    return block


def if_holds(when: Callable[[dict[str, Any]], Any] | None, runners: tuple[Runner, ...]) -> Runner:
    """Run `runners` when the condition holds (always when there is none): a pressure rule."""

    def block(v: dict[str, Any], ledger: list[Change], owner: Any, res: bool) -> None:
        if when is None or when(v):
            for run in runners:
                run(v, ledger, owner, res)

    return block
