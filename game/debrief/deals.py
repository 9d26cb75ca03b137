"""Side payments and broken agreements in words, for the turn report, the terminal UI and the
debrief alike (one wording everywhere)."""

from __future__ import annotations

from collections.abc import Iterable

from game.debrief.conditions import condition_text
from game.engine.report import Breach
from game.numbers import number, possessive
from game.scenario.compiled import Scenario

Transfers = Iterable[tuple[str, Iterable[tuple[str, int]]]]


def transfer_words(scenario: Scenario, transfers: Transfers) -> str:
    """'7 Funding to Valley militia, 2 Logistics to Government' ('' for none)."""
    m = scenario.model
    parts = []
    for party, units in transfers:
        who = m.stakeholders[party].name if party in m.stakeholders else party
        for rid, n in units:
            label = m.resources[rid].label if rid in m.resources else rid
            parts.append(f"{number(n)} {label} to {who}")
    return ", ".join(parts)


def condition_words(scenario: Scenario, party: str | None, condition: str) -> str:
    """'Valley militia's condition (trust with Valley militia ≥ 35)', or 'its condition (...)'."""
    whose = "its" if party is None else possessive(scenario.model.stakeholders[party].name)
    return f"{whose} condition ({condition_text(scenario, condition)})"


def breach_words(scenario: Scenario, breach: Breach, turn_name: str = "") -> str:
    """'Valley ceasefire broke: Valley militia's condition (...) failed; talks reopen until
    Week 7.' (`turn_name` names the reopened deadline; a number otherwise)."""
    label = scenario.disagreements[breach.disagreement].label
    why = condition_words(scenario, breach.party, breach.condition)
    if breach.reopened_deadline is None:
        then = "it stays closed"
    elif breach.reopened_deadline > scenario.model.turns:
        then = "talks reopen until the end of the game (their new deadline falls after it)"
    else:
        then = f"talks reopen until {turn_name or f'turn {breach.reopened_deadline}'}"
    return f"{label} broke: {why} failed; {then}."
