"""Words and numbers for the screens: labels, signed amounts, previews, ledgers (no Textual)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from game.debrief.chart import SPARKS
from game.debrief.conditions import condition_text
from game.numbers import change_shown as change_shown
from game.numbers import moved as moved
from game.numbers import number as number
from game.numbers import quantity
from game.numbers import signed as signed

if TYPE_CHECKING:
    from game.engine import Change, Game, Preview, TurnReport
    from game.scenario.compiled import Scenario

TINY = 1e-9

KINDS = {
    "nation": "nation",
    "international_org": "international org.",
    "regional_org": "regional org.",
    "ngo": "NGO",
    "private": "private company",
    "local": "local actor",
    "bilateral": "bilateral",
    "multilateral": "multilateral",
    "regional": "regional",
    "public_private": "public–private",
}


def leaves_text(below: float | None, before: str = "") -> str:
    """'walks out below 35' for a partner's `withdraws_below` ('' when it never leaves)."""
    return "" if below is None else f"{before}walks out below {number(below)}"


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " "))


def turn_title(scenario: Scenario, turn: int) -> str:
    """'Month 2 of 12'."""
    label = scenario.model.turn_label
    return f"{label[:1].upper()}{label[1:]} {turn} of {scenario.model.turns}"


def turn_name(scenario: Scenario, turn: int) -> str:
    """'Month 2' (or 'month 2' inside a sentence: lower it yourself)."""
    label = scenario.model.turn_label
    return f"{label[:1].upper()}{label[1:]} {turn}"


def humanize(identifier: str) -> str:
    return identifier.replace("_", " ").capitalize()


def target_label(scenario: Scenario, key: str) -> str:
    """The label of a preview key such as 'metric:stability' or 'trust:au'."""
    kind, _, ident = key.partition(":")
    m = scenario.model
    if kind == "metric" and ident in m.metrics:
        return m.metrics[ident].label
    if kind == "trust" and ident in m.stakeholders:
        return f"trust of {m.stakeholders[ident].name}"
    if kind == "resource" and ident in m.resources:
        return m.resources[ident].label
    if kind == "income" and ident in m.resources:
        return f"{m.resources[ident].label} income"
    return humanize(ident)


# Expressions in the trainee's words live with the debrief, which the core may import: the
# briefing, the dashboard and the after-action review all read them the same way.
condition = condition_text


def amounts(
    scenario: Scenario,
    values: Mapping[str, float] | Iterable[tuple[str, float]],
    units: bool = True,
) -> str:
    """'3 Political capital, 5 Funding ($M)', or 'nothing'."""
    items = values.items() if isinstance(values, Mapping) else values
    parts = []
    for rid, amount in items:
        res = scenario.model.resources.get(rid)
        label = res.label if res else humanize(rid)
        unit = f" ({res.unit})" if units and res and res.unit else ""
        parts.append(f"{quantity(amount, label)}{unit}")
    return ", ".join(parts) if parts else "nothing"


def effect_text(scenario: Scenario, effect: Any) -> str:
    """One effect of the scenario file (a model Effect) in words: 'trust of UN, AU -10'."""
    m = scenario.model
    if effect.reveal is not None:
        return reveal_text(scenario, effect)
    if effect.metric is not None:
        target = m.metrics[effect.metric].label if effect.metric in m.metrics else effect.metric
    elif effect.trust is not None:
        ids = [effect.trust] if isinstance(effect.trust, str) else list(effect.trust)
        names = {"all": "every partner", "parties": "the parties"}
        target = "trust of " + ", ".join(
            names.get(i) or (m.stakeholders[i].name if i in m.stakeholders else i) for i in ids
        )
    elif effect.resource is not None:
        res = m.resources.get(effect.resource)
        target = res.label if res else effect.resource
    else:
        target = f"flag {effect.flag}"
    value = effect.add if effect.add is not None else effect.set
    if isinstance(value, bool) or not isinstance(value, int | float):
        # A formula reads as a number would: "Mission stability -0.5 × months open".
        said = condition(scenario, value)
        if effect.add is None:
            amount = f"set to {said}"
        else:
            amount = said if said.startswith(("-", "−", "+")) else f"+{said}"
    else:
        amount = signed(value) if effect.add is not None else f"set to {number(value)}"
    return f"{target} {amount}"


def reveal_text(scenario: Scenario, effect: Any) -> str:
    """A `reveal` effect in words: 'reveals the priorities of Government in Mandate scope'."""
    m = scenario.model
    ids = [effect.reveal] if isinstance(effect.reveal, str) else list(effect.reveal)
    who = ", ".join(
        "every party" if i in ("all", "parties") else
        (m.stakeholders[i].name if i in m.stakeholders else i)
        for i in ids
    )  # fmt: skip
    what = {
        "weights": "the priorities",
        "options": "the preferred options",
        "all": "the priorities and preferred options",
    }[effect.what or "all"]
    talks = m.disagreements.get(effect.disagreement or "")
    return f"reveals {what} of {who} in {talks.label if talks else effect.disagreement}"


def preview_lines(scenario: Scenario, preview: Preview, difficulty: str) -> list[str]:
    """A forecast by difficulty: intro exact effects, standard directions, hard nothing."""
    if difficulty == "hard":
        return ["No forecast at this difficulty: read the turn report."]
    if not preview.ok:
        return []
    order = {"metric": 0, "trust": 1, "resource": 2}
    keys = sorted(preview.deltas, key=lambda k: order.get(k.partition(":")[0], 3))
    out = []
    for key in keys:
        delta = preview.deltas[key]
        if abs(delta) < TINY:
            continue
        label = target_label(scenario, key)
        if difficulty == "intro":
            out.append(f"{label} {signed(delta)}")
        else:
            out.append(f"{label} {'↑' if delta > 0 else '↓'}")
    return out or ["No visible effect this turn."]


def delayed_lines(scenario: Scenario, preview: Preview, difficulty: str) -> list[str]:
    """A forecast's delayed effects, saying when they come: 'Logistics units +2 next month',
    'Funding -5 upkeep each month from next month' (directions only at standard, nothing at
    hard)."""
    if difficulty == "hard" or not preview.ok:
        return []
    turn = scenario.model.turn_label
    out = []
    for deltas, when in (
        (preview.next_turn, f"next {turn}"),
        (preview.upkeep, f"upkeep each {turn} from next {turn}"),
    ):
        for key, delta in deltas.items():
            if abs(delta) < TINY:
                continue
            shown = signed(delta) if difficulty == "intro" else ("↑" if delta > 0 else "↓")
            out.append(f"{target_label(scenario, key)} {shown} {when}")
    return out


def forecast(scenario: Scenario, preview: Preview, difficulty: str, head: str) -> str:
    """'If activated, this month: Legitimacy +1, Political capital -3 · later: Logistics units
    +2 next month, Funding -4 upkeep each month from next month'."""
    now = ", ".join(preview_lines(scenario, preview, difficulty))
    later = delayed_lines(scenario, preview, difficulty)
    return f"{head}: {now}" + (f" · later: {', '.join(later)}" if later else "")


def grouped(changes: Iterable[Change]) -> list[tuple[str, float]]:
    """Changes summed by cause, largest first (the sum equals the movement)."""
    groups: dict[str, float] = {}
    for change in changes:
        cause = change.cause or "Unexplained"
        if change.note:
            cause = f"{cause} ({change.note})"
        groups[cause] = groups.get(cause, 0.0) + float(change.amount)
    items = [(cause, amount) for cause, amount in groups.items() if abs(amount) > TINY]
    return sorted(items, key=lambda item: -abs(item[1]))


def stock_causes(scenario: Scenario, changes: Iterable[Change]) -> list[tuple[str, float]]:
    """A stock's changes summed by cause, largest first, the partners' contributions as one
    line: 'partners (United Nations +20, African Union +17)'. Changes that arrive later are
    left out (they move the stock next turn)."""
    givers = {f"Contribution: {p.name}": p.name for p in scenario.model.stakeholders.values()}
    now = [c for c in changes if not c.later]
    given = [(givers[c.cause], c.amount) for c in now if c.cause in givers and not c.note]
    rest = grouped(c for c in now if c.cause not in givers or c.note)
    if given:
        each = ", ".join(f"{name} {signed(amount)}" for name, amount in given)
        total = float(sum(amount for _, amount in given))
        rest.append((f"partners ({each})" if len(given) > 1 else f"partner ({each})", total))
        rest.sort(key=lambda item: -abs(item[1]))
    return rest


def movement(report: TurnReport, kind: str, target: str) -> tuple[float, float]:
    """(before, after) of a metric, a partner's trust or a stock across a turn."""
    if kind == "metric":
        return float(report.metrics_before[target]), float(report.metrics_after[target])
    if kind == "resource":
        return float(report.resources_before[target]), float(report.resources_after[target])
    return float(report.trust_before[target]), float(report.trust_after[target])


def bar(value: float, low: float, high: float, width: int) -> str:
    """A text bar, readable without colour: ██████░░░░."""
    span = high - low
    share = 0.0 if span <= 0 else min(1.0, max(0.0, (value - low) / span))
    full = round(share * width)
    return "█" * full + "░" * (width - full)


def spark(values: list[float]) -> str:
    """One block per value, scaled between the lowest and highest (a span of at least 10).
    (game.debrief.chart.sparkline scales to the measure's bounds instead, for a whole game.)"""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high - low < 10:
        middle = (high + low) / 2
        low, high = middle - 5, middle + 5
    top = len(SPARKS) - 1
    return "".join(SPARKS[round((v - low) / (high - low) * top)] for v in values)


def changes_summary(scenario: Scenario, changes: Iterable[Change]) -> str:
    """The first few changes an action made at once: 'Done: Political capital -3, ...'."""
    bits = []
    for change in list(changes)[:4]:
        if change.kind == "flag":
            continue
        bits.append(
            f"{target_label(scenario, f'{change.kind}:{change.target}')} {signed(change.amount)}"
        )
    return "Done: " + ", ".join(bits) if bits else "Done."


def event_effects(game: Game, eid: str, choice: str | None = None) -> str:
    """What an event (or the choice made on it) changed this turn, from the turn's ledger:
    'Civilian protection -2 · Logistics units -2'; '' when it changed nothing."""
    s = game.s
    ev = s.events[eid]
    effects = ev.choices[choice].effects if choice is not None else ev.effects
    lines = {e.line for e in effects}
    # An effect's own note is worth showing; the cause every effect of it shares is not.
    usual = ev.title if choice is None else f"{ev.title}: {ev.choices[choice].label}"
    bits = [
        f"{target_label(s, f'{c.kind}:{c.target}')} {signed(c.amount)}"
        + "".join(f" ({why})" for why in (c.cause if c.cause != usual else "", c.note) if why)
        for c in game.changes_now
        if c.line in lines and c.kind != "flag"
    ]
    return " · ".join(bits)


def breach_turn_words(game: Game, did: str) -> str:
    """The resolution at which a held agreement's conditions are next checked: this turn's,
    or next turn's on the turn it was agreed (never checked on that turn)."""
    label = game.s.model.turn_label
    agreed = game.state.disagreements[did].agreed_turn
    return f"next {label}" if agreed >= game.state.turn else f"this {label}"


def end_turn_reminders(game: Game) -> list[str]:
    """What the trainee may have forgotten before ending the turn (from the scenario's data)."""
    state, s = game.state, game.s
    out = []
    left = {r: n for r, n in state.resources.items() if n and not s.model.resources[r].carry}
    if left:
        out.append(f"Not allocated, and not carried over to the next turn: {amounts(s, left)}.")
    for did, status in state.disagreements.items():
        if status.status == "open" and game.deadline_of(did) == state.turn:
            out.append(f"{s.disagreements[did].label} fails at the end of this turn unless agreed.")
        checked_now = status.agreed_turn < state.turn  # never on the turn of agreement
        if (
            status.status == "agreed"
            and checked_now
            and not all(ok for _, _, ok in game.holds_now(did))
        ):
            out.append(
                f"{s.disagreements[did].label} breaks at this turn's resolution unless its "
                "conditions hold again by then."
            )
    for eid in state.pending:
        out.append(f"{s.events[eid].title} will lapse: none of its choices is open.")
    return out
