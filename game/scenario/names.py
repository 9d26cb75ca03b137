"""The vocabulary of expression names, declared once.

A scenario's expressions read the game through dotted names: `trust.un`, `res.funding`,
`alloc.security.troops`, ... Each family of names is declared here with its prefix, what the
parts after the prefix name, its type, whether its values are whole counts or true/false, and how
a trainee reads it. The builder makes a scenario's name table from these, the engine makes its
keys with them, and the explanations and the debrief read names back with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.scenario.expr import ExprType
from game.scenario.models import ScenarioModel

NUM, BOOL = ExprType.NUM, ExprType.BOOL


@dataclass(frozen=True, slots=True)
class Family:
    """A family of names: `prefix.<id>` (or `prefix.<id>.<id>...`)."""

    prefix: str
    over: str  # the section whose ids follow the prefix, e.g. "stakeholders"
    type: ExprType
    counts: bool  # whole-number counts or stocks (with true/false values: "discrete" inputs)
    # How a trainee reads it: {label} is the thing named (its label, name or title), {turn_label}
    # the scenario's word for a turn; "" where the name is shown as written.
    reads: str

    def __call__(self, *ids: str) -> str:
        """The name of one member, e.g. TRUST("un") == "trust.un"."""
        return ".".join((self.prefix, *ids))

    @property
    def discrete(self) -> bool:
        return self.counts or self.type is BOOL


TRUST = Family("trust", "stakeholders", NUM, False, "trust with {label}")
WITHDRAWN = Family("withdrawn", "stakeholders", BOOL, False, "{label} withdrawn")
RES = Family("res", "resources", NUM, True, "{label} left")
INCOME = Family("income", "resources", NUM, True, "{label} income")
ALLOC = Family(
    "alloc", "lines_of_effort", NUM, True, "{resource} in {label}"
)  # alloc.<line>.<resource>
ACTIVE = Family("active", "strategies", BOOL, False, "{label} active")
ACTIVE_TURNS = Family("active_turns", "strategies", NUM, True, "turns of {label}")
OPEN = Family("open", "disagreements", BOOL, False, "{label} open")
AGREED = Family("agreed", "disagreements", BOOL, False, "{label} agreed")
FAILED = Family("failed", "disagreements", BOOL, False, "{label} failed")
BROKEN = Family("broken", "disagreements", BOOL, False, "{label} broken")
OPEN_TURNS = Family("open_turns", "disagreements", NUM, True, "{turn_label}s open")
AGREED_TURN = Family(
    "agreed_turn", "disagreements", NUM, True, "the {turn_label} {label} was agreed"
)
FIRED = Family("fired", "events", BOOL, False, "{label} happened")
# chose.<event>.<choice>, and chose.<disagreement>.<issue>.<option> (that option was agreed)
CHOSE = Family("chose", "events", BOOL, False, "")
FLAG = Family("flag", "flags", NUM, False, "{label}")

FAMILIES: tuple[Family, ...] = (
    TRUST, WITHDRAWN, RES, INCOME, ALLOC, ACTIVE, ACTIVE_TURNS, OPEN, AGREED, FAILED, OPEN_TURNS,
    AGREED_TURN, FIRED, CHOSE, FLAG, BROKEN,
)  # fmt: skip
BY_PREFIX = {f.prefix: f for f in FAMILIES}

# Names of their own: the current turn (1..turns) and the mission's length.
TURN, TURNS = "turn", "turns"
COUNTERS = (TURN, TURNS)
# Inside `contribution` only: a partner's base contribution and its trust.
BASE, PARTNER_TRUST = "base", "trust"
CONTRIBUTION_NAMES = {BASE: NUM, PARTNER_TRUST: NUM, TURN: NUM, TURNS: NUM}


def family_of(name: str) -> Family | None:
    """The family a dotted name belongs to (None for metric ids, `turn` and `turns`)."""
    prefix, dot, _ = name.partition(".")
    return BY_PREFIX.get(prefix) if dot else None


def is_discrete(name: str, type_: ExprType) -> bool:
    """Whether a name only takes few values (true/false, whole-number counts and stocks): an
    amount computed from such names alone is worth keeping from one turn to the next."""
    family = family_of(name)
    return type_ is BOOL or name in COUNTERS or (family is not None and family.counts)


def reads(m: ScenarioModel, name: str) -> str:
    """How a trainee reads one expression name: 'trust.un' -> 'trust with United Nations',
    'stability' -> 'Mission stability'. A name the scenario does not have is shown as written."""
    if name in m.metrics:
        return m.metrics[name].label
    if name in COUNTERS:
        return m.turn_label if name == TURN else f"{m.turn_label}s"
    family = family_of(name)
    parts = name.split(".")[1:]
    label = _label(m, family, parts) if family is not None and family.reads else None
    if family is None or label is None:
        return name
    resource = m.resources[parts[1]].label if family is ALLOC and parts[1] in m.resources else ""
    return family.reads.format(label=label, turn_label=m.turn_label, resource=resource)


def _label(m: ScenarioModel, family: Family, parts: list[str]) -> str | None:
    """The label of the thing a name's parts point at, or None when there is no such thing."""
    if family is FLAG:
        return parts[0].replace("_", " ") if len(parts) == 1 else None
    if family is ALLOC:
        line = m.lines_of_effort.get(parts[0]) if len(parts) == 2 else None
        return line.label if line else None
    if len(parts) != 1:
        return None
    section: dict[str, Any] = getattr(m, family.over)
    thing = section.get(parts[0])
    if thing is None:
        return None
    return str(getattr(thing, "label", None) or getattr(thing, "name", None) or thing.title)
