"""The JSON Schema editors read agrees with the loader: every shipped scenario and every example
of the guides passes it under draft 7, the wrong documents the loader refuses it refuses too,
and every field carries hover text."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from test_docs import fenced_blocks

from game.scenario import check_scenario
from game.scenario.json_schema import scenario_schema

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
DOCS = sorted((ROOT / "docs").glob("*.md"))
SCHEMA = json.loads((ROOT / "schema" / "scenario.schema.json").read_text())
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
TUTORIAL = (ROOT / "scenarios" / "tutorial.yaml").read_text()


def schema_errors(document: Any, schema: dict[str, Any] = SCHEMA) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_schema_is_a_valid_draft_7_schema():
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert "$defs" not in json.dumps(SCHEMA)  # draft 7 says definitions


def test_the_committed_schema_is_the_one_accord_schema_prints():
    assert scenario_schema() == SCHEMA


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_passes_the_schema(path: Path):
    assert schema_errors(yaml.safe_load(path.read_text())) == []


def _doc_examples() -> list[tuple[str, str, Any]]:
    """Every YAML example in docs/ that is scenario text: (where, kind, data)."""
    top = set(SCHEMA["properties"])
    found = []
    for doc in DOCS:
        for info, body, line in fenced_blocks(doc.read_text(encoding="utf-8")):
            if not info.startswith("yaml") or info == "yaml playthrough":
                continue
            data = yaml.safe_load(body)
            where = f"{doc.name}:{line}"
            if info == "yaml scenario":
                found.append((where, "scenario", data))
            elif isinstance(data, dict) and data and set(data) <= top:
                found.append((where, "fragment", data))
            elif isinstance(data, list) and all(
                isinstance(item, dict) and ("add" in item or "set" in item) for item in data
            ):
                found.append((where, "effects", data))
    return found


DOC_EXAMPLES = _doc_examples()


def test_the_guides_have_examples_of_each_kind():
    kinds = [kind for _, kind, _ in DOC_EXAMPLES]
    assert kinds.count("scenario") >= 2 and kinds.count("fragment") >= 20 and "effects" in kinds


@pytest.mark.parametrize(
    ("where", "kind", "data"), DOC_EXAMPLES, ids=[w for w, _, _ in DOC_EXAMPLES]
)
def test_every_scenario_example_in_the_docs_passes_the_schema(where: str, kind: str, data: Any):
    schema = copy.deepcopy(SCHEMA)
    if kind == "fragment":  # a part of a file: the other required keys are elsewhere
        schema["required"] = []
    elif kind == "effects":
        schema = {**schema, "type": "array", "items": {"$ref": "#/definitions/Effect"}}
        for key in ("required", "properties", "additionalProperties"):
            schema.pop(key, None)
    assert schema_errors(data, schema) == []


def _descriptions_missing(node: Any, path: str) -> list[str]:
    missing = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            if not (isinstance(prop, dict) and prop.get("description", "").strip()):
                missing.append(f"{path}.{name}")
        for key, value in node.items():
            missing += _descriptions_missing(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            missing += _descriptions_missing(value, f"{path}/{i}")
    return missing


def test_every_field_has_hover_text_and_no_generated_title():
    assert _descriptions_missing(SCHEMA, "#") == []
    for name, definition in SCHEMA["definitions"].items():
        assert definition.get("description"), name
        for field, prop in definition.get("properties", {}).items():
            assert "title" not in prop, f"{name}.{field}"  # "Each Turn" is no help
            # A $ref beside a description hides it in draft 7: a field refers through allOf.
            assert "$ref" not in prop, f"{name}.{field}"


# (what is changed in the tutorial, into what): documents the loader refuses, and so must the
# schema. Each is one slip an instructor makes.
REFUSED = {
    "effect with two targets": (
        "{metric: stability, add: 2}",
        "{metric: stability, trust: un, add: 2}",
    ),
    "effect with no target": ("{metric: stability, add: 2}", "{add: 2}"),
    "effect with two operations": (
        "{metric: stability, add: 2}",
        "{metric: stability, add: 2, set: 1}",
    ),
    "effect with no operation": ("{metric: stability, add: 2}", "{metric: stability}"),
    "empty add": ("{metric: stability, add: 2}", "{metric: stability, add: null}"),
    "empty target": ("{metric: stability, add: 2}", "{metric: null, add: 2}"),
    "a condition where a formula goes": (
        "{metric: stability, add: 2}",
        "{metric: stability, add: true}",
    ),
    "a number where a condition goes": ('requires: "res.troops >= 2"', "requires: 2"),
    "each_turn outside outcomes": (
        "{metric: stability, add: 2}",
        "{metric: stability, add: 2, each_turn: true}",
    ),
    "trust: parties outside a disagreement": (
        "{trust: open_hands, add: 3}",
        "{trust: parties, add: 3}",
    ),
    "empty trust list": ("{trust: open_hands, add: 3}", "{trust: [], add: 3}"),
    "unknown key": ("    min_turns: 2", "    min_turn: 2"),
    "unknown kind": ("    kind: ngo", "    kind: charity"),
    "bad id": ("  joint_patrols:", "  Joint_Patrols:"),
    "reserved metric id": ("  cooperation: {label: Partner", "  turn: {label: Partner"),
    "reserved stakeholder id": ("  open_hands:\n", "  all:\n"),
    "trust above 100": ("    trust: 60", "    trust: 160"),
    "chance above 1": ("    turn: 5\n", "    turn: 5\n    chance: 1.5\n"),
    "a number beyond 10^15": ("start: 50, headline", "start: 10000000000000000, headline"),
    "negative cost": ("cost: {political_capital: 2}", "cost: {political_capital: -2}"),
    "value above 1": ("joint: 0.7", "joint: 1.7"),
    "negative weight": ("weights: {lead: 0.6, hours: 0.4}", "weights: {lead: -0.6, hours: 0.4}"),
    "concession above 100": (
        "        concession: conceder\n      coastal_union",
        "        concession: 200\n      coastal_union",
    ),
    "opens as a bare number": ("opens: {turn: 3}", "opens: 3"),
    "opens with nothing": ("opens: {turn: 3}", "opens: {}"),
    "turns above 200": ("turns: 6", "turns: 201"),
    "grade E": ("{A: 70, B: 58, C: 45, D: 30}", "{A: 70, B: 58, C: 45, D: 30, E: 20}"),
    "outcome key without option": ("      lead.joint:", "      joint:"),
    "wrong format": ("format: accord/1", "format: accord/2"),
    "text where a number goes": ("start: 50, headline", "start: fifty, headline"),
}

# Forms the loader accepts, which the schema must not underline. (The shipped files also show
# pressure as one effect, trust: parties in a disagreement and each_turn in outcomes.)
ACCEPTED = {
    "pressure as a list": ("pressure: {metric", "pressure:\n      - {metric"),
    "empty optional values": ("    withdraws_below: 10", "    withdraws_below: null"),
    "empty when and note": ("{metric: stability, add: 2}",
                            "{metric: stability, add: 2, when: null, note: null}"),
    "a bare true as a condition": ('requires: "res.troops >= 2"', "requires: true"),
    "a bare number as a formula": ("{metric: stability, add: 2}", "{metric: stability, add: -2.5}"),
    "opens on a condition": ("opens: {turn: 3}", 'opens: {when: "turn >= 3"}'),
    "a concession number": ("        concession: conceder\n      coastal_union",
                            "        concession: 2.5\n      coastal_union"),
    "needs a number": ("agreement: {needs: all}", "agreement: {needs: 1, vetoes: [un]}"),
}  # fmt: skip


def _changed(old: str, new: str) -> str:
    assert old in TUTORIAL, old
    return TUTORIAL.replace(old, new, 1)


@pytest.mark.parametrize("slip", sorted(REFUSED))
def test_a_document_the_loader_refuses_the_schema_refuses(slip: str):
    text = _changed(*REFUSED[slip])
    scenario, _ = check_scenario(text, "slip.yaml")
    assert scenario is None, f"the loader accepts {slip}"
    errors = schema_errors(yaml.safe_load(text))
    assert len(errors) == 1, errors or f"the schema accepts {slip}"


@pytest.mark.parametrize("form", sorted(ACCEPTED))
def test_a_form_the_loader_accepts_the_schema_accepts(form: str):
    text = _changed(*ACCEPTED[form])
    scenario, problems = check_scenario(text, "form.yaml")
    assert scenario is not None, [p.format() for p in problems]
    assert schema_errors(yaml.safe_load(text)) == []
