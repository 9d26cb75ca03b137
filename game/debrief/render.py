"""The review as text for the terminal and as Markdown for export: same sections, same words."""

from __future__ import annotations

import textwrap
from contextvars import ContextVar

from game.debrief import words as w
from game.debrief.chart import column_chart, sparkline
from game.debrief.model import Debrief, MetricSeries, NegotiationReview, TurnSummary
from game.numbers import number, signed

WIDTH = 88  # the widest a review is written; narrower for a narrower terminal (render_text)
_width: ContextVar[int] = ContextVar("debrief_width", default=WIDTH)
BENCHMARK_HEADING = "BENCHMARK"  # the terminal UI scrolls to this heading once bots have played


def _wrap(text: str, indent: str = "  ", bullet: str = "") -> list[str]:
    lead = indent + bullet
    width = _width.get()
    return textwrap.wrap(text, width, initial_indent=lead, subsequent_indent=" " * len(lead)) or [
        lead.rstrip()
    ]


def _bullets(items: tuple[str, ...] | list[str], indent: str) -> list[str]:
    return [line for item in items for line in _wrap(item, indent, "• ")] or [f"{indent}none"]


def _header(d: Debrief) -> list[str]:
    who = f" · {d.player}" if d.player else ""
    return [f"After-action review: {d.title} ({d.scenario}){who}", w.progress_line(d)]


def series_chart(series: MetricSeries) -> list[str]:
    """A measure's column chart, from its start value to its value at the end of each turn."""
    return column_chart((series.start, *series.values), series.low, series.high)


NAME_COLUMN = 32  # a longer name gets a line of its own above its figures, never a cut


def _named_row(indent: str, name: str, wide: int, rest: str) -> list[str]:
    """A table row led by a name: padded to the column, or on a line of its own when it is
    wider than the column (names are never cut: 'Federal Government of So' hides who is
    meant)."""
    if len(name) <= wide:
        return [f"{indent}{name:<{wide}} {rest}"]
    return [*_wrap(name, indent), f"{indent}{'':<{wide}} {rest}"]


def _column(names: list[str], heading: str = "") -> int:
    return min(NAME_COLUMN, max([len(heading), *(len(n) for n in names)]))


def _negotiation_text(d: Debrief, n: NegotiationReview) -> list[str]:
    out = [f"    {n.label}", *_wrap(w.negotiation_head(d, n), "      ")]
    wide = _column([s.name for s in n.parties], "Party")
    out.append(
        f"      {'Party':<{wide}} {'reservation':>11} {'agreed':>7} {'surplus':>8} {'Nash':>6}"
    )
    for s in n.parties:
        got = "-" if s.utility is None else w.utility(s.utility)
        surplus = "-" if s.surplus is None else f"{s.surplus:+.2f}"
        nash = "-" if s.nash_utility is None else w.utility(s.nash_utility)
        gone = "  (withdrew)" if s.withdrawn else ""
        rest = f"{w.utility(s.reservation):>11} {got:>7} {surplus:>8} {nash:>6}{gone}"
        out += _named_row("      ", s.name, wide, rest)
    for line in w.deal_lines(d, n):
        out += _wrap(line, "      ")
    out += _wrap(w.nash_line(d, n), "      ")
    out += _wrap(w.better_line(d, n), "      ")
    for p in n.proposals:
        out += _wrap(w.proposal(d, n, p), "      ", "· ")
        for line in w.proposal_judgement(d, n, p):
            out += _wrap(line, "          ")
    if n.unjudged:
        out += _wrap(w.unjudged_line(n), "      ")
    return out


def _section(heading: str, body: list[str]) -> list[str]:
    """A heading and its lines, or nothing at all when there are none."""
    return ["", heading, *body] if body else []


def render_text(d: Debrief, width: int = WIDTH) -> str:
    """The review for a terminal: plain text, its prose wrapped to `width` columns (at most
    WIDTH; a terminal narrower than that would wrap each long line again, mid-phrase)."""
    token = _width.set(max(40, min(width, WIDTH)))
    try:
        return _text(d)
    finally:
        _width.reset(token)


def _text(d: Debrief) -> str:
    o = d.outcome
    out = _header(d)
    out += ["", "WHAT WAS INTENDED"]
    if d.intent.summary:
        out += _wrap(d.intent.summary)
    for heading, goals in (("Aim for", d.intent.aim), ("Avoid", d.intent.avoid)):
        if goals:
            out += [f"  {heading}:", *_bullets([w.goal(d, g) for g in goals], "    ")]
    if not (d.intent.summary or d.intent.aim or d.intent.avoid):
        out += _wrap(w.NO_GOALS)
    out += ["", "WHAT HAPPENED", *_wrap(w.outcome_line(d))]
    if o.ending_text:
        out += _wrap(o.ending_text, "    ")
    out += [f"  {w.score_heading(d)}:", *_wrap(f"score = {o.expression_text}", "    ")]
    rows = w.score_rows(o)
    wide = min(56, max(len(part) for part, _ in rows))
    out += [f"      {part:<{wide}} {value:>8}" for part, value in rows]
    if d.finished:
        out += _wrap(f"Grades: {w.thresholds(o)}. {w.grade_note(o)}", "    ")
    head = d.metric(d.headline)
    out += ["", *_wrap(f"{head.label} (headline), start and after each {d.turn_label}:")]
    out += ["    " + line for line in series_chart(head)]
    out += ["", "  Every measure, start → end:"]
    wide = _column([s.label for s in d.metrics])
    for s in d.metrics:
        spark = sparkline((s.start, *s.values), s.low, s.high)
        out += _named_row(
            "    ", s.label, wide, f"{number(s.start):>5} → {number(s.final):<5} {spark}"
        )
        out += _wrap(" ".join(number(v) for v in s.values), "      ")
    out += ["", "WHY", "  Turning points (largest moves of the headline):"]
    if not d.turning_points:
        out.append("    none: the headline never moved")
    for i, mv in enumerate(d.turning_points, 1):
        out += _wrap(f"{w.title_case(w.when(d, mv.turn))}: {w.move(d, mv)}", "    ", f"{i}. ")
        for c, change in zip(mv.causes, mv.shown(), strict=True):
            note = f" [{c.note}]" if c.note else ""
            out.append(f"         {signed(change):>6}  {c.cause}{note}")
    partners: list[str] = []
    wide = _column([p.name for p in d.partnerships])
    for p in d.partnerships:
        gone = f", withdrew in {w.when(d, p.withdrawn_turn)}" if p.withdrawn_turn else ""
        spark = sparkline((p.start, *p.trust), 0, 100)
        rest = f"{number(p.start):>5} → {number(p.final):<5} {spark}{gone}"
        partners += _named_row("    ", p.name, wide, rest)
    if partners:
        out += ["", "  Partnerships (trust, start → end):", *partners]
    if d.strategies:
        out += ["", "  Strategies:", *_bullets([w.strategy(d, r) for r in d.strategies], "    ")]
    if d.negotiations:
        out += ["", "  Negotiations:"]
    for n in d.negotiations:
        out += _negotiation_text(d, n)
    if d.lessons:
        out += ["", "  Lessons:", *_bullets(d.lessons, "    ")]
    so_far = " (SO FAR)" if d.in_progress else ""
    out += _section("SUSTAIN" + so_far, _bullets(d.sustain, "  ") if d.sustain else [])
    out += _section("IMPROVE" + so_far, _bullets(d.improve, "  ") if d.improve else [])
    if d.benchmark is not None and d.finished:
        out += ["", BENCHMARK_HEADING, *_wrap(w.benchmark_line(d.benchmark))]
    if d.timeline:
        out += ["", f"{w.title_case(d.turn_label).upper()} BY {d.turn_label.upper()}"]
    for t in d.timeline:
        out.append(f"  {w.title_case(w.when(d, t.turn))}")
        for mv in t.moves:
            out += _wrap(f"{w.move(d, mv)}: {w.causes(mv)}", "    ")
        for label, items in happenings(t):
            out += _wrap(f"{label}: {'; '.join(items)}", "    ")
        if not t.moves and not happenings(t):
            out.append("    nothing moved")
    return "\n".join(line.rstrip() for line in out) + "\n"


def happenings(t: TurnSummary) -> list[tuple[str, tuple[str, ...]]]:
    """What a turn's record holds besides metric moves, as (heading, items) pairs."""
    names = ("events", "choices", "started", "stopped", "proposals", "agreed", "failed",
             "trust", "withdrawn", "warnings")  # fmt: skip
    labels = ("Events", "Chosen", "Started", "Ended", "Proposed", "Agreed", "Failed",
              "Trust", "Withdrew", "Notes")  # fmt: skip
    return [(label, getattr(t, n)) for n, label in zip(names, labels, strict=True) if getattr(t, n)]
