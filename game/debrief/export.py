"""The review as plain JSON data, as in playthrough-format.md (with more keys besides)."""

from __future__ import annotations

from typing import Any

from game.debrief.model import (
    Benchmark,
    Cause,
    Debrief,
    Judgement,
    Move,
    NegotiationReview,
    Package,
    TurnSummary,
)


def _r(x: float | None) -> float | None:
    """Rounded so that float noise (47.50000000001) does not reach the file."""
    return None if x is None else round(float(x), 6)


def _pkg(package: Package | None) -> dict[str, str] | None:
    return None if package is None else dict(package)


def _cause(c: Cause) -> dict[str, Any]:
    return {"cause": c.cause, "change": _r(c.change), "line": c.line, "note": c.note}


def _move(mv: Move) -> dict[str, Any]:
    return {
        "turn": mv.turn,
        "metric": mv.metric,
        "before": _r(mv.before),
        "after": _r(mv.after),
        "change": _r(mv.change),
        "causes": [_cause(c) for c in mv.causes],
    }


def _negotiation(n: NegotiationReview) -> dict[str, Any]:
    return {
        "id": n.id,
        "label": n.label,
        "status": n.status,
        "agreed": n.agreed,
        "turn": n.agreed_turn,
        "opened_turn": n.opened_turn,
        "failed_turn": n.failed_turn,
        "deadline": n.deadline,
        "package": _pkg(n.package),
        "nash_package": _pkg(n.nash_package),
        "nash_product": _r(n.nash_product),
        "agreed_product": _r(n.agreed_product),
        "pareto_better_exists": n.better_exists if n.analysed else None,
        "better_package": _pkg(n.better_package),
        "acceptable_packages": n.acceptable if n.analysed else None,
        "agreement_rule": n.rule,
        "assumes": "every party at its reservation value (the deadline, trust 50), all present",
        "packages": n.packages,
        "analysed": n.analysed,
        "parties": [
            {
                "id": s.party,
                "name": s.name,
                "reservation": _r(s.reservation),
                "utility": _r(s.utility),
                "surplus": _r(s.surplus),
                "nash_utility": _r(s.nash_utility),
                "withdrawn": s.withdrawn,
            }
            for s in n.parties
        ],
        "proposals": [
            {
                "turn": p.turn,
                "package": dict(p.package),
                "agreed": p.agreed,
                "answers": [
                    {
                        "party": a.party,
                        "accepts": a.accepts,
                        "utility": _r(a.utility),
                        "objection": a.objection,
                    }
                    for a in p.answers
                ],
                "judgement": _judgement(p.judgement),
            }
            for p in n.proposals
        ],
        "unjudged_proposals": n.unjudged,
    } | _deals(n)


def _deals(n: NegotiationReview) -> dict[str, Any]:
    """Side payments and breaches, only where there were some (older exports read the same)."""
    out: dict[str, Any] = {}
    if n.offered:
        out["side_payments_offered"] = n.offered
        out["side_payments"] = [
            {"turn": p.turn, "party": p.party, "resource": p.resource, "units": p.units}
            for p in n.side_payments
        ]
    if n.breaches:
        out["breaches"] = [
            {
                "turn": b.turn,
                "party": b.party,
                "condition": b.condition,
                "reopened_deadline": b.reopened_deadline,
            }
            for b in n.breaches
        ]
    return out


def _judgement(j: Judgement | None) -> dict[str, Any] | None:
    if j is None:
        return None
    return {
        "tau": _r(j.tau),
        "parties": [
            {
                "party": m.party,
                "trust": _r(m.trust),
                "lowest_accepted": _r(m.lowest),
                "value": _r(m.value),
                "accepts": m.accepts,
                "short_by": _r(m.short),
            }
            for m in j.parties
        ],
        "would_have_passed": _pkg(j.passing),
        "issues_changed": j.changed,
        "packages_weighed": j.weighed,
        "all_weighed": j.complete,
        "packages_passing": j.passing_count,
    }


def _turn(t: TurnSummary) -> dict[str, Any]:
    return {
        "turn": t.turn,
        "moves": [_move(mv) for mv in t.moves],
        "events": list(t.events),
        "choices": list(t.choices),
        "proposals": list(t.proposals),
        "agreed": list(t.agreed),
        "failed": list(t.failed),
        "withdrawn": list(t.withdrawn),
        "trust": list(t.trust),
        "strategies_started": list(t.started),
        "strategies_ended": list(t.stopped),
        "warnings": list(t.warnings),
    }


def _benchmark(b: Benchmark | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        "score": _r(b.score),
        "percentile": _r(b.percentile),
        "seeds": list(b.seeds),
        "policies": [
            {
                "policy": p.policy,
                "runs": len(p.scores),
                "mean": _r(p.mean),
                "percentile": _r(p.percentile),
                "scores": [_r(s) for s in p.scores],
            }
            for p in b.policies
        ],
    }


def to_json(d: Debrief) -> dict[str, Any]:
    """A JSON-ready dict: the keys of playthrough-format.md first, then the whole review."""
    o = d.outcome
    return {
        "scenario": d.scenario,
        "seed": d.seed,
        "finished": o.finished,
        "in_progress_turn": d.turn if d.in_progress else None,
        "ending": o.ending,
        "grade": o.grade if o.finished else None,
        "score": _r(o.score),
        "headline": d.headline,
        "history": {s.id: [_r(v) for v in s.values] for s in d.metrics},
        "turning_points": [_move(mv) for mv in d.turning_points],
        "negotiations": [_negotiation(n) for n in d.negotiations],
        "lessons": list(d.lessons),
        "title": d.title,
        "player": d.player,
        "turn_label": d.turn_label,
        "turns_played": d.turns_played,
        "turns_total": d.turns_total,
        "intent": {
            "summary": d.intent.summary,
            "aim": [_goal(g) for g in d.intent.aim],
            "avoid": [_goal(g) for g in d.intent.avoid],
        },
        "outcome": {
            "ending_title": o.ending_title,
            "ending_text": o.ending_text,
            "score_expression": o.expression,
            "score_expression_text": o.expression_text,
            "raw_score": _r(o.raw_score),
            "score_terms": [
                {"term": t.text, "text": t.label, "value": _r(t.value)} for t in o.terms
            ],
            "grade_thresholds": {g: floor for g, floor in o.grades},
            "score_grade": o.score_grade if o.finished else None,
            "ending_grade": o.ending_grade,
        },
        "metrics": {
            s.id: {
                "label": s.label,
                "headline": s.headline,
                "start": _r(s.start),
                "min": s.low,
                "max": s.high,
                "values": [_r(v) for v in s.values],
            }
            for s in d.metrics
        },
        "partnerships": [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "start": _r(p.start),
                "trust": [_r(x) for x in p.trust],
                "withdrawn_turn": p.withdrawn_turn,
                "withdraws_below": p.withdraws_below,
                "strategies": list(p.strategies),
            }
            for p in d.partnerships
        ],
        "strategies": [
            {
                "id": r.strategy,
                "label": r.label,
                "partners": list(r.partners),
                "started": r.started,
                "last": r.last,
                "turns": r.turns,
                "ended": r.ended,
                "ended_turn": r.ended_turn,
                "early": r.early,
                "min_turns": r.min_turns,
            }
            for r in d.strategies
        ],
        "turns": [_turn(t) for t in d.timeline],
        "sustain": list(d.sustain),
        "improve": list(d.improve),
        "benchmark": _benchmark(d.benchmark) if d.finished else None,
    }


def _goal(g: Any) -> dict[str, Any]:
    return {"id": g.id, "title": g.title, "check": g.check, "when": g.condition,
            "when_text": g.condition_text, "grade": g.grade, "reached": g.reached}  # fmt: skip
