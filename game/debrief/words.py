"""Sentences and numbers shared by the text and Markdown renderers of the review."""

from __future__ import annotations

from game.debrief.model import (
    PACKAGES_ANALYSED,
    PACKAGES_JUDGED,
    PROPOSALS_JUDGED,
    Benchmark,
    Debrief,
    Goal,
    Move,
    NegotiationReview,
    Outcome,
    Package,
    ProposalView,
    StrategyUse,
)
from game.numbers import moved, number, possessive, signed, verdict_places

CONDITION = {"each_turn": "checked every {unit}", "at_end": "at the end"}
ENDED = {
    "by you": "then ended by you",
    "partner withdrew": "then a partner withdrew",
    "upkeep unpaid": "then its upkeep could not be paid",
}


NO_GOALS = "The scenario sets no ending to aim for or to avoid: the score alone judges the game."


def utility(x: float) -> str:
    return f"{x:.2f}"


def when(d: Debrief, turn: int) -> str:
    return f"{d.turn_label} {turn}"


def title_case(word: str) -> str:
    return word[:1].upper() + word[1:]


def package(d: Debrief, did: str, pkg: Package) -> str:
    return "; ".join(
        f"{d.label(f'issue:{did}.{i}')}: {d.label(f'option:{did}.{i}.{o}')}" for i, o in pkg
    )


def goal(d: Debrief, g: Goal) -> str:
    grade = f" (grade {g.grade})" if g.grade else ""
    check = CONDITION.get(g.check, g.check).format(unit=d.turn_label)
    reached = " — reached" if g.reached else ""
    return f"{g.title}{grade}, {check}: {g.condition_text}{reached}"


def in_progress(d: Debrief) -> str:
    """'game in progress at month 4 of 10 (3 months played)'."""
    played = count(d.turns_played, d.turn_label)
    return f"game in progress at {d.turn_label} {d.turn} of {d.turns_total} ({played} played)"


def progress_line(d: Debrief) -> str:
    if d.in_progress:
        return f"Seed {d.seed} · {in_progress(d)}"
    return f"Seed {d.seed} · {d.turns_played} of {d.turns_total} {d.turn_label}s played"


def outcome_line(d: Debrief) -> str:
    o = d.outcome
    if d.in_progress:
        return (
            f"{title_case(in_progress(d))}: no ending and no grade yet. Score so far "
            f"{o.score:.1f}, from the {d.turn_label}s played; it is not comparable with the "
            "score of a whole game."
        )
    head = f"Ending: {o.ending_title}" if o.ending else "The game ended without an ending"
    return f"{head}. Grade {o.grade}, score {o.score:.1f}."


def score_heading(d: Debrief) -> str:
    return "How the score so far was computed" if d.in_progress else "How the score was computed"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def thresholds(o: Outcome) -> str:
    return ", ".join(f"{g} ≥ {number(floor)}" for g, floor in o.grades) + ", otherwise F"


def grade_note(o: Outcome) -> str:
    clamp = ""
    if abs(o.raw_score - o.score) > 1e-9:
        clamp = f"The score is kept within 0..100, so {o.raw_score:.2f} counts as {o.score:.1f}. "
    if o.ending_grade is not None and o.ending_grade != o.score_grade:
        return (
            f"{clamp}The ending {o.ending_title} sets the grade to {o.ending_grade}; "
            f"the score alone would earn {o.score_grade}."
        )
    if o.ending_grade is not None:
        return f"{clamp}The ending {o.ending_title} sets the grade to {o.ending_grade}."
    return f"{clamp}The score earns grade {o.score_grade}."


def move(d: Debrief, mv: Move) -> str:
    return f"{d.label(f'metric:{mv.metric}')} {moved(mv.before, mv.after)}"


def causes(mv: Move, limit: int | None = None) -> str:
    pairs = list(zip(mv.causes, mv.shown(), strict=True))
    shown = pairs if limit is None else pairs[:limit]
    text = ", ".join(
        f"{c.cause}{' [' + c.note + ']' if c.note else ''} {signed(change)}" for c, change in shown
    )
    hidden = len(mv.causes) - len(shown)
    return text + (f", and {hidden} more" if hidden > 0 else "")


def count(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def strategy(d: Debrief, run: StrategyUse) -> str:
    if run.last is None:
        text = f"{run.label}: activated and ended in {when(d, run.started)} before it took effect"
    else:
        span = f"{d.turn_label}s {run.started}–{run.last}"
        if run.last == run.started:
            span = when(d, run.started)
        ended = ENDED.get(run.ended, run.ended)
        text = f"{run.label}: {span} ({count(run.turns, d.turn_label)}), {ended}"
    if run.early:
        text += f"; short of its minimum of {run.min_turns}, so its early-end penalty applied"
    return text


def score_rows(o: Outcome) -> list[tuple[str, str]]:
    """(part of the score expression in words, its value) rows, ending with the total."""
    rows = [(t.label, f"{t.value:.2f}") for t in o.terms]
    return rows + [("score", f"{o.raw_score:.2f}")]


def negotiation_head(d: Debrief, n: NegotiationReview) -> str:
    if n.agreed and n.package is not None and n.agreed_turn is not None:
        return f"Agreed in {when(d, n.agreed_turn)}: {package(d, n.id, n.package)}."
    # "after 2 proposals", or "with no proposal made" (not "after 0 proposals").
    tried = (
        f"after {count(len(n.proposals), 'proposal')}" if n.proposals else "with no proposal made"
    )
    if n.status == "failed":
        at = f" in {when(d, n.failed_turn)}" if n.failed_turn else ""
        return f"Failed{at}, {tried}."
    if n.status == "open":
        if n.deadline > d.turns_total:
            return f"Still open at the end of the game (its deadline fell after it), {tried}."
        return f"Still open (deadline {when(d, n.deadline)}), {tried}."
    if n.status == "broken":
        return f"Agreed, then broken, {tried}."
    return "Never opened."


ASSUMED = "every party at its reservation value, as at the deadline with trust 50"


def deal_lines(d: Debrief, n: NegotiationReview) -> list[str]:
    """Side payments paid and agreements broken, one sentence each."""
    out = []
    if n.offered:
        paid = ", ".join(
            f"{number(p.units)} {d.label(f'resource:{p.resource}')} to "
            f"{d.label(f'party:{p.party}')} ({when(d, p.turn)})"
            for p in n.side_payments
        )
        offers = count(n.offered, "proposal")
        out.append(
            f"Side payments offered in {offers}; paid: {paid}."
            if paid
            else f"Side payments offered in {offers}; none was paid (no such package agreed)."
        )
    for b in n.breaches:
        whose = "its own condition" if b.party is None else possessive(d.label(f"party:{b.party}"))
        if b.reopened_deadline is None:
            then = "the talks stayed closed"
        elif b.reopened_deadline > d.turns_total:
            then = "talks reopened until the end of the game (their new deadline fell after it)"
        else:
            then = f"talks reopened until {when(d, b.reopened_deadline)}"
        condition = f"({b.condition})" if b.party is None else f"condition ({b.condition})"
        out.append(f"The agreement broke in {when(d, b.turn)}: {whose} {condition} failed; {then}.")
    return out


def nash_line(d: Debrief, n: NegotiationReview) -> str:
    if not n.analysed:
        return (
            f"Not analysed: {n.packages:,} possible packages, more than the "
            f"{PACKAGES_ANALYSED:,} the debrief compares."
        )
    among = f"{n.acceptable} of {n.packages} packages pass the agreement rule ({n.rule}) then"
    if n.nash_package is None:
        return (
            f"Assuming {ASSUMED}: no package clears every party's reservation; {among}."
            + _without_payments(n)
        )
    note = ""
    refused = [p for p in n.proposals if p.package == n.nash_package and not p.agreed]
    if n.package == n.nash_package:
        note = " — the package agreed"
    elif refused:
        note = (
            f" — refused when you proposed it in {when(d, refused[0].turn)}: parties accept "
            "less as the deadline nears, and more as trust grows"
        )
    return (
        f"Nash package (the largest product of the parties' gains over their reservations), "
        f"assuming {ASSUMED}: {package(d, n.id, n.nash_package)}{note}. {title_case(among)}."
    )


def _without_payments(n: NegotiationReview) -> str:
    """When side payments made an agreement, a sentence saying the comparison leaves them
    out (else the review would seem to say no agreement was possible beside one that was
    made)."""
    if not n.side_payments:
        return ""
    return " Packages are compared without side payments: the ones you paid made a package pass."


def better_line(d: Debrief, n: NegotiationReview) -> str:
    if not n.analysed:
        return "Whether a better package existed was not checked (too many packages)."
    if n.agreed:
        if n.better_package is None:
            return "No package was better for every party than the one agreed."
        return f"Better for every party than the one agreed: {package(d, n.id, n.better_package)}."
    if n.better_package is None:
        return "No package was better for every party than no deal." + _without_payments(n)
    if n.better_package == n.nash_package:
        return "Every party would have preferred the Nash package to no deal."
    return f"Better for every party than no deal: {package(d, n.id, n.better_package)}."


def proposal(d: Debrief, n: NegotiationReview, p: ProposalView) -> str:
    refused = [
        d.label(f"party:{a.party}")
        + (f" (over {d.label(f'issue:{n.id}.{a.objection}')})" if a.objection else "")
        for a in p.answers
        if not a.accepts
    ]
    verdict = "agreed" if p.agreed else "refused by " + ", ".join(refused) if refused else "short"
    return f"{title_case(when(d, p.turn))}: {package(d, n.id, p.package)} — {verdict}"


def proposal_judgement(d: Debrief, n: NegotiationReview, p: ProposalView) -> list[str]:
    """A refused proposal judged at its turn and trust: what each party accepted then, by how
    much the package fell short, and a package that would have passed then."""
    j = p.judgement
    if j is None:
        return []
    parts = []
    for m in j.parties:
        name = d.label(f"party:{m.party}")
        k = verdict_places(m.value, m.lowest, m.accepts)
        short = f", short by {m.short:.{k}f}" if not m.accepts else ""
        parts.append(
            f"{name} (trust {number(m.trust)}) accepted from {m.lowest:.{k}f} and valued it "
            f"{m.value:.{k}f}{short}"
        )
    run = f"{round(100 * j.tau)}%"
    out = [f"Then, with the talks {run} of the way to their deadline: {'; '.join(parts)}."]
    if j.passing is not None:
        changed = count(j.changed, "issue")
        how_many = ""
        if j.passing_count is not None:
            how_many = f"; {j.passing_count} of {n.packages:,} packages would have passed then"
        out.append(
            f"Would have passed then: {package(d, n.id, j.passing)} ({changed} changed{how_many})."
        )
    elif j.complete:
        out.append(
            f"No package would have passed then (all {n.packages:,} weighed): thresholds fall "
            "as the deadline nears and as trust grows."
        )
    else:
        out.append(
            f"None of the {j.weighed:,} packages nearest to it would have passed then (the "
            f"review weighs at most {PACKAGES_JUDGED:,} of the {n.packages:,} per proposal)."
        )
    return out


def unjudged_line(n: NegotiationReview) -> str:
    return (
        f"The {n.unjudged} refused proposals after the first {PROPOSALS_JUDGED} are listed "
        "without a judgement (the review judges at most that many per disagreement)."
    )


def benchmark_line(b: Benchmark) -> str:
    games = sum(len(p.scores) for p in b.policies)
    per = "; ".join(
        f"{p.policy}: mean {p.mean:.1f}, you beat {p.percentile:.0f}%" for p in b.policies
    )
    rank = ordinal(round(b.percentile))
    return (
        f"Your score {b.score:.1f} is at the {rank} percentile of {games} bot games "
        f"on this scenario ({per})."
    )


def benchmark_notice(b: Benchmark) -> str:
    """One sentence for a notice: 'Compared with 20 bot games: your score 26.1 beats 0% of
    them (random mean 36.6, greedy mean 58.5).'"""
    games = sum(len(p.scores) for p in b.policies)
    means = ", ".join(f"{p.policy} mean {p.mean:.1f}" for p in b.policies)
    return (
        f"Compared with {games} bot games: your score {b.score:.1f} beats "
        f"{b.percentile:.0f}% of them ({means})."
    )
