"""`accord graph`: the map of a scenario, in Mermaid, DOT and text; the authoring guide's
picture is what the command prints today."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.library import load_scenario
from game.scenario import parse_scenario
from game.scenario.graph import dot, mermaid, scenario_graph, text

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
ACCORD = [sys.executable, "-m", "game"]


def accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ACCORD, *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_the_guides_picture_is_what_accord_graph_prints_today():
    """Regenerate with `accord graph tutorial` between the marker and the end of its block."""
    guide = GUIDE.read_text(encoding="utf-8")
    found = re.search(r"<!-- graph: tutorial -->\n```mermaid\n(.*?)```\n", guide, re.S)
    assert found, "the guide shows no map of the tutorial"
    result = accord("graph", "tutorial")
    assert result.returncode == 0, result.stderr
    assert found.group(1) == result.stdout


def test_the_text_map_says_what_each_part_reads_and_changes():
    lines = text(scenario_graph(load_scenario(ROOT / "scenarios" / "tutorial.yaml"))).splitlines()
    part = lines.index("rule 5 (Partners drift apart)")
    assert lines[part + 1 : part + 3] == [
        "  depends on: metric cooperation",
        "  changes: partner coastal_union, partner un, metric stability",
    ]
    event = lines.index("event flooded_crossing (Flooded crossing)")
    assert lines[event + 1].startswith("  offers: choice flooded_crossing.ask_open_hands, ")
    choice = lines.index("choice flooded_crossing.send_troops (Send troops to build a crossing)")
    assert lines[choice + 1 : choice + 3] == [
        "  depends on: resource troops",
        "  changes: resource troops, metric local_support, metric stability",
    ]
    summit = lines.index("event regional_summit (Regional summit)")
    assert lines[summit + 1] == "  depends on: talks patrol_plan"  # when: agreed.patrol_plan
    outcome = lines.index("outcome patrol_plan.lead.un_lead (Who leads: UN command)")
    assert lines[outcome + 1] == "  changes: partner coastal_union, resource funding"
    ending = lines.index("ending calm_valley (Calm valley)")
    assert lines[ending + 1] == "  depends on: metric local_support, metric stability"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_arrow_joins_declared_nodes(path: Path):
    graph = scenario_graph(load_scenario(path))
    drawn = mermaid(graph)
    declared = set(re.findall(r"^  (\w+)[\[\(\{>]", drawn, re.M))
    arrows = re.findall(r"^  (\w+) (?:-->|-\.->|===) (\w+)$", drawn, re.M)
    assert arrows and len(declared) == len(graph.labels)
    assert {a for a, _ in arrows} | {b for _, b in arrows} <= declared
    written = dot(graph)
    assert written.count(" -> ") == len(arrows) and written.rstrip().endswith("}")


def test_labels_from_the_scenario_cannot_break_the_picture_or_the_terminal():
    hostile = 'Say "hi" #1 \x1b[31m'
    scenario = parse_scenario(
        "format: accord/1\nid: x\ntitle: 'T: \"t\"'\nturns: 2\n"
        f"metrics: {{m: {{label: {hostile!r}, start: 1, headline: true}}}}\n"
        "rules: [{label: r, effects: [{metric: m, add: 1}]}]\n"
        "endings: {e: {check: at_end, when: 'true'}}\nscoring: {score: m}\n",
        "x.yaml",
    )
    graph = scenario_graph(scenario)
    drawn = mermaid(graph, scenario.model.title)
    assert 'metric_m(["Say #quot;hi#quot; #35;1 \\x1b[31m"])' in drawn
    assert 'title: "T: \\"t\\""' in drawn
    assert '[label="Say \\"hi\\" #1 \\\\x1b[31m", shape=ellipse]' in dot(graph)
    assert "\x1b" not in drawn + dot(graph) + text(graph)


def test_the_command_refuses_what_it_cannot_draw():
    missing = accord("graph", "no_such_scenario")
    assert missing.returncode == 2 and "no scenario with this id" in missing.stderr
    broken = accord("graph", "tests/fixtures/bad/tabs_in_yaml.yaml")
    assert broken.returncode == 1 and "tabs_in_yaml.yaml:4:1: error:" in broken.stderr
    assert "Traceback" not in missing.stderr + broken.stderr
    drawn = accord("graph", "hybrid_mandate", "--format", "dot")
    assert drawn.returncode == 0 and drawn.stdout.startswith("digraph scenario {")
