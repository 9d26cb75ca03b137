"""The player's actions: small immutable values with a plain-JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Allocate:
    """Put `amount` units of a resource into a line of effort for this turn."""

    line: str
    resource: str
    amount: int


@dataclass(frozen=True, slots=True)
class Unallocate:
    """Take back `amount` units allocated this turn."""

    line: str
    resource: str
    amount: int


@dataclass(frozen=True, slots=True)
class Activate:
    """Activate a collaboration strategy."""

    strategy: str


@dataclass(frozen=True, slots=True)
class EndStrategy:
    """End an active strategy."""

    strategy: str


Transfers = tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (party, ((resource, units)))


@dataclass(frozen=True, slots=True)
class Propose:
    """Propose a package: one option for every issue of a disagreement, and perhaps side
    payments (`transfers`: units of resources to parties, paid only if it is agreed)."""

    disagreement: str
    package: tuple[tuple[str, str], ...]
    transfers: Transfers = ()

    @classmethod
    def of(
        cls,
        disagreement: str,
        package: Mapping[str, str],
        transfers: Mapping[str, Mapping[str, int]] | None = None,
    ) -> Propose:
        paid = tuple((p, tuple(units.items())) for p, units in (transfers or {}).items())
        return cls(disagreement, tuple(package.items()), paid)

    @property
    def options(self) -> dict[str, str]:
        return dict(self.package)

    @property
    def payments(self) -> dict[str, dict[str, int]]:
        """The transfers as {party: {resource: units}}."""
        return {party: dict(units) for party, units in self.transfers}


@dataclass(frozen=True, slots=True)
class Choose:
    """Answer a pending event with one of its choices."""

    event: str
    choice: str


@dataclass(frozen=True, slots=True)
class EndTurn:
    """End the turn: resolution, endings, then the next turn's income."""


Action = Allocate | Unallocate | Activate | EndStrategy | Propose | Choose | EndTurn
_AMOUNTS = (Allocate, Unallocate)

_NAMES: dict[type[Any], str] = {
    Allocate: "allocate",
    Unallocate: "unallocate",
    Activate: "activate",
    EndStrategy: "end_strategy",
    Propose: "propose",
    Choose: "choose",
    EndTurn: "end_turn",
}
_TYPES = {name: cls for cls, name in _NAMES.items()}


class ActionFormatError(ValueError):
    """Raised when a JSON object does not describe an action."""


def action_to_json(action: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"type": _NAMES[type(action)]}
    if isinstance(action, _AMOUNTS):
        out.update(line=action.line, resource=action.resource, amount=action.amount)
    elif isinstance(action, Activate | EndStrategy):
        out["strategy"] = action.strategy
    elif isinstance(action, Propose):
        out.update(disagreement=action.disagreement, package=dict(action.package))
        if action.transfers:  # absent when none: old saves and scripts read the same
            out["transfers"] = action.payments
    elif isinstance(action, Choose):
        out.update(event=action.event, choice=action.choice)
    return out


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ActionFormatError(f"action field '{key}' must be text, found {value!r}")
    return value


def action_from_json(data: Any) -> Action:
    """Rebuild an action from `action_to_json`'s output; ActionFormatError when malformed."""
    if not isinstance(data, Mapping):
        raise ActionFormatError(f"an action must be an object, found {type(data).__name__}")
    kind = data.get("type")
    cls = _TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ActionFormatError(f"unknown action type {kind!r}")
    if cls in (Allocate, Unallocate):
        amount = data.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ActionFormatError(
                f"action field 'amount' must be a whole number, found {amount!r}"
            )
        return cls(_text(data, "line"), _text(data, "resource"), amount)  # type: ignore[no-any-return]
    if cls in (Activate, EndStrategy):
        return cls(_text(data, "strategy"))  # type: ignore[no-any-return]
    if cls is Propose:
        package = data.get("package")
        if not isinstance(package, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in package.items()
        ):
            raise ActionFormatError("action field 'package' must map issues to options")
        return Propose(
            _text(data, "disagreement"), tuple(package.items()), _transfers(data.get("transfers"))
        )
    if cls is Choose:
        return Choose(_text(data, "event"), _text(data, "choice"))
    return EndTurn()


def _transfers(data: Any) -> Transfers:
    """A proposal's optional transfers: {party: {resource: whole units}}."""
    if data is None:
        return ()
    if not isinstance(data, Mapping) or not all(
        isinstance(party, str)
        and isinstance(units, Mapping)
        and all(
            isinstance(r, str) and isinstance(n, int) and not isinstance(n, bool)
            for r, n in units.items()
        )
        for party, units in data.items()
    ):
        raise ActionFormatError(
            "action field 'transfers' must map parties to resources and whole numbers of units"
        )
    return tuple((party, tuple(units.items())) for party, units in data.items())


def describe_transfers(transfers: Transfers) -> str:
    """'3 funding to gov, 1 capital to au'."""
    return ", ".join(f"{n} {r} to {party}" for party, units in transfers for r, n in units)


def describe_action(action: Action) -> str:
    """A short human form, for logs and script failures."""
    if isinstance(action, Allocate):
        return f"allocate {action.amount} {action.resource} to {action.line}"
    if isinstance(action, Unallocate):
        return f"take back {action.amount} {action.resource} from {action.line}"
    if isinstance(action, Activate):
        return f"activate {action.strategy}"
    if isinstance(action, EndStrategy):
        return f"end {action.strategy}"
    if isinstance(action, Propose):
        opts = ", ".join(f"{i}={o}" for i, o in action.package)
        paid = f"; paying {describe_transfers(action.transfers)}" if action.transfers else ""
        return f"propose on {action.disagreement}: {opts}{paid}"
    if isinstance(action, Choose):
        return f"answer {action.event} with {action.choice}"
    return "end the turn"
