"""Effects turned into small specialised functions, built once per scenario.

The hot loop of a turn applies a few dozen effects; a function per effect, with its keys,
cause and line bound in advance, avoids re-reading the effect's fields every time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from game.engine.report import Change
from game.scenario.compiled import CEffect


class Owner(Protocol):
    """The game an effect runs in: it applies the rarer kinds (resources, flags) itself."""

    def _other_effect(self, e: CEffect, amount: Any, parties: tuple[str, ...], res: bool) -> None:
        """Apply a resource or flag effect of `amount`."""


_new = tuple.__new__  # builds a Change without the NamedTuple's Python-level __new__

# run(v, ledger, owner, resolution). Runners are shared by copies of a game, so nothing in
# them is bound to one game: the game is passed in.
Runner = Callable[[dict[str, Any], list[Change], Owner, bool], None]


def runner(e: CEffect, stakeholders: tuple[str, ...], parties: tuple[str, ...]) -> Runner:
    """A function applying `e`; metric and trust effects are inlined, others go to the owner.
    `stakeholders` is what `trust: all` means, `parties` what `trust: parties` means here."""
    when = e.when.fn if e.when is not None else None
    value = e.value.fn
    raw = e.value.raw or value
    failed = e.value.failed
    cause, line = e.cause, e.line
    if e.kind == "metric":
        key = e.ids[0]
        is_set = e.op == "set"

        def metric(v: dict[str, Any], ledger: list[Change], _o: Owner, _r: bool) -> None:
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
    if e.kind == "trust":
        names = e.ids or (parties if e.scope == "parties" else stakeholders)
        targets = tuple((sid, f"trust.{sid}", f"withdrawn.{sid}") for sid in names)
        is_set = e.op == "set"

        def trust(v: dict[str, Any], ledger: list[Change], _o: Owner, _r: bool) -> None:
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

    def other(v: dict[str, Any], _l: list[Change], owner: Owner, res: bool) -> None:
        if when is not None and not when(v):
            return
        owner._other_effect(e, value(v), parties, res)

    return other
