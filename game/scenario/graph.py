"""A map of a scenario: what writes and what reads what, for an instructor to look at.

Lines of effort, strategies, events and their choices, talks (disagreements) and rules write
metrics, trust, stocks and flags; conditions and formulas read them; endings and the score
read what the game leaves. An arrow `A --> B` means A changes B; a dotted arrow `A -.-> B`
means B depends on A (reads it in a condition or formula, or is fed by it: a partner gives a
stock, a line takes resources, a strategy costs them); a thick line joins an event to the
choices it offers, and talks to the outcomes an agreement on each option brings.
Rendered as Mermaid (which GitHub and many editors draw), Graphviz DOT, or plain text.

Pure: text in, text out. Every label from the scenario is escaped for its format, with
control characters written as escapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from game.safe_text import printable
from game.scenario.compiled import CEffect, Scenario
from game.scenario.expr import Compiled
from game.scenario.models import Target
from game.scenario.names import FLAG, RES, TRUST

Node = tuple[str, str]  # (kind, id)

# Each kind in the order shown, with its word and its Mermaid and DOT shapes.
KINDS: dict[str, tuple[str, str, str]] = {
    "line": ("line of effort", '["{}"]', "box"),
    "strategy": ("strategy", '[["{}"]]', "box3d"),
    "talks": ("talks", '{{{{"{}"}}}}', "hexagon"),
    "outcome": ("outcome", '("{}")', "box"),
    "event": ("event", '{{"{}"}}', "diamond"),
    "choice": ("choice", '("{}")', "box"),
    "rule": ("rule", '[/"{}"/]', "parallelogram"),
    "partner": ("partner", '[/"{}"\\]', "trapezium"),
    "resource": ("resource", '[("{}")]', "cylinder"),
    "metric": ("metric", '(["{}"])', "ellipse"),
    "flag": ("flag", '>"{}"]', "note"),
    "ending": ("ending", '((("{}")))', "doublecircle"),
    "score": ("score", '(("{}"))', "circle"),
}

# What the game keeps (meters, trust, stocks, flags) and how it ends, told apart by colour.
COLOURS = {
    "partner": "fill:#fdebd3,stroke:#b36b00",
    "resource": "fill:#e0ecf8,stroke:#2a5d8f",
    "metric": "fill:#e3f2e1,stroke:#3b7d3b",
    "flag": "fill:#f3e5f5,stroke:#7b3f8c",
    "ending": "fill:#f8e0e0,stroke:#a33333",
    "score": "fill:#f8e0e0,stroke:#a33333",
}


@dataclass
class Graph:
    labels: dict[Node, str] = field(default_factory=dict)
    writes: set[tuple[Node, Node]] = field(default_factory=set)  # A changes B
    reads: set[tuple[Node, Node]] = field(default_factory=set)  # B reads (or is fed by) A
    offers: set[tuple[Node, Node]] = field(default_factory=set)  # an event offers a choice

    def node(self, kind: str, ident: str, label: str) -> Node:
        key = (kind, ident)
        self.labels.setdefault(key, label or ident)
        return key

    def nodes_like(self, kind: str, ident: str) -> Node | None:
        return (kind, ident) if (kind, ident) in self.labels else None

    def read(self, source: Node | None, reader: Node) -> None:
        if source is not None and source != reader:
            self.reads.add((source, reader))

    def write(self, writer: Node, target: Node | None) -> None:
        if target is not None and target != writer:
            self.writes.add((writer, target))


def scenario_graph(s: Scenario) -> Graph:
    """Every writer, reader and target of the scenario, and the arrows between them."""
    m, g = s.model, Graph()
    for mid, metric in m.metrics.items():
        g.node("metric", mid, metric.label)
    for rid, res in m.resources.items():
        g.node("resource", rid, res.label)
    for sid, holder in m.stakeholders.items():
        partner = g.node("partner", sid, holder.name)
        for rid in holder.provides:
            stock = _named(g, s, RES(rid))
            if stock is not None:
                g.read(partner, stock)
    for flag in s.flags:
        g.node("flag", flag, FLAG(flag))
    for did, d in s.disagreements.items():  # first, so that `chose.talks.issue.option` finds them
        for issue, option in d.outcomes:
            written = m.disagreements[did].issues[issue]
            g.node(
                "outcome", f"{did}.{issue}.{option}", f"{written.label}: {written.options[option]}"
            )

    def effects(writer: Node, items: Iterable[CEffect], parties: tuple[str, ...] = ()) -> None:
        for e in items:
            if e.kind is Target.REVEAL:  # it changes what the trainee knows of the talks
                did = e.disagreement
                g.write(writer, g.node("talks", did, s.disagreements[did].label))
                reads(writer, e.when)
                continue
            targets: Iterable[str] = e.ids
            if e.scope == "all":
                targets = m.stakeholders
            elif e.scope == "parties":
                targets = parties
            for ident in targets:
                g.write(writer, _target(g, s, e.kind, ident))
            reads(writer, e.value, e.when)

    def reads(reader: Node, *compiled: Compiled | None) -> None:
        for c in compiled:
            for name in sorted(c.names) if c is not None else ():
                g.read(_named(g, s, name), reader)

    for lid, line in s.lines.items():
        node = g.node("line", lid, line.label)
        for rid in line.accepts:
            g.read(_named(g, s, RES(rid)), node)
        effects(node, line.effects)
    for sid, st in s.strategies.items():
        node = g.node("strategy", sid, st.label)
        for ally in st.partners:
            g.read(_named(g, s, TRUST(ally)), node)
        for rid, _ in (*st.cost, *st.upkeep):
            g.read(_named(g, s, RES(rid)), node)
        reads(node, st.requires)
        effects(node, (*st.each_turn, *st.on_activate, *st.on_early_end))
    for did, d in s.disagreements.items():
        node = g.node("talks", did, d.label)
        for party in d.parties:
            g.read(_named(g, s, TRUST(party)), node)
        for rid, _ in d.proposal_cost:
            g.read(_named(g, s, RES(rid)), node)
        reads(node, d.opens_when, d.holds_while)
        reads(node, *(pref.holds_while for pref in d.preferences.values()))
        for pref in d.preferences.values():
            for rid in pref.side_payments:  # side payments come out of the stock
                g.read(_named(g, s, RES(rid)), node)
        effects(node, (*d.pressure, *d.on_agree, *d.on_fail, *d.on_breach), d.parties)
        for (issue, option), agreed in d.outcomes.items():
            outcome = g.node("outcome", f"{did}.{issue}.{option}", "")
            g.offers.add((node, outcome))
            effects(outcome, agreed, d.parties)
    for eid, ev in s.events.items():
        node = g.node("event", eid, ev.title)
        reads(node, ev.when)
        effects(node, ev.effects)
        for cid, choice in ev.choices.items():
            answer = g.node("choice", f"{eid}.{cid}", choice.label)
            g.offers.add((node, answer))
            reads(answer, choice.requires)
            effects(answer, choice.effects)
    for i, rule in enumerate(s.rules):
        node = g.node("rule", str(i + 1), rule.label)
        reads(node, rule.when)
        effects(node, rule.effects)
    for eid, ending in s.endings.items():
        reads(g.node("ending", eid, ending.title), ending.when)
    reads(g.node("score", "score", "score"), s.score)
    return g


# The name an effect's target is read by, by the target's kind; a resource's income is drawn
# as the resource.
def _target(g: Graph, s: Scenario, kind: str, ident: str) -> Node | None:
    match kind:
        case Target.METRIC:
            return _named(g, s, ident)
        case Target.TRUST:
            return _named(g, s, TRUST(ident))
        case Target.RESOURCE | Target.INCOME:
            return _named(g, s, RES(ident))
        case Target.FLAG:
            return _named(g, s, FLAG(ident))
        case Target.REVEAL:  # drawn to the talks by `effects`
            return None
    return None


def _named(g: Graph, s: Scenario, name: str) -> Node | None:
    """The node an expression name reads (None for `turn` and `turns`)."""
    m = s.model
    head, _, rest = name.partition(".")
    first = rest.partition(".")[0]
    if not rest:
        return g.node("metric", name, m.metrics[name].label) if name in m.metrics else None
    if head in ("trust", "withdrawn") and rest in m.stakeholders:
        return g.node("partner", rest, m.stakeholders[rest].name)
    if head in ("res", "income") and rest in m.resources:
        return g.node("resource", rest, m.resources[rest].label)
    if head == "alloc" and first in s.lines:
        return g.node("line", first, s.lines[first].label)
    if head in ("active", "active_turns") and rest in s.strategies:
        return g.node("strategy", rest, s.strategies[rest].label)
    if head == "flag":
        return g.node("flag", rest, name)
    if head == "fired" and rest in s.events:
        return g.node("event", rest, s.events[rest].title)
    if head == "chose" and first in s.events:
        event = s.events[first]
        choice = event.choices.get(rest.partition(".")[2])
        return g.node("choice", rest, choice.label) if choice else None
    if head == "chose" and first in s.disagreements:
        return g.nodes_like("outcome", rest) or g.node("talks", first, s.disagreements[first].label)
    if first in s.disagreements or rest in s.disagreements:
        did = first if first in s.disagreements else rest
        return g.node("talks", did, s.disagreements[did].label)
    return None


# ---- rendering ------------------------------------------------------------------------------


def _order(g: Graph) -> list[Node]:
    kinds = list(KINDS)
    return sorted(g.labels, key=lambda n: (kinds.index(n[0]), n[1]))


def _mermaid_id(node: Node) -> str:
    return f"{node[0]}_{re.sub(r'[^A-Za-z0-9_]', '_', node[1])}"


def _mermaid_label(text: str) -> str:
    # Inside quotes Mermaid reads #...; as an entity: write # and " as entities.
    return printable(text).replace("#", "#35;").replace('"', "#quot;")


def mermaid(g: Graph, title: str = "") -> str:
    out = ["flowchart LR"]
    if title:
        # Front matter is YAML: the title goes in as a JSON string, which YAML reads.
        out.insert(0, f"---\ntitle: {json.dumps(printable(title), ensure_ascii=False)}\n---")
    for node in _order(g):
        shape = KINDS[node[0]][1].format(_mermaid_label(g.labels[node]))
        out.append(f"  {_mermaid_id(node)}{shape}")
    for kind, style in COLOURS.items():
        members = [_mermaid_id(node) for node in _order(g) if node[0] == kind]
        if members:
            out.append(f"  classDef {kind} {style}")
            out.append(f"  class {','.join(members)} {kind}")
    for a, b in sorted(g.writes, key=lambda e: (_mermaid_id(e[0]), _mermaid_id(e[1]))):
        out.append(f"  {_mermaid_id(a)} --> {_mermaid_id(b)}")
    for a, b in sorted(g.offers, key=lambda e: (_mermaid_id(e[0]), _mermaid_id(e[1]))):
        out.append(f"  {_mermaid_id(a)} === {_mermaid_id(b)}")
    for a, b in sorted(g.reads, key=lambda e: (_mermaid_id(e[0]), _mermaid_id(e[1]))):
        out.append(f"  {_mermaid_id(a)} -.-> {_mermaid_id(b)}")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return printable(text).replace("\\", "\\\\").replace('"', '\\"')


def dot(g: Graph, title: str = "") -> str:
    out = ["digraph scenario {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    if title:
        out.append(f'  label="{_dot_text(title)}"; labelloc=t;')
    for node in _order(g):
        shape = KINDS[node[0]][2]
        label = _dot_text(g.labels[node])
        out.append(f'  "{_mermaid_id(node)}" [label="{label}", shape={shape}];')
    for a, b in sorted(g.writes, key=lambda e: (_mermaid_id(e[0]), _mermaid_id(e[1]))):
        out.append(f'  "{_mermaid_id(a)}" -> "{_mermaid_id(b)}";')
    for a, b in sorted(g.offers, key=lambda e: (_mermaid_id(e[0]), _mermaid_id(e[1]))):
        out.append(f'  "{_mermaid_id(a)}" -> "{_mermaid_id(b)}" [style=bold, arrowhead=none];')
    for a, b in sorted(g.reads, key=lambda e: (_mermaid_id(e[0]), _mermaid_id(e[1]))):
        out.append(f'  "{_mermaid_id(a)}" -> "{_mermaid_id(b)}" [style=dashed];')
    out.append("}")
    return "\n".join(out) + "\n"


def text(g: Graph, title: str = "") -> str:
    """One paragraph per part: what it reads and what it changes."""

    def name(node: Node) -> str:
        return f"{KINDS[node[0]][0]} {printable(node[1])}"

    out = [printable(title), ""] if title else []
    order = _order(g)
    rank = {node: i for i, node in enumerate(order)}
    reads: dict[Node, list[Node]] = {}
    changes: dict[Node, list[Node]] = {}
    offers: dict[Node, list[Node]] = {}
    for a, b in g.offers:
        offers.setdefault(a, []).append(b)
    for a, b in g.reads:
        reads.setdefault(b, []).append(a)
    for a, b in g.writes:
        changes.setdefault(a, []).append(b)
    for node in order:
        read = sorted(reads.get(node, ()), key=rank.__getitem__)
        changed = sorted(changes.get(node, ()), key=rank.__getitem__)
        offered = sorted(offers.get(node, ()), key=rank.__getitem__)
        if not read and not changed and not offered:
            continue
        out.append(f"{name(node)} ({printable(g.labels[node])})")
        for word, nodes in (("depends on", read), ("offers", offered), ("changes", changed)):
            if nodes:
                out.append(f"  {word}: " + ", ".join(name(n) for n in nodes))
    return "\n".join(out) + "\n"


FORMATS = {"mermaid": mermaid, "dot": dot, "text": text}
