"""The accord/1 scenario format as pydantic models: the shape of a valid file."""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)

from game.scenario.errors import describe_value

Id = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


# The largest number a scenario may write, here as in its expressions: instructors never need
# more, and stocks and flags are held within it.
LARGEST = 10**15


def _number(value: Any) -> int | float:
    # One validator instead of a union, so a bad value gets one message, not one per member.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, found {describe_value(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a finite number")
    if not -LARGEST <= value <= LARGEST:
        raise ValueError(f"the number {value:g} is too large: at most 10^15 either way")
    return value


def _expr(value: Any) -> str | int | float | bool:
    if isinstance(value, str | int | float) and not (
        isinstance(value, float) and not math.isfinite(value)
    ):
        return value
    raise ValueError(f"expected an expression (text or a number), found {describe_value(value)}")


def _trust_target(value: Any) -> str | list[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValueError(
        "expected a stakeholder id, a list of ids, 'all' or 'parties', "
        f"found {describe_value(value)}"
    )


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]


def _ranged(low: float, high: float) -> Callable[[Any], int | float]:
    """A number within bounds. (A PlainValidator skips Field(ge=...), so bounds live here.)"""

    def check(value: Any) -> int | float:
        number = _number(value)
        if not low <= number <= high:
            raise ValueError(f"must be between {low:g} and {high:g}, found {number}")
        return number

    return check


Percent = Annotated[
    int | float,
    PlainValidator(_ranged(0, 100)),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]
Probability = Annotated[
    int | float,
    PlainValidator(_ranged(0, 1)),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}),
]


def _concession(value: Any) -> str | int | float:
    if value in ("boulware", "linear", "conceder") and isinstance(value, str):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 100:
        return value
    raise ValueError(
        "expected boulware, linear, conceder or a number above 0 and at most 100, found "
        f"{describe_value(value)}"
    )


ConcessionValue = Annotated[
    str | int | float,
    PlainValidator(_concession),
    WithJsonSchema(
        {"anyOf": [{"enum": ["boulware", "linear", "conceder"]},
                   {"type": "number", "exclusiveMinimum": 0}]}
    ),
]  # fmt: skip
# An expression: a string, or a bare number / boolean written directly in YAML.
Expr = Annotated[
    str | int | float | bool,
    PlainValidator(_expr),
    WithJsonSchema({"type": ["string", "number", "boolean"]}),
]
TrustTarget = Annotated[
    str | list[str],
    PlainValidator(_trust_target),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]
Text = Annotated[StrictStr, Field(max_length=20_000)]
Whole = Annotated[StrictInt, Field(ge=0, le=LARGEST)]  # an amount of a resource
Amounts = dict[Id, Annotated[StrictInt, Field(le=LARGEST)]]  # build.py explains a negative one

DEFAULT_CONTRIBUTION = "base * clamp((trust - 20) / 40, 0, 1.25)"


class Model(BaseModel):
    """Base of every format model: unknown keys are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# Literals rather than Enums: strict mode refuses a plain string for an Enum field.
Difficulty = Literal["intro", "standard", "hard"]
StakeholderKind = Literal["nation", "international_org", "regional_org", "ngo", "private", "local"]
StrategyKind = Literal["bilateral", "multilateral", "ngo", "regional", "public_private"]
Grade = Literal["A", "B", "C", "D", "F"]


class Metric(Model):
    label: Text
    start: Number
    min: Number = 0
    max: Number = 100
    headline: StrictBool = False
    description: Text = ""


class Resource(Model):
    label: Text
    unit: Text = ""
    per_turn: Whole = 0
    carry: StrictBool = False
    max: Whole | None = None
    description: Text = ""


class Stakeholder(Model):
    name: Text
    kind: StakeholderKind
    trust: Percent
    provides: dict[Id, Number] = Field(default_factory=dict)
    withdraws_below: Percent | None = None
    blurb: Text = ""


class Target(StrEnum):
    """What an effect changes: the one list of effect kinds. Every dispatch on it is a `match`
    ending in `assert_never`, so the type checker names each place a new kind must be handled."""

    METRIC = "metric"
    TRUST = "trust"
    RESOURCE = "resource"
    FLAG = "flag"
    INCOME = "income"  # a resource's income per turn (`per_turn`), from the next income on
    REVEAL = "reveal"  # what the trainee knows of parties' positions in a disagreement


class Op(StrEnum):
    """How an effect changes its target."""

    ADD = "add"
    SET = "set"


class Effect(Model):
    """One change: exactly one target (metric, trust, resource, flag, income), one operation."""

    metric: Id | None = None
    trust: TrustTarget | None = None
    resource: Id | None = None
    flag: Id | None = None
    income: Id | None = None
    reveal: TrustTarget | None = None
    add: Expr | None = None
    set: Expr | None = None
    when: Expr | None = None
    note: Text | None = None
    each_turn: StrictBool = False
    # A `reveal` effect's disagreement and what it discloses (only with `reveal`).
    disagreement: Id | None = None
    what: Literal["weights", "options", "all"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_target_one_operation(cls, data: Any) -> Any:
        if isinstance(data, dict):
            targets = [k for k in Target if k in data]
            if len(targets) != 1:
                found = ", ".join(targets) if targets else "none"
                raise ValueError(
                    "an effect needs exactly one target (metric, trust, resource, flag, "
                    "income or reveal); "
                    f"found {found}"
                )
            operations = [k for k in Op if k in data]
            reveal = targets == [Target.REVEAL]
            for key in ("disagreement", "what"):
                if key in data and not reveal:
                    raise ValueError(f"'{key}' belongs to a reveal effect only")
            if reveal:
                if operations:
                    raise ValueError("a reveal effect has no 'add' or 'set'")
                if data.get("disagreement") is None:
                    raise ValueError("a reveal effect needs 'disagreement: <its id>'")
                operations = []
            elif len(operations) != 1:
                raise ValueError("an effect needs exactly one of 'add' or 'set'")
            for key in (*targets, *operations):
                if data[key] is None:
                    what = "a formula or a number" if key in ("add", "set") else f"a {key} id"
                    if key == Target.REVEAL:
                        what = "a party id, all or parties"
                    raise ValueError(f"'{key}' is empty; write {what} after '{key}:'")
        return data

    @property
    def target_kind(self) -> Target:
        for kind in Target:
            if getattr(self, kind) is not None:
                return kind
        return Target.FLAG  # unreachable: validation refuses an effect without a target


Effects = list[Effect]


class LineOfEffort(Model):
    label: Text
    accepts: list[Id] = Field(min_length=1)
    effects: Effects = Field(default_factory=list)
    description: Text = ""


class Strategy(Model):
    label: Text
    kind: StrategyKind
    partners: list[Id] = Field(default_factory=list)
    requires: Expr | None = None
    cost: Amounts = Field(default_factory=dict)
    upkeep: Amounts = Field(default_factory=dict)
    min_turns: StrictInt = Field(default=0, ge=0, le=LARGEST)
    exclusive_with: list[Id] = Field(default_factory=list)
    each_turn: Effects = Field(default_factory=list)
    on_activate: Effects = Field(default_factory=list)
    on_early_end: Effects = Field(default_factory=list)
    description: Text = ""


class Agreement(Model):
    needs: Literal["all"] | Annotated[StrictInt, Field(ge=1, le=LARGEST)] = "all"
    vetoes: list[Id] = Field(default_factory=list)


class Opens(Model):
    turn: StrictInt | None = Field(default=None, ge=1, le=LARGEST)
    when: Expr | None = None

    @model_validator(mode="after")
    def _turn_or_when(self) -> Opens:
        if self.turn is None and self.when is None:
            raise ValueError("'opens' needs a 'turn', a 'when', or both")
        return self


class Issue(Model):
    label: Text
    options: dict[Id, Text] = Field(min_length=2)


class SidePayment(Model):
    """What a party makes of units of a resource transferred to it with a package."""

    per_unit: Number
    max: Annotated[StrictInt, Field(ge=1, le=LARGEST)] | None = None  # default: see build.py


class Preference(Model):
    weights: dict[Id, Number]
    values: dict[Id, dict[Id, Number]]
    reservation: Number
    aspiration: Number = 1.0
    concession: ConcessionValue = "linear"
    # What the briefing says openly of this party: its issue weights, its preferred options.
    public: list[Literal["weights", "options"]] = Field(default_factory=list)
    # Extensions (docs/scenario-format.md): absent, the party plays as before.
    side_payments: dict[Id, SidePayment] = Field(default_factory=dict)
    holds_while: Expr | None = None


class Reopens(Model):
    """After a breach the talks open again, with a deadline `deadline` turns later."""

    deadline: StrictInt = Field(ge=1, le=LARGEST)


class Disagreement(Model):
    label: Text
    parties: list[Id] = Field(min_length=2)
    agreement: Agreement = Field(default_factory=Agreement)
    opens: Opens = Field(default_factory=lambda: Opens(turn=1))
    deadline: StrictInt = Field(ge=1, le=LARGEST)
    proposal_cost: Amounts = Field(default_factory=dict)
    # When the parties state their offers: at the start of every turn the talks are open, only
    # once a party has refused a proposal, or never.
    offers: Literal["each_turn", "after_refusal", "none"] = "each_turn"
    pressure: Annotated[Effects, BeforeValidator(_as_list)] = Field(default_factory=list)
    issues: dict[Id, Issue] = Field(min_length=1)
    preferences: dict[Id, Preference]
    outcomes: dict[StrictStr, Effects] = Field(default_factory=dict)
    on_agree: Effects = Field(default_factory=list)
    on_fail: Effects = Field(default_factory=list)
    # Extensions: an agreement that holds only while a condition does (absent: it always holds).
    holds_while: Expr | None = None
    on_breach: Effects = Field(default_factory=list)
    reopens: Reopens | None = None
    description: Text = ""


class Choice(Model):
    label: Text
    requires: Expr | None = None
    effects: Effects = Field(default_factory=list)
    text: Text = ""


class Event(Model):
    title: Text
    text: Text = ""
    turn: StrictInt | None = Field(default=None, ge=1, le=LARGEST)
    when: Expr | None = None
    chance: Probability = 1
    once: StrictBool = True
    choices: dict[Id, Choice] = Field(default_factory=dict)
    effects: Effects = Field(default_factory=list)


class Rule(Model):
    label: Text
    when: Expr | None = None
    effects: Effects = Field(min_length=1)


class Ending(Model):
    check: Literal["each_turn", "at_end"]
    when: Expr
    grade: Grade | None = None
    title: Text = ""
    text: Text = ""


def _default_grades() -> dict[Literal["A", "B", "C", "D"], int | float]:
    return {"A": 80, "B": 65, "C": 50, "D": 35}


class Scoring(Model):
    score: Expr
    grades: dict[Literal["A", "B", "C", "D"], Number] = Field(default_factory=_default_grades)


class Lesson(Model):
    when: Expr
    text: Text


class ScenarioModel(Model):
    """A whole scenario file, as written."""

    format: Literal["accord/1"]
    id: Id
    title: Text
    summary: Text = ""
    difficulty: Difficulty = "standard"
    turns: StrictInt = Field(ge=1, le=200)
    turn_label: Annotated[StrictStr, Field(min_length=1, max_length=30)] = "turn"
    seed: StrictInt = Field(default=1, ge=-LARGEST, le=LARGEST)
    briefing: Text = ""
    metrics: dict[Id, Metric] = Field(min_length=1)
    resources: dict[Id, Resource] = Field(default_factory=dict)
    stakeholders: dict[Id, Stakeholder] = Field(default_factory=dict)
    contribution: Expr = DEFAULT_CONTRIBUTION
    lines_of_effort: dict[Id, LineOfEffort] = Field(default_factory=dict)
    strategies: dict[Id, Strategy] = Field(default_factory=dict)
    max_active_strategies: StrictInt | None = Field(default=None, ge=1, le=LARGEST)
    disagreements: dict[Id, Disagreement] = Field(default_factory=dict)
    events: dict[Id, Event] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)
    endings: dict[Id, Ending] = Field(min_length=1)
    scoring: Scoring
    lessons: list[Lesson] = Field(default_factory=list)
