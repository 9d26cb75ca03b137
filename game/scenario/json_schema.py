"""The JSON Schema of the accord/1 format, for editors (draft 7, which the VS Code YAML
extension reads).

It starts from the pydantic models' own schema, so a new field cannot be forgotten, and adds
what the loader checks that the models' schema leaves out: one target and one operation per
effect, `pressure` as one effect or a list, conditions and formulas told apart, bounds of
numbers, reserved ids, and a description on every field in the instructor's words (the hover
text). What JSON Schema cannot say (that a name exists, that a formula makes sense, that
preferences cover every option) only `accord validate` checks.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from game.scenario.build import RESERVED
from game.scenario.models import LARGEST, Effect, ScenarioModel

DRAFT_7 = "http://json-schema.org/draft-07/schema#"
ID_PATTERN = "^[a-z][a-z0-9_]*$"
# Metric ids a formula already uses (the builder's list), and stakeholder ids trust effects use.
RESERVED_METRIC_IDS = sorted(RESERVED)
RESERVED_STAKEHOLDER_IDS = ["all", "parties"]

_COND = 'A condition, in quotes (for example "trust.un >= 40"), or true/false.'
_FORMULA = 'A formula, in quotes (for example "2 * sqrt(alloc.aid.funding)"), or a number.'

# What each part of the format is, shown when hovering its key.
PARTS: dict[str, str] = {
    "Metric": "A meter of the mission (stability, local support...), kept between min and max.",
    "Resource": "Something the player spends: funding, troops, political capital...",
    "Stakeholder": "A partner of the mission, who gives resources in proportion to trust.",
    "Effect": (
        "One change: exactly one target (metric, trust, resource, flag or income) and one "
        "operation (add or set); or a reveal (what the trainee learns of parties' positions)."
    ),
    "LineOfEffort": "Where the player puts resources each turn, and what that does.",
    "Strategy": "A collaboration strategy the player may activate with partners.",
    "Agreement": "How many parties must accept a package for it to be agreed.",
    "Opens": "When the disagreement opens: on a turn, when a condition holds, or both.",
    "Issue": "One thing negotiated, with at least two options.",
    "Preference": "What one party thinks of each option, and how far it will concede.",
    "SidePayment": "What each unit of a resource transferred to the party is worth to it.",
    "Reopens": "After the agreement breaks, the talks reopen with a new deadline.",
    "Disagreement": "A negotiation between partners, settled by proposing packages.",
    "Choice": "One answer the player may pick when the event fires.",
    "Event": "Something that happens: on a turn, when a condition holds, or by chance.",
    "Rule": "A force acting at every resolution, after everything the player did.",
    "Ending": "How the game ends: the first ending whose condition holds wins, in file order.",
    "Scoring": "The score (0 to 100) and the lowest score for each grade.",
    "Lesson": "A teaching point shown in the debrief when its condition holds.",
}

# Every field, in the instructor's words. tests/scenario/test_schema.py checks none is missing.
FIELDS: dict[str, dict[str, str]] = {
    "ScenarioModel": {
        "format": "Always accord/1: the version of the scenario format.",
        "id": "The scenario's id: lowercase letters, digits and _, starting with a letter.",
        "title": "The scenario's name, as trainees see it.",
        "summary": "One sentence for the scenario menu.",
        "difficulty": (
            "intro, standard or hard. It also sets the forecasts: exact numbers (intro), "
            "directions only (standard), none (hard)."
        ),
        "turns": "How many turns the mission lasts, 1 to 200.",
        "turn_label": 'What a turn is called ("month" gives "Month 3 of 12"); 1 to 30 letters.',
        "seed": "The default seed for chance events; a player or a test may choose another.",
        "briefing": "What trainees read before turn 1 (Markdown).",
        "metrics": "The mission's meters, by id. At least one; exactly one is the headline.",
        "resources": "What the player spends, by id.",
        "stakeholders": "The partners, by id.",
        "contribution": (
            "How much a partner gives of each resource it provides, as a formula of base "
            "(the amount it provides) and trust. Default: base * clamp((trust - 20) / 40, 0, "
            "1.25)."
        ),
        "lines_of_effort": "Where resources go each turn, by id.",
        "strategies": "The collaboration strategies the player may activate, by id.",
        "max_active_strategies": "How many strategies may run at once; no limit without it.",
        "disagreements": "Negotiations between partners, by id.",
        "events": "Things that happen during the game, by id, checked in file order.",
        "rules": "Forces that act at every resolution, in file order.",
        "endings": "How the game ends, by id, checked in file order. At least one.",
        "scoring": "The score formula and the grades.",
        "lessons": "Teaching points for the debrief, in file order.",
    },
    "Metric": {
        "label": "The name trainees see.",
        "start": "The value at the start, between min and max.",
        "min": "The lowest value (default 0).",
        "max": "The highest value, above min (default 100).",
        "headline": "true for the one metric shown first everywhere; exactly one metric says so.",
        "description": "A longer explanation, shown in the briefing under Meters.",
    },
    "Resource": {
        "label": "The name trainees see.",
        "unit": 'A unit shown after amounts, such as "$M".',
        "per_turn": "Whole units the mission receives every turn on its own (default 0).",
        "carry": "true: unspent stock is kept for the next turn; false (default): it is lost.",
        "max": "The most the stock can hold; no limit without it.",
        "description": "A longer explanation, shown in the briefing under Resources.",
    },
    "Stakeholder": {
        "name": "The name trainees see.",
        "kind": "nation, international_org, regional_org, ngo, private or local.",
        "trust": "Trust in the mission at the start, 0 to 100.",
        "provides": (
            "What it gives each turn at full trust, resource by resource (see contribution)."
        ),
        "withdraws_below": "When trust falls below this, the partner leaves for good.",
        "blurb": "One or two sentences shown in the briefing.",
    },
    "Effect": {
        "metric": "Target: the id of a metric.",
        "trust": (
            "Target: a stakeholder id, a list of ids, all (every partner still present) or "
            "parties (the disagreement's parties; only inside a disagreement)."
        ),
        "resource": "Target: the id of a resource.",
        "flag": "Target: a flag of your choice; formulas read it as flag.<name> (a number).",
        "income": (
            "Target: the id of a resource whose income per turn changes, from the next income "
            "on; formulas read it as income.<resource>."
        ),
        "add": "Add this to the target (negative to subtract). " + _FORMULA,
        "set": "Replace the target's value with this. " + _FORMULA,
        "when": "Apply only when this holds at that moment. " + _COND,
        "note": "The cause the trainee reads; by default, where the effect is written.",
        "each_turn": (
            "In a disagreement's outcomes only: true repeats the effect at every resolution "
            "from the agreement on."
        ),
        "reveal": (
            "Target: the trainee learns the position of a party of `disagreement` (its id, a "
            "list of ids, all or parties: every party of it); changes no value."
        ),
        "disagreement": "With reveal only: the disagreement whose parties' positions it reveals.",
        "what": (
            "With reveal only: weights (priorities), options (preferred options) or all (default)."
        ),
    },
    "LineOfEffort": {
        "label": "The name trainees see.",
        "accepts": "The resources the player may put here (at least one).",
        "effects": (
            "What the allocation does, at every resolution; write formulas of "
            "alloc.<line>.<resource>."
        ),
        "description": "A longer explanation, shown with the line in the Allocation tab.",
    },
    "Strategy": {
        "label": "The name trainees see.",
        "kind": "bilateral, multilateral, ngo, regional or public_private.",
        "partners": "Stakeholders it depends on: it ends when one leaves.",
        "requires": "Checked when the player activates it (not afterwards). " + _COND,
        "cost": "Whole amounts paid once, on activation.",
        "upkeep": "Whole amounts paid at every later turn; unpaid, the strategy ends.",
        "min_turns": "Ending it before it has run this many turns counts as early.",
        "exclusive_with": "Strategies that cannot run at the same time as this one.",
        "each_turn": "Effects at every resolution while it runs.",
        "on_activate": "Effects when it is activated.",
        "on_early_end": (
            "Effects when it ends early (by the player, unpaid upkeep or a partner leaving)."
        ),
        "description": "A longer explanation, shown in the Partnerships tab.",
    },
    "Agreement": {
        "needs": "all (default: every party still present) or how many parties must accept.",
        "vetoes": "Parties who must always be among those who accept.",
    },
    "Opens": {
        "turn": "It opens on this turn (or, with when, from this turn on).",
        "when": "It opens on the first turn this holds, checked at the start of the turn. " + _COND,
    },
    "Issue": {
        "label": "The name trainees see.",
        "options": "The options, id: text as trainees read it (at least two).",
    },
    "Preference": {
        "weights": (
            "How much each issue matters to this party, one number per issue (not negative)."
        ),
        "values": "For each issue, a value from 0 to 1 for every option.",
        "reservation": "The least this party accepts at the deadline, 0 to 1.",
        "aspiration": "What it asks for when the talks open, 0 to 1, not below reservation.",
        "concession": (
            "How fast it concedes: boulware, linear, conceder, or a number above 0, at most 100."
        ),
        "public": (
            "What the briefing says openly of this party, known to the trainee from the start: "
            "weights (its priorities), options (its preferred option on every issue)."
        ),
        "side_payments": (
            "Resources this party values as side payments, by resource: per_unit (its value of "
            "each unit, added to its value of the package) and max (most units per proposal)."
        ),
        "holds_while": (
            "This party keeps the agreement only while this holds, checked at every resolution "
            "from the turn after agreement. " + _COND
        ),
    },
    "SidePayment": {
        "per_unit": "The value of one unit to the party, on the 0-to-1 scale of package values.",
        "max": "The most units per proposal (default: the resource's max, or 100).",
    },
    "Reopens": {
        "deadline": "The reopened talks' deadline, this many turns after the breach.",
    },
    "Disagreement": {
        "label": "The name trainees see.",
        "parties": "The stakeholders who negotiate (at least two).",
        "agreement": "How many parties must accept (default: all).",
        "opens": "When it opens (default: turn 1). Write {turn: 3}, not a bare number.",
        "deadline": "The last turn it can be settled on; still open after it, it fails.",
        "proposal_cost": "Whole amounts paid for each proposal, accepted or not.",
        "offers": (
            "When the parties state offers: each_turn (default: at the start of every turn the "
            "talks are open), after_refusal (once a party has refused a proposal) or none."
        ),
        "pressure": "Effects at every resolution while it is open: one effect, or a list.",
        "issues": "What is negotiated, by id (at least one).",
        "preferences": "One entry per party: what it wants.",
        "outcomes": "Effects per agreed option, keyed issue.option (for example posture.robust).",
        "on_agree": "Effects when a package is agreed.",
        "on_fail": "Effects when it fails.",
        "holds_while": (
            "The agreement holds only while this holds, checked at every resolution from the "
            "turn after agreement; when it fails the agreement breaks. " + _COND
        ),
        "on_breach": "Effects when the agreement breaks.",
        "reopens": "After a breach the talks reopen: {deadline: N} turns later (default: never).",
        "description": "A longer explanation, shown in the Negotiations tab.",
    },
    "Choice": {
        "label": "The answer as the trainee reads it.",
        "requires": "Checked when the player picks it; closed when it does not hold. " + _COND,
        "effects": "Effects applied when it is chosen.",
        "text": "A longer explanation of the answer, shown under its label.",
    },
    "Event": {
        "title": "The headline trainees see.",
        "text": "What happened, in a sentence or two.",
        "turn": "Fire only on this turn.",
        "when": "Fire only when this holds, checked at the start of the turn. " + _COND,
        "chance": "The probability it fires when everything else holds, 0 to 1 (default 1).",
        "once": "true (default): it fires at most once; false: it may fire again.",
        "choices": "The answers the player picks from, by id.",
        "effects": "Effects applied as it fires, before any choice.",
    },
    "Rule": {
        "label": "The cause shown in the turn report.",
        "when": "Apply only when this holds at resolution; every turn without it. " + _COND,
        "effects": "What happens (at least one effect).",
    },
    "Ending": {
        "check": (
            "each_turn: tested after every turn, ends the game early; at_end: after the last turn."
        ),
        "when": "The condition for this ending. " + _COND,
        "grade": "A, B, C, D or F: replaces the grade the score gives.",
        "title": "The headline; by default the id in words.",
        "text": "What the trainee reads at the end.",
    },
    "Scoring": {
        "score": (
            "The score formula, kept between 0 and 100; mean(), final(), min(), max() and "
            "turns_above() read a metric's history."
        ),
        "grades": "The lowest score for each grade A to D (default A 80, B 65, C 50, D 35).",
    },
    "Lesson": {
        "when": "The condition, tested on the finished game; history functions are allowed. "
        + _COND,
        "text": "The teaching point, in your words.",
    },
}

# Which fields hold a condition (true/false) and which a formula (a number).
CONDITIONS = {
    ("Strategy", "requires"), ("Choice", "requires"), ("Effect", "when"), ("Opens", "when"),
    ("Event", "when"), ("Rule", "when"), ("Ending", "when"), ("Lesson", "when"),
    ("Disagreement", "holds_while"), ("Preference", "holds_while"),
}  # fmt: skip
FORMULAS = {("Effect", "add"), ("Effect", "set"), ("Scoring", "score")}
FORMULAS |= {("ScenarioModel", "contribution")}
BOUND = {"minimum": -LARGEST, "maximum": LARGEST}
EFFECT_OPTIONS = ("when", "note", "each_turn", "disagreement", "what")


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of a scenario file."""
    raw = ScenarioModel.model_json_schema()
    defs: dict[str, Any] = raw.pop("$defs")
    defs["ScenarioModel"] = raw
    for name, definition in defs.items():
        _describe(name, definition)
    _effects(defs)
    _special(defs)
    top = defs.pop("ScenarioModel")
    schema: dict[str, Any] = {
        "$schema": DRAFT_7,
        "title": "Accord scenario (format accord/1)",
        "description": (
            "A scenario for Accord. The editor checks the shape; accord validate checks "
            "everything else (names, formulas, preferences)."
        ),
        **{k: v for k, v in top.items() if k not in ("title", "description")},
        "definitions": defs,
    }
    return _draft7(schema)


def _describe(name: str, definition: dict[str, Any]) -> None:
    words = FIELDS[name]
    if name in PARTS:
        definition["description"] = PARTS[name]
    definition.pop("title", None)
    for field, prop in definition.get("properties", {}).items():
        if field not in words:
            raise KeyError(f"no description for {name}.{field}")
        prop.pop("title", None)
        if (name, field) in CONDITIONS:
            _expression(prop, ["string", "boolean"])
        elif (name, field) in FORMULAS:
            _expression(prop, ["string", "number"])
        _every_mapping(prop, _numbers)
        _every_mapping(prop, _ids)
        if "$ref" in prop:  # in draft 7 a $ref hides its siblings: wrap it
            prop["allOf"] = [{"$ref": prop.pop("$ref")}]
        prop["description"] = words[field]


def _expression(prop: dict[str, Any], types: list[str]) -> None:
    for node in [prop, *prop.get("anyOf", [])]:
        if node.get("type") == ["string", "number", "boolean"]:
            node["type"] = types
            if "number" in types:
                node.update(BOUND)


def _every_mapping(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    """Call `visit` on every mapping inside `node`, outermost first."""
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _every_mapping(value, visit)
    elif isinstance(node, list):
        for value in node:
            _every_mapping(value, visit)


def _numbers(node: dict[str, Any]) -> None:
    """Every number a scenario writes is within 10^15 either way (the loader's limit)."""
    if node.get("type") in ("number", "integer"):
        node.setdefault("minimum", -LARGEST)
        node.setdefault("maximum", LARGEST)


def _ids(node: dict[str, Any]) -> None:
    """A mapping keyed by ids refuses any other key (the loader does)."""
    if "patternProperties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False


def _effects(defs: dict[str, Any]) -> None:
    effect = defs["Effect"]
    props = effect["properties"]
    # The targets are the effect's fields that are not its operation or its options.
    targets = [k for k in Effect.model_fields if k not in ("add", "set", *EFFECT_OPTIONS)]
    for key in (*targets, "add", "set", "disagreement", "what"):  # never empty
        prop = props[key]
        options = [o for o in prop.pop("anyOf") if o.get("type") != "null"]
        prop.pop("default", None)
        prop.update(options[0] if len(options) == 1 else {"anyOf": options})
    trust = props["trust"]
    trust["anyOf"] = [
        {"type": "string", "pattern": ID_PATTERN, "maxLength": 64},
        {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": ID_PATTERN, "maxLength": 64},
        },
    ]
    props["reveal"] = copy.deepcopy(trust) | {"description": FIELDS["Effect"]["reveal"]}
    operation = {"oneOf": [{"required": [op]} for op in ("add", "set")]}
    # A reveal effect names its disagreement and has no operation; only it has those options.
    effect["allOf"] = [
        {"oneOf": [{"required": [t]} for t in targets]},
        {
            "if": {"required": ["reveal"]},
            "then": {
                "required": ["disagreement"],
                "not": {"anyOf": [{"required": ["add"]}, {"required": ["set"]}]},
            },
            "else": {
                **operation,
                "not": {"anyOf": [{"required": ["disagreement"]}, {"required": ["what"]}]},
            },
        },
    ]
    # Outside a disagreement, trust: parties means nothing; outside its outcomes, each_turn
    # cannot be true. One definition for each place effects are written.
    defs["DisagreementEffect"] = {
        "description": PARTS["Effect"],
        "allOf": [
            {"$ref": "#/$defs/Effect"},
            {"properties": {"each_turn": _only(False, "each_turn")}},
        ],
    }
    defs["OutcomeEffect"] = {"description": PARTS["Effect"], "allOf": [{"$ref": "#/$defs/Effect"}]}
    defs["PlainEffect"] = {
        "description": PARTS["Effect"],
        "allOf": [
            {"$ref": "#/$defs/Effect"},
            {
                "properties": {
                    "each_turn": _only(False, "each_turn"),
                    "trust": {
                        "not": {"const": "parties"},
                        "description": FIELDS["Effect"]["trust"],
                    },
                }
            },
        ],
    }
    for name, definition in defs.items():
        for field, prop in definition.get("properties", {}).items():
            if name == "Disagreement" and field == "outcomes":
                kind = "OutcomeEffect"
            elif name == "Disagreement":
                kind = "DisagreementEffect"
            else:
                kind = "PlainEffect"
            _every_mapping(prop, _retarget(kind))


def _only(value: Any, field: str) -> dict[str, Any]:
    return {"const": value, "description": FIELDS["Effect"][field]}


def _retarget(kind: str) -> Callable[[dict[str, Any]], None]:
    def visit(node: dict[str, Any]) -> None:
        if node.get("$ref") == "#/$defs/Effect":
            node["$ref"] = f"#/$defs/{kind}"

    return visit


def _special(defs: dict[str, Any]) -> None:
    d = defs["Disagreement"]["properties"]
    # `pressure` takes one effect without the list, as the loader does.
    listed = copy.deepcopy(d["pressure"])
    one = listed["items"]
    d["pressure"] = {"description": listed.pop("description"), "anyOf": [one, listed]}
    d["outcomes"]["propertyNames"] = {
        "pattern": r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$",
        "description": "issue.option, for example posture.robust",
    }
    strategy = defs["Strategy"]["properties"]
    for amounts in (d["proposal_cost"], strategy["cost"], strategy["upkeep"]):
        _whole_amounts(amounts)
    opens = defs["Opens"]
    said = FIELDS["Opens"]
    opens["anyOf"] = [
        {
            "required": ["turn"],
            "properties": {"turn": {"type": "integer", "description": said["turn"]}},
        },
        {
            "required": ["when"],
            "properties": {"when": {"type": ["string", "boolean"], "description": said["when"]}},
        },
    ]
    pref = defs["Preference"]["properties"]
    _within(pref["weights"]["patternProperties"][ID_PATTERN], 0, LARGEST)
    _within(pref["values"]["patternProperties"][ID_PATTERN]["patternProperties"][ID_PATTERN], 0, 1)
    for key in ("reservation", "aspiration"):
        _within(pref[key], 0, 1)
    per_unit = defs["SidePayment"]["properties"]["per_unit"]
    _within(per_unit, 0, LARGEST)
    per_unit["exclusiveMinimum"] = per_unit.pop("minimum")
    concession = pref["concession"]["anyOf"][1]
    concession["maximum"] = 100
    concession.pop("minimum", None)
    top = defs["ScenarioModel"]["properties"]
    top["metrics"]["propertyNames"]["not"] = {"enum": RESERVED_METRIC_IDS}
    top["stakeholders"]["propertyNames"]["not"] = {"enum": RESERVED_STAKEHOLDER_IDS}


def _whole_amounts(prop: dict[str, Any]) -> None:
    """Costs are whole amounts, never negative."""
    _within(prop["patternProperties"][ID_PATTERN], 0, LARGEST)


def _within(node: dict[str, Any], low: float, high: float) -> None:
    node["minimum"], node["maximum"] = low, high


def _draft7(schema: dict[str, Any]) -> dict[str, Any]:
    """`$defs` (draft 2019+) becomes `definitions` (draft 7)."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            if isinstance(out.get("$ref"), str):
                out["$ref"] = out["$ref"].replace("#/$defs/", "#/definitions/")
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result
