"""The review as text for the terminal and as Markdown for export: same sections, same words."""

from __future__ import annotations

import textwrap

from game.debrief import words as w
from game.debrief.chart import column_chart, sparkline
from game.debrief.model import Debrief, MetricSeries, NegotiationReview, TurnSummary
from game.numbers import number, signed

WIDTH = 88
BENCHMARK_HEADING = "BENCHMARK"  # the terminal UI scrolls to this heading once bots have played


def _wrap(text: str, indent: str = "  ", bullet: str = "") -> list[str]:
    lead = indent + bullet
    return textwrap.wrap(text, WIDTH, initial_indent=lead, subsequent_indent=" " * len(lead)) or [
        lead.rstrip()
    ]


def _bullets(items: tuple[str, ...] | list[str], indent: str) -> list[str]:
    return [line for item in items for line in _wrap(item, indent, "• ")] or [f"{indent}none"]


def _header(d: Debrief) -> list[str]:
    who = f" · {d.player}" if d.player else ""
    return [
        f"After-action review: {d.title} ({d.scenario}){who}",
        f"Seed {d.seed} · {d.turns_played} of {d.turns_total} {d.turn_label}s played",
    ]


def series_chart(series: MetricSeries) -> list[str]:
    """A measure's column chart, from its start value to its value at the end of each turn."""
    return column_chart((series.start, *series.values), series.low, series.high)


def _negotiation_text(d: Debrief, n: NegotiationReview) -> list[str]:
    out = [f"    {n.label}", *_wrap(w.negotiation_head(d, n), "      ")]
    out.append(f"      {'Party':<24} {'reservation':>11} {'agreed':>7} {'surplus':>8} {'Nash':>6}")
    for s in n.parties:
        got = "-" if s.utility is None else w.utility(s.utility)
        surplus = "-" if s.surplus is None else f"{s.surplus:+.2f}"
        nash = "-" if s.nash_utility is None else w.utility(s.nash_utility)
        gone = "  (withdrew)" if s.withdrawn else ""
        out.append(
            f"      {s.name[:24]:<24} {w.utility(s.reservation):>11} {got:>7} {surplus:>8} "
            f"{nash:>6}{gone}"
        )
    for line in w.deal_lines(d, n):
        out += _wrap(line, "      ")
    out += _wrap(w.nash_line(d, n), "      ")
    out += _wrap(w.better_line(d, n), "      ")
    for p in n.proposals:
        out += _wrap(w.proposal(d, n, p), "      ", "· ")
    return out


def render_text(d: Debrief) -> str:
    """The review for a terminal: plain text, at most about 90 columns wide."""
    o = d.outcome
    out = _header(d)
    out += ["", "WHAT WAS INTENDED"]
    if d.intent.summary:
        out += _wrap(d.intent.summary)
    out += ["  Aim for:", *_bullets([w.goal(d, g) for g in d.intent.aim], "    ")]
    out += ["  Avoid:", *_bullets([w.goal(d, g) for g in d.intent.avoid], "    ")]
    out += ["", "WHAT HAPPENED", *_wrap(w.outcome_line(d))]
    if o.ending_text:
        out += _wrap(o.ending_text, "    ")
    out += ["  How the score was computed:", *_wrap(f"score = {o.expression_text}", "    ")]
    rows = w.score_rows(o)
    wide = min(56, max(len(part) for part, _ in rows))
    out += [f"      {part:<{wide}} {value:>8}" for part, value in rows]
    out += _wrap(f"Grades: {w.thresholds(o)}. {w.grade_note(o)}", "    ")
    head = d.metric(d.headline)
    out += ["", f"  {head.label} (headline), start and after each {d.turn_label}:"]
    out += ["    " + line for line in series_chart(head)]
    out += ["", "  Every measure, start → end:"]
    for s in d.metrics:
        spark = sparkline((s.start, *s.values), s.low, s.high)
        out.append(f"    {s.label[:28]:<28} {number(s.start):>5} → {number(s.final):<5} {spark}")
        out += _wrap(" ".join(number(v) for v in s.values), "      ")
    out += ["", "WHY", "  Turning points (largest moves of the headline):"]
    if not d.turning_points:
        out.append("    none: the headline never moved")
    for i, mv in enumerate(d.turning_points, 1):
        out.append(f"    {i}. {w.title_case(w.when(d, mv.turn))}: {w.move(d, mv)}")
        for c in mv.causes:
            note = f" [{c.note}]" if c.note else ""
            out.append(f"         {signed(c.change):>6}  {c.cause}{note}")
    out += ["", "  Partnerships (trust, start → end):"] + (
        ["    none"] if not d.partnerships else []
    )
    for p in d.partnerships:
        gone = f", withdrew in {w.when(d, p.withdrawn_turn)}" if p.withdrawn_turn else ""
        spark = sparkline((p.start, *p.trust), 0, 100)
        out.append(
            f"    {p.name[:28]:<28} {number(p.start):>5} → {number(p.final):<5} {spark}{gone}"
        )
    out += ["", "  Strategies:", *_bullets([w.strategy(d, r) for r in d.strategies], "    ")]
    out += ["", "  Negotiations:"] + (["    none"] if not d.negotiations else [])
    for n in d.negotiations:
        out += _negotiation_text(d, n)
    out += ["", "  Lessons:", *_bullets(d.lessons, "    ")]
    out += ["", "SUSTAIN", *_bullets(d.sustain, "  ")]
    out += ["", "IMPROVE", *_bullets(d.improve, "  ")]
    if d.benchmark is not None:
        out += ["", BENCHMARK_HEADING, *_wrap(w.benchmark_line(d.benchmark))]
    out += ["", f"{w.title_case(d.turn_label).upper()} BY {d.turn_label.upper()}"]
    for t in d.timeline:
        out.append(f"  {w.title_case(w.when(d, t.turn))}")
        for mv in t.moves:
            out += _wrap(f"{w.move(d, mv)}: {w.causes(mv)}", "    ")
        for label, items in happenings(t):
            out += _wrap(f"{label}: {'; '.join(items)}", "    ")
    return "\n".join(line.rstrip() for line in out) + "\n"


def happenings(t: TurnSummary) -> list[tuple[str, tuple[str, ...]]]:
    """What a turn's record holds besides metric moves, as (heading, items) pairs."""
    names = ("events", "choices", "started", "stopped", "proposals", "agreed", "failed",
             "withdrawn", "warnings")  # fmt: skip
    labels = ("Events", "Chosen", "Started", "Ended", "Proposed", "Agreed", "Failed",
              "Withdrew", "Notes")  # fmt: skip
    return [(label, getattr(t, n)) for n, label in zip(names, labels, strict=True) if getattr(t, n)]
