"""How a value reads to a trainee, the same on every screen and in every review: whole when it
is (nearly) whole, else one decimal; a change with its sign (no Textual, no files)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def number(x: float) -> str:
    """A value as a trainee reads it: whole when it is (nearly) whole, else one decimal."""
    value = float(x)
    if abs(value - round(value)) < 0.05:
        return str(round(value))
    return f"{value:.1f}"


def signed(x: float) -> str:
    """A change with its sign: +2.4, -1, 0."""
    text = number(x)
    if text == "0":
        return "0"
    return text if text.startswith("-") else f"+{text}"


def change_shown(before: float, after: float) -> str:
    """A movement's change worked out from the values as shown (to one decimal), so what a
    trainee reads adds up on every screen: 64.4 → 67.4 is +3, not +2.9."""
    return signed(round(float(after), 1) - round(float(before), 1))


def shown_amounts(amounts: Sequence[float], before: float, after: float) -> list[float]:
    """A movement's causes to one decimal, adding up to the change shown for it
    (`change_shown`): each rounded down to a tenth, then the tenths still missing given to
    those rounded down the most. A lone cause of 76.9 → 78.5 reads +1.6, as the movement does,
    not +1.7 (its 1.658 rounded alone). Amounts that are not that movement's causes (their sum
    more than a tenth away) are each only rounded."""
    total = round(round(float(after), 1) * 10) - round(round(float(before), 1) * 10)
    exact = [float(a) * 10 for a in amounts]
    if not exact or abs(sum(exact) - total) >= 1:
        return [round(float(a), 1) for a in amounts]
    tenths = [math.floor(x) for x in exact]
    missing = total - sum(tenths)  # 0 to len(amounts): each one lost less than a tenth
    most_lost = sorted(range(len(exact)), key=lambda i: tenths[i] - exact[i])
    for i in most_lost[:missing]:
        tenths[i] += 1
    return [t / 10 for t in tenths]


def possessive(name: str) -> str:
    """A name's possessive: "Valley militia's", "United Nations'" (a name ending in s)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def verdict_places(value: float, floor: float, accepted: bool, least: int = 2) -> int:
    """Decimal places that show a package's value beside the value a party accepts from so that
    they read as the verdict does: 2 (`least`) when they do, more when two places would show a
    refused 0.578 as "0.58" beside "0.58 or more" (at most 6)."""
    places = least
    while places < 6 and (round(value, places) >= round(floor, places)) != accepted:
        places += 1
    return places


def moved(before: float, after: float) -> str:
    """A movement as `before → after (change)`, the change as `change_shown` gives it."""
    return f"{number(before)} → {number(after)} ({change_shown(before, after)})"


# Words after which a label's head noun has come: "Warships on station" is counted in warships.
_AFTER_HEAD = frozenset({"on", "of", "for", "in", "at", "to", "from", "with", "per", "by"})


def singular(label: str) -> str:
    """A label for one of it: its head noun (the last word, or the word before "on", "of"...)
    made singular by the usual English endings; a label that is no plural stays as it is:
    'Logistics units' → 'Logistics unit', 'Warships on station' → 'Warship on station',
    'Troop companies' → 'Troop company', 'Funding' and 'Patrol aircraft' unchanged."""
    words = label.split(" ")
    head = next((i - 1 for i, w in enumerate(words) if i and w.lower() in _AFTER_HEAD), None)
    head = len(words) - 1 if head is None else head
    word = words[head]
    lower = word.lower()
    if len(word) > 4 and lower.endswith("ies"):
        word = word[:-3] + ("Y" if word[-3:].isupper() else "y")
    elif lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 2:
        word = word[:-1]
    words[head] = word
    return " ".join(words)


def quantity(amount: float, label: str) -> str:
    """An amount and what it counts, agreeing: '1 Logistics unit', '3 Logistics units'."""
    shown = number(amount)
    return f"{shown} {singular(label) if shown.lstrip('-') == '1' else label}"
