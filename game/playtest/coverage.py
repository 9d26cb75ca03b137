"""Coverage: which of a scenario's events, choices, strategies, agreements, endings and lessons
a batch of games reached, how often, and where in the file the never-reached ones are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from game.engine import Activate, Game
from game.scenario import Scenario

KINDS = ("events", "choices", "strategies", "agreements", "endings", "lessons")
_NOUN = {
    "events": "event",
    "choices": "choice",
    "strategies": "strategy",
    "agreements": "agreement on",
    "endings": "ending",
    "lessons": "lesson",
}


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of content that a game may reach: `kind.key`, with where it is written."""

    kind: str
    key: str
    line: int
    label: str

    @property
    def name(self) -> str:
        return f"{self.kind}.{self.key}"

    def describe(self) -> str:
        return f"{_NOUN[self.kind]} {self.key}" + (f" ({self.label})" if self.label else "")


def inventory(scenario: Scenario) -> list[Item]:
    """Everything coverage counts, kind by kind, in file order."""
    s = scenario
    items = [Item("events", eid, ev.line, ev.title) for eid, ev in s.events.items()]
    items += [
        Item("choices", f"{eid}.{cid}", c.line, c.label)
        for eid, ev in s.events.items()
        for cid, c in ev.choices.items()
    ]
    items += [Item("strategies", sid, st.line, st.label) for sid, st in s.strategies.items()]
    items += [Item("agreements", did, d.line, d.label) for did, d in s.disagreements.items()]
    items += [Item("endings", eid, e.line, e.title) for eid, e in s.endings.items()]
    items += [
        Item("lessons", str(lesson.index), lesson.line, _short(lesson.text)) for lesson in s.lessons
    ]
    return items


def reached(game: Game) -> set[str]:
    """What one game reached, as `kind.key` names (a game counts each item once)."""
    out: set[str] = set()
    add = out.add
    for report in game.reports:
        for e in report.events:
            add("events." + e)
        for e, c in report.choices:
            add(f"choices.{e}.{c}")
        for d in report.agreed:
            add("agreements." + d)
    for a in game.actions:
        if type(a) is Activate:
            add("strategies." + a.strategy)
    if game.ending is not None:
        add("endings." + game.ending)
    for i in game.lesson_indices():
        add(f"lessons.{i}")
    return out


def coverage_json(scenario: Scenario, counts: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """The `coverage` object: for each kind, every item of the scenario with its game count."""
    out: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    for item in inventory(scenario):
        out[item.kind][item.key] = counts.get(item.name, 0)
    return out


def never_reached(scenario: Scenario, counts: Mapping[str, int]) -> list[Item]:
    return [item for item in inventory(scenario) if not counts.get(item.name)]


def merge(counters: Iterable[Mapping[str, int]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for counts in counters:
        total.update(counts)
    return total


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
