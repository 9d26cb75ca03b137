"""Each slip an instructor makes gets a message that says how to fix it, located where it was
made, under a path written like every other message's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.scenario import check_scenario

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = (ROOT / "scenarios" / "tutorial.yaml").read_text()


def errors_after(old: str, new: str) -> list[str]:
    assert old in TUTORIAL, old
    _, problems = check_scenario(TUTORIAL.replace(old, new, 1), "t.yaml")
    return [p.format() for p in problems if p.severity == "error"]


def line_of(text: str) -> int:
    return TUTORIAL[: TUTORIAL.index(text)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "opens: {turn: 3}",
            "opens: 3",
            "disagreements.patrol_plan.opens: expected a mapping of keys and values, found the "
            "number 3; write opens: {turn: 3}",
        ),
        (
            "agreement: {needs: all}",
            "agreement: 2",
            "disagreements.patrol_plan.agreement: expected a mapping of keys and values, found "
            "the number 2; write agreement: {needs: 2}",
        ),
        (
            "{metric: cooperation, add: -2}",
            "{metric: un, add: -2}",
            "rules.2.effects.0: unknown metric 'un'; 'un' is a partner; use 'trust: un'",
        ),
        (
            "{metric: cooperation, add: -2}",
            "{metric: funding, add: -2}",
            "rules.2.effects.0: unknown metric 'funding'; 'funding' is a resource; "
            "use 'resource: funding'",
        ),
        (
            "{metric: cooperation, add: -2}",
            "{resource: cooperation, add: -2}",
            "rules.2.effects.0: unknown resource 'cooperation'; 'cooperation' is a metric; "
            "use 'metric: cooperation'",
        ),
        (
            "partners: [open_hands]",
            "partners: [funding]",
            "strategies.aid_compact.partners: unknown stakeholder 'funding'; 'funding' is a "
            "resource",
        ),
        (
            'requires: "trust.open_hands >= 50 and res.funding >= 3"',
            'requires: "open_hands >= 50"',
            "events.flooded_crossing.choices.ask_open_hands.requires: unknown name 'open_hands' "
            "(did you mean 'trust.open_hands'?)",
        ),
        (
            "{metric: cooperation, add: -2}",
            "{metric: cooperation, add: null}",
            "rules.2.effects.0: 'add' is empty; write a formula or a number after 'add:'",
        ),
    ],
    ids=["opens", "agreement", "partner", "resource", "metric", "not-a-partner", "bare", "empty"],
)
def test_a_slip_gets_a_message_that_says_the_fix(old: str, new: str, message: str):
    found = errors_after(old, new)
    assert [m.split(": error: ", 1)[1] for m in found] == [message]
    assert found[0].startswith(f"t.yaml:{line_of(old)}:")


def test_negotiation_slips_are_reported_under_the_full_path():
    """The preferences' slips are written like every other message: from the top of the file
    down to the key at fault, not `patrol_plan.un:`."""
    found = errors_after("weights: {lead: 0.6, hours: 0.4}", "weights: {lead: 0.6}")
    found += errors_after("joint: 0.7,", "joint: 1.7,")
    found += errors_after("parties: [un, coastal_union]", "parties: [un, coastal_union, un]")
    assert [m.split(": error: ", 1)[1] for m in found] == [
        "disagreements.patrol_plan.preferences.un.weights: no weight for issue 'hours'",
        "disagreements.patrol_plan.preferences.un.values.lead.joint: value 1.7 is outside 0..1",
        "disagreements.patrol_plan.parties.2: party 'un' is listed twice",
    ]


def test_every_shape_and_reference_message_starts_with_a_dotted_path():
    """One path style: `section.id.key: message`, never a bare id."""
    slips = [
        ("weights: {lead: 0.6, hours: 0.4}", "weights: {lead: 0.6, hours: -0.4}"),
        (
            "reservation: 0.55\n        aspiration: 0.9",
            "reservation: 0.95\n        aspiration: 0.9",
        ),
        ("    deadline: 5", "    deadline: 2"),
        ("      lead.joint:", "      lead.jointly:"),
        ("proposal_cost: {political_capital: 1}", "proposal_cost: {political_capital: -1}"),
        ("agreement: {needs: all}", "agreement: {needs: 2, vetoes: [open_hands]}"),
    ]
    for old, new in slips:
        found = errors_after(old, new)
        assert found, new
        for message in found:
            text = message.split(": error: ", 1)[1]
            assert re.match(r"(disagreements|strategies)\.[a-z_]+\.[a-z_0-9.]+: ", text), text
