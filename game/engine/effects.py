"""Effects turned into small specialised functions, built once per scenario.

A turn applies a few dozen effects, and on this kind of machine a Python call costs about
as much as the arithmetic of an effect, so the shapes are specialised when the scenario is
first played:

- an effect is a function with its keys, cause and line bound in advance, and the commonest
  shapes (a constant added to a metric or to trust, an amount computed from allocations) get
  functions of their own with no branch for what they are not;
- consecutive constant additions to metrics are one function that loops over them;
- a block (a strategy's monthly effects while it is active, a rule's effects while its
  condition holds, an effect's own `when`) is one function, fused with its effect when it
  has only one;
- an amount computed only from "discrete" names (allocations, stocks, counts, true/false)
  is kept per effect and looked up the next time those names have the same values.

Each function runs as `run(v, ledger, owner, resolution)`; runners are shared by every game of
a scenario (and every copy of a game), so nothing in them is bound to one game. The four lines
that apply an addition and write its ledger line are repeated in each function on purpose: a
shared helper would cost the very call these functions exist to save.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from game.engine.report import Change
from game.scenario.compiled import CEffect
from game.scenario.expr import FLOAT_MAX, Fn

QUEUED = "arrives next turn"
CACHE_LIMIT = 4096  # amounts kept per effect: enough for any game, small for any playtest

_new = tuple.__new__  # builds a Change without the NamedTuple's Python-level __new__

Runner = Callable[[dict[str, Any], list[Change], Any, bool], None]
Condition = Callable[[dict[str, Any]], Any]


def block(
    effects: Sequence[CEffect],
    stakeholders: tuple[str, ...],
    parties: tuple[str, ...] = (),
    discrete: frozenset[str] = frozenset(),
    *,
    when: Condition | None = None,
    flag: str | None = None,
    canonical: Mapping[str, str] | None = None,
) -> tuple[Runner, ...]:
    """The runners applying `effects` in order; with `when` (a condition) or `flag` (a
    true/false name), they run only while it holds, tested once before the first effect.
    `stakeholders` is what `trust: all` means, `parties` what `trust: parties` means.
    `canonical` gives, for a name, the string object the game's values are keyed by."""
    if canonical:
        effects = [_canonical(e, canonical) for e in effects]
    runners: list[Runner] = []
    adds: list[tuple[str, Any, str, int]] = []  # consecutive constant metric additions
    for e in effects:
        if _constant_add(e) and e.kind == "metric":
            adds.append((e.ids[0], e.value.constant, e.cause, e.line))
            continue
        if adds:
            runners.append(_metric_adds(adds))
            adds = []
        runners.append(runner(e, stakeholders, parties, discrete, canonical))
    if adds:
        runners.append(_metric_adds(adds))
    if when is None and flag is None:
        return tuple(runners)
    if not runners:
        return ()
    if len(runners) == 1 and len(effects) == 1 and _constant_add(effects[0]):
        return (_guarded_add(effects[0], runners[0], when, flag),)
    return (_guard(tuple(runners), when, flag),)


def runner(
    e: CEffect,
    stakeholders: tuple[str, ...],
    parties: tuple[str, ...],
    discrete: frozenset[str] = frozenset(),
    canonical: Mapping[str, str] | None = None,
) -> Runner:
    """A function applying `e` alone (its `when` included)."""
    core = _core(e, stakeholders, parties, discrete, canonical or {})
    return core if e.when is None else _guard((core,), e.when.fn, None)


def _constant_add(e: CEffect) -> bool:
    return e.when is None and e.op == "add" and e.value.is_constant and e.kind != "resource"


def _canonical(e: CEffect, canonical: Mapping[str, str]) -> CEffect:
    """`e` with its metric's id as the game's own key object (a lookup by the same object
    skips comparing text)."""
    if e.kind != "metric":
        return e
    return dataclasses.replace(e, ids=tuple(canonical.get(i, i) for i in e.ids))


def _core(
    e: CEffect,
    stakeholders: tuple[str, ...],
    parties: tuple[str, ...],
    discrete: frozenset[str],
    canonical: Mapping[str, str],
) -> Runner:
    """The effect without its `when`."""
    memo = not e.value.is_constant and e.value.names <= discrete
    if e.kind == "metric":
        if e.op == "set":
            return _metric_set(e)
        if e.value.is_constant:
            return _metric_adds([(e.ids[0], e.value.constant, e.cause, e.line)])
        return _metric_memo(e) if memo else _metric(e)
    if e.kind == "trust":
        names = e.ids or (parties if e.scope == "parties" else stakeholders)
        targets = tuple(
            (sid, canonical.get(k, k), canonical.get(g, g))
            for sid in names
            for k, g in ((f"trust.{sid}", f"withdrawn.{sid}"),)
        )
        return _trust_memo(e, targets) if memo else _trust(e, targets, e.value.fn)
    if e.kind == "resource" and e.op == "add" and e.value.is_constant:
        return _resource_add(e)
    value = e.value.fn

    def other(v: dict[str, Any], _l: list[Change], owner: Any, res: bool) -> None:
        owner._other_effect(e, value(v), parties, res)

    return other


def _resource_add(e: CEffect) -> Runner:
    """A constant added to a stock: at once in the decision phase, queued for the next turn's
    income in resolution (the queue entry and its ledger line are the same every time)."""
    assert e.value.constant is not None
    rid, amount = e.ids[0], int(e.value.constant)
    queued = (rid, amount, e.cause, e.line, False)
    noted = Change("resource", rid, amount, e.cause, e.line, QUEUED)

    def resource_add(v: dict[str, Any], ledger: list[Change], owner: Any, res: bool) -> None:
        if res:
            owner._queued.append(queued)
            ledger.append(noted)
        else:
            owner._resource_effect(e, amount, "decision")

    return resource_add


def _metric_adds(adds: list[tuple[str, Any, str, int]]) -> Runner:
    """Constants added to metrics, in order."""
    if len(adds) == 1:
        ((key, step, cause, line),) = adds

        def metric_add(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
            old = v[key]
            new = old + step
            if new != old:
                v[key] = new
                ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

        return metric_add
    steps = tuple(adds)

    def metric_adds(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        for key, step, cause, line in steps:
            old = v[key]
            new = old + step
            if new != old:
                v[key] = new
                ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

    return metric_adds


def _metric(e: CEffect) -> Runner:
    """A computed amount added to a metric."""
    key, cause, line = e.ids[0], e.cause, e.line
    raw = e.value.raw or e.value.fn
    failed = e.value.failed

    def metric(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        # The expression's own guard, inlined: no input may raise or give inf/nan.
        try:
            amount = raw(v)
        except (ArithmeticError, ValueError):
            amount = 0
            v["__warn__"].append(failed)
        if amount - amount != 0 or not -FLOAT_MAX <= amount <= FLOAT_MAX:  # inf, nan, huge int
            amount = 0
            v["__warn__"].append(failed)
        old = v[key]
        new = old + amount
        if new != old:
            v[key] = new
            ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

    return metric


def _metric_set(e: CEffect) -> Runner:
    key, cause, line, value = e.ids[0], e.cause, e.line, e.value.fn

    def metric_set(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        old = v[key]
        new = value(v)
        if new != old:
            v[key] = new
            ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

    return metric_set


def _metric_memo(e: CEffect) -> Runner:
    """A metric addition whose amount depends on discrete names only, kept by their values."""
    key, cause, line = e.ids[0], e.cause, e.line
    amount_of, known, inputs = _kept(e)

    def metric(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        try:
            amount = known[inputs(v)]
        except KeyError:
            amount = amount_of(v)
        if amount:
            old = v[key]
            new = old + amount
            if new != old:
                v[key] = new
                ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

    return metric


def _kept(e: CEffect) -> tuple[Fn, dict[Any, Any], Callable[[dict[str, Any]], Any]]:
    """The effect's guarded amount, kept by the values of its (discrete) names: the function
    working it out (and keeping it), the amounts kept so far by key, and the function giving
    the key (the names' values). A runner reads the kept amounts itself, saving a call."""
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
            # A result that gave a warning is not kept: the warning is due every time.
            if len(warnings) == count and len(known) < CACHE_LIMIT:
                known[seen] = value
        return value

    return amount, known, inputs


def _trust(e: CEffect, targets: tuple[tuple[str, str, str], ...], value: Fn) -> Runner:
    cause, line, is_set = e.cause, e.line, e.op == "set"
    if e.value.is_constant and not is_set:
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


def _trust_memo(e: CEffect, targets: tuple[tuple[str, str, str], ...]) -> Runner:
    """A trust addition whose amount depends on discrete names only, kept by their values."""
    if e.op == "set":
        return _trust(e, targets, _kept(e)[0])
    cause, line = e.cause, e.line
    amount_of, known, inputs = _kept(e)

    def trust(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        try:
            amount = known[inputs(v)]
        except KeyError:
            amount = amount_of(v)
        if amount:
            for sid, key, gone in targets:
                if not v[gone]:
                    old = v[key]
                    new = old + amount
                    if new != old:
                        v[key] = new
                        ledger.append(_new(Change, ("trust", sid, new - old, cause, line, "")))

    return trust


def _guard(runners: tuple[Runner, ...], when: Condition | None, flag: str | None) -> Runner:
    """Run `runners` while the flag is true and the condition holds."""
    if flag is not None and when is not None:
        test = when

        def both(v: dict[str, Any]) -> Any:
            return v[flag] and test(v)

        when = both
    if when is None:
        assert flag is not None
        key = flag

        def if_set(v: dict[str, Any], ledger: list[Change], owner: Any, res: bool) -> None:
            if v[key]:
                for run in runners:
                    run(v, ledger, owner, res)

        return if_set
    holds = when
    if len(runners) == 1:
        (only,) = runners

        def if_holds_one(v: dict[str, Any], ledger: list[Change], owner: Any, res: bool) -> None:
            if holds(v):
                only(v, ledger, owner, res)

        return if_holds_one

    def if_holds(v: dict[str, Any], ledger: list[Change], owner: Any, res: bool) -> None:
        if holds(v):
            for run in runners:
                run(v, ledger, owner, res)

    return if_holds


def _guarded_add(e: CEffect, alone: Runner, when: Condition | None, flag: str | None) -> Runner:
    """A block of one constant addition (a metric or trust), its test inlined."""
    if e.kind != "metric" or (when is not None and flag is not None):
        return _guard((alone,), when, flag)
    key, step, cause, line = e.ids[0], e.value.constant, e.cause, e.line
    if when is None:
        assert flag is not None
        on = flag

        def add_if_set(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
            if v[on]:
                old = v[key]
                new = old + step
                if new != old:
                    v[key] = new
                    ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

        return add_if_set
    holds = when

    def add_if(v: dict[str, Any], ledger: list[Change], _o: Any, _r: bool) -> None:
        if holds(v):
            old = v[key]
            new = old + step
            if new != old:
                v[key] = new
                ledger.append(_new(Change, ("metric", key, new - old, cause, line, "")))

    return add_if
