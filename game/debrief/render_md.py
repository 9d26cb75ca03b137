"""The review as Markdown, for export: headings, tables, the headline chart in a code block."""

from __future__ import annotations

from game.debrief import words as w
from game.debrief.model import Debrief, NegotiationReview
from game.debrief.render import happenings, series_chart
from game.numbers import number, signed


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _bullets(items: tuple[str, ...] | list[str]) -> list[str]:
    return [f"- {_cell(item)}" for item in items]


def _intended(d: Debrief) -> list[str]:
    out = ["## What was intended", ""]
    if d.intent.summary:
        out += [d.intent.summary, ""]
    for heading, goals in (("Aim for", d.intent.aim), ("Avoid", d.intent.avoid)):
        if goals:
            out += [f"{heading}:", "", *_bullets([w.goal(d, g) for g in goals]), ""]
    if not (d.intent.summary or d.intent.aim or d.intent.avoid):
        out += [w.NO_GOALS, ""]
    return out[:-1] if out[-1] == "" else out


def _happened(d: Debrief) -> list[str]:
    o = d.outcome
    out = ["## What happened", "", f"**{w.outcome_line(d)}**", ""]
    if o.ending_text:
        out += [f"> {o.ending_text.strip()}", ""]
    out += [f"{w.score_heading(d)}:", "", "```text", f"score = {o.expression_text}"]
    out += ["```", ""]
    rows = [[part if part != "score" else "**score**", value] for part, value in w.score_rows(o)]
    out += _table(["Part", "Value"], rows, {1}) + [""]
    if d.finished:
        out += [f"Grades: {w.thresholds(o)}. {w.grade_note(o)}", ""]
    head = d.metric(d.headline)
    out += [f"### {head.label} (headline)", "", "```text"]
    out += series_chart(head)
    out += ["```", "", "### Every measure", ""]
    header = [w.title_case(d.turn_label)] + [s.label for s in d.metrics]
    rows = [["start"] + [number(s.start) for s in d.metrics]]
    for i in range(d.turns_played):
        rows.append([str(i + 1)] + [number(s.values[i]) for s in d.metrics])
    return out + _table(header, rows, set(range(len(header))))


def _negotiation(d: Debrief, n: NegotiationReview) -> list[str]:
    out = [f"### {n.label}", "", w.negotiation_head(d, n), ""]
    rows = [
        [
            s.name + (" (withdrew)" if s.withdrawn else ""),
            w.utility(s.reservation),
            "-" if s.utility is None else w.utility(s.utility),
            "-" if s.surplus is None else f"{s.surplus:+.2f}",
            "-" if s.nash_utility is None else w.utility(s.nash_utility),
        ]
        for s in n.parties
    ]
    out += _table(["Party", "Reservation", "Agreed", "Surplus", "Nash"], rows, {1, 2, 3, 4})
    out += [""] + [f"- {line}" for line in w.deal_lines(d, n)]
    out += [f"- {w.nash_line(d, n)}", f"- {w.better_line(d, n)}"]
    if n.proposals:
        out += ["", "Proposals:", ""]
        for p in n.proposals:
            out.append(f"- {_cell(w.proposal(d, n, p))}")
            out += [f"  - {_cell(line)}" for line in w.proposal_judgement(d, n, p)]
        if n.unjudged:
            out.append(f"- {w.unjudged_line(n)}")
    return out + [""]


def _partners(d: Debrief) -> list[str]:
    if not d.partnerships:
        return ["No partners."]
    header = ["Partner", "Start"] + [str(i + 1) for i in range(d.turns_played)] + ["Withdrew"]
    rows = [
        [p.name, number(p.start), *(number(x) for x in p.trust),
         w.when(d, p.withdrawn_turn) if p.withdrawn_turn else ""]
        for p in d.partnerships
    ]  # fmt: skip
    return _table(header, rows, set(range(1, len(header) - 1)))


def _why(d: Debrief) -> list[str]:
    out = ["## Why", "", "### Turning points", ""]
    if not d.turning_points:
        out += ["The headline never moved.", ""]
    for i, mv in enumerate(d.turning_points, 1):
        out += [f"{i}. **{w.title_case(w.when(d, mv.turn))}: {w.move(d, mv)}**", ""]
        rows = [[c.cause + (f" ({c.note})" if c.note else ""), signed(change),
                 str(c.line) if c.line else ""]
                for c, change in zip(mv.causes, mv.shown(), strict=True)]  # fmt: skip
        out += ["   " + line for line in _table(["Cause", "Change", "Line"], rows, {1, 2})]
        out.append("")
    if d.partnerships:
        out += ["### Partnerships", "", *_partners(d), ""]
    if d.strategies:
        out += ["### Strategies", "", *_bullets([w.strategy(d, r) for r in d.strategies]), ""]
    if d.negotiations:
        out += ["## Negotiations", ""]
    for n in d.negotiations:
        out += _negotiation(d, n)
    if d.lessons:
        out += ["## Lessons", "", *_bullets(d.lessons), ""]
    return out[:-1] if out[-1] == "" else out


def _timeline(d: Debrief) -> list[str]:
    if not d.timeline:
        return []
    out = [f"## {w.title_case(d.turn_label)} by {d.turn_label}", ""]
    for t in d.timeline:
        out += [f"### {w.title_case(w.when(d, t.turn))}", ""]
        out += [f"- **{w.move(d, mv)}**: {_cell(w.causes(mv))}" for mv in t.moves]
        out += [f"- {label}: {_cell('; '.join(items))}" for label, items in happenings(t)]
        if not t.moves and not happenings(t):
            out.append("Nothing moved.")
        out.append("")
    return out


def render_markdown(d: Debrief) -> str:
    """The review as a Markdown document (GitHub-flavoured tables)."""
    who = f" · {d.player}" if d.player else ""
    out = [f"# After-action review: {d.title}", ""]
    out += [f"Scenario `{d.scenario}`{who} · {w.progress_line(d)}", ""]
    out += _intended(d) + [""] + _happened(d) + [""] + _why(d) + [""]
    so_far = " so far" if d.in_progress else ""
    for heading, items in (("Sustain", d.sustain), ("Improve", d.improve)):
        if items:
            out += [f"## {heading}{so_far}", "", *_bullets(items), ""]
    if d.benchmark is not None and d.finished:
        out += ["## Benchmark", "", w.benchmark_line(d.benchmark), ""]
    out += _timeline(d)
    text = "\n".join(line.rstrip() for line in out).rstrip()
    return text + "\n"
