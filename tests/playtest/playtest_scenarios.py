"""Tiny inline scenarios for the playtest tests, each built so its outcomes are known."""

from __future__ import annotations

import sys
from pathlib import Path

ACCORD = Path(sys.executable).parent / "accord"

HEADER = """
format: accord/1
id: {id}
title: "{title}"
summary: "A scenario for the playtest tests."
difficulty: intro
turns: {turns}
turn_label: turn
seed: 1
briefing: "Test."
"""

# Reachable by construction: the turn-1 event and its only open choice, the pact, the
# agreement on `accord` (both parties want option x), the ending `done`, lesson 0.
# Unreachable by construction: the event `never` (turn 5 of 3), the choice `opening.stay`
# (trust with the rival never reaches 99), the strategy `dream` (same), the agreement on
# `deal` (the parties want opposite options), the ending `calm_end`, lesson 1.
COVERAGE = (
    HEADER.format(id="tiny", title="Tiny", turns=3)
    + """
metrics:
  calm: {label: Calm, start: 50, headline: true}
resources:
  effort: {label: Effort, per_turn: 2}
  capital: {label: Capital, per_turn: 1, carry: true}
stakeholders:
  ally: {name: Ally, kind: nation, trust: 50, provides: {}}
  rival: {name: Rival, kind: nation, trust: 50, provides: {}}
lines_of_effort:
  patrol:
    label: Patrol
    accepts: [effort]
    effects: [{metric: calm, add: "alloc.patrol.effort"}]
strategies:
  pact:
    label: Pact
    kind: bilateral
    partners: [ally]
    cost: {capital: 1}
    each_turn: [{metric: calm, add: 1}]
  dream:
    label: Impossible dream
    kind: bilateral
    partners: [rival]
    requires: "trust.rival >= 99"
    each_turn: [{metric: calm, add: 1}]
disagreements:
  accord:
    label: Easy accord
    parties: [ally, rival]
    opens: {turn: 1}
    deadline: 3
    issues: {terms: {label: Terms, options: {x: X, y: Y}}}
    preferences:
      ally: {weights: {terms: 1}, values: {terms: {x: 1.0, y: 0.0}}, reservation: 0.5}
      rival: {weights: {terms: 1}, values: {terms: {x: 1.0, y: 0.0}}, reservation: 0.5}
  deal:
    label: Hopeless deal
    parties: [ally, rival]
    opens: {turn: 1}
    deadline: 3
    issues: {terms: {label: Terms, options: {a: A, b: B}}}
    preferences:
      ally: {weights: {terms: 1}, values: {terms: {a: 1.0, b: 0.0}}, reservation: 0.5}
      rival: {weights: {terms: 1}, values: {terms: {a: 0.0, b: 1.0}}, reservation: 0.5}
events:
  opening:
    title: Opening
    text: "The first turn."
    turn: 1
    choices:
      go: {label: Go, effects: [{metric: calm, add: 1}]}
      stay: {label: Stay, requires: "trust.rival >= 99", effects: [{metric: calm, add: -1}]}
  never:
    title: Never
    text: "Turn 5 of a 3-turn scenario."
    turn: 5
    effects: [{metric: calm, add: 1}]
endings:
  calm_end: {check: each_turn, when: "calm < 0", grade: F, text: "Impossible."}
  done: {check: at_end, when: "true", text: "Done."}
scoring:
  score: "final(calm)"
  grades: {A: 80, B: 65, C: 50, D: 35}
lessons:
  - {when: "true", text: "Always."}
  - {when: "calm < 0", text: "Never."}
"""
)

# A dominant line by construction: `good` turns effort into calm, `bad` wastes it. The
# ending `won` needs most of the effort in `good` on every turn.
DOMINANT = (
    HEADER.format(id="lopsided", title="Lopsided", turns=4)
    + """
metrics:
  calm: {label: Calm, start: 0, headline: true}
resources:
  effort: {label: Effort, per_turn: 4}
stakeholders:
  ally: {name: Ally, kind: nation, trust: 50, provides: {}}
lines_of_effort:
  good:
    label: Good work
    accepts: [effort]
    effects: [{metric: calm, add: "5 * alloc.good.effort"}]
  bad:
    label: Busy work
    accepts: [effort]
    effects: [{metric: calm, add: "0"}]
endings:
  won: {check: at_end, when: "calm >= 40", text: "Won."}
  done: {check: at_end, when: "true", text: "Done."}
scoring:
  score: "mean(calm)"
  grades: {A: 80, B: 65, C: 50, D: 35}
"""
)
