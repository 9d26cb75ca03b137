"""What a batch of games explains: the figures an instructor balances a scenario with.

A `Tally` sums, game by game, the mean of every metric and trust at each turn and at the end,
partners' walkouts, negotiations (agreements, their turn and package, refusals by party and
issue), stock left unspent, each term of the score, endings whose grade overrides the score's,
and, for the first DIAGNOSED runs of a batch, which clause of each condition held and the
closest value seen (to say why an item was never reached). Tallies add up in run order, so a
batch explains the same whatever the number of workers.
"""

from __future__ import annotations

import ast
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import add
from typing import Any, NamedTuple

from game.engine import Game
from game.playtest.compare import signed
from game.playtest.kept import per_scenario
from game.scenario import Scenario, names
from game.scenario.expr import ExprError, ExprType, compile_expr, parse_quietly

DIAGNOSED = 200  # runs per batch whose conditions are traced clause by clause
MOST_CLAUSES = 400  # clauses traced per scenario; beyond, the rest are not traced


# ---- conditions, clause by clause ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clause:
    """One `and` part of a condition: its text, its test, and for a comparison of numbers
    the side to watch and whether higher values bring it closer to holding."""

    item: str  # the coverage name of what the condition gates ("endings.consolidated")
    text: str
    test: Callable[[Any], Any]
    gauge: Callable[[Any], Any] | None  # left minus right of a comparison
    rising: bool  # whether the clause holds for larger gauge values
    key: str  # how a tally names it: "item|text"
    # For one comparison of an `or` clause, traced for its closest value only: the key of
    # that clause ("" for a clause of the condition itself).
    within: str = ""


def conditions(scenario: Scenario) -> dict[str, str]:
    """The condition that gates each item that has one, by coverage name."""
    s = scenario
    out: dict[str, str] = {}
    for eid, ev in s.events.items():
        if ev.when is not None:
            out[f"events.{eid}"] = ev.when.source
        for cid, choice in ev.choices.items():
            if choice.requires is not None:
                out[f"choices.{eid}.{cid}"] = choice.requires.source
    for sid, st in s.strategies.items():
        if st.requires is not None:
            out[f"strategies.{sid}"] = st.requires.source
    for eid, ending in s.endings.items():
        out[f"endings.{eid}"] = ending.when.source
    for lesson in s.lessons:
        out[f"lessons.{lesson.index}"] = lesson.when.source
    return out


def _clauses(scenario: Scenario) -> tuple[tuple[Clause, ...], int]:
    """Every traced clause (kept with the scenario) and how many were left untraced."""
    history = frozenset(scenario.model.metrics)
    out: list[Clause] = []
    skipped = 0
    for item, source in conditions(scenario).items():
        try:
            tree = parse_quietly(str(source).replace("\n", " ").strip()).body
        except (SyntaxError, ValueError, RecursionError):
            continue
        parts = (
            tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
        )
        for part in parts:
            if len(out) >= MOST_CLAUSES:
                skipped += 1
                continue
            text = ast.unparse(part)

            def compiled(src: str, want: ExprType) -> Callable[[Any], Any] | None:
                try:
                    return compile_expr(
                        src, scenario.names, want=want, history_metrics=history,
                        canonical=scenario.canonical,
                    ).fn  # fmt: skip
                except ExprError:
                    return None

            test = compiled(text, ExprType.BOOL)
            if test is None:
                continue
            gauge, rising = _gauge(part, compiled)
            key = f"{item}|{text}"
            out.append(Clause(item, text, test, gauge, rising, key))
            if isinstance(part, ast.BoolOp) and isinstance(part.op, ast.Or):
                # Each comparison of an `or`, for how close it came (the `or` held when any did).
                for alternative in part.values:
                    gauge, rising = _gauge(alternative, compiled)
                    if gauge is None or len(out) >= MOST_CLAUSES:
                        continue
                    words = ast.unparse(alternative)
                    out.append(
                        Clause(item, words, test, gauge, rising, f"{key}|{words}", within=key)
                    )
    return tuple(out), skipped


def _gauge(
    part: ast.expr, compiled: Callable[[str, ExprType], Callable[[Any], Any] | None]
) -> tuple[Callable[[Any], Any] | None, bool]:
    """For a comparison of numbers (<, <=, >, >=): its left side minus its right, and whether
    it holds for larger values; (None, True) for anything else."""
    if isinstance(part, ast.Compare) and len(part.ops) == 1:
        op = type(part.ops[0])
        if op in (ast.Lt, ast.LtE, ast.Gt, ast.GtE):
            src = f"({ast.unparse(part.left)}) - ({ast.unparse(part.comparators[0])})"
            return compiled(src, ExprType.NUM), op in (ast.Gt, ast.GtE)
    return None, True


# ---- the tally -------------------------------------------------------------------------


@dataclass
class Tally:
    """Sums over games (see the module's docstring); `add` one game, `merge` another tally."""

    games: int = 0
    turn_games: Counter[int] = field(default_factory=Counter)  # games that finished turn t
    turn_sums: dict[int, list[float]] = field(default_factory=dict)  # metrics, then trust
    end_sums: list[float] = field(default_factory=list)
    walkouts: Counter[str] = field(default_factory=Counter)
    agreed: Counter[str] = field(default_factory=Counter)
    agreed_turns: Counter[str] = field(default_factory=Counter)  # sum of first agreement turns
    in_force: Counter[str] = field(default_factory=Counter)  # games where it held at the end
    packages: dict[str, Counter[str]] = field(default_factory=dict)
    proposals: Counter[str] = field(default_factory=Counter)
    refusals: dict[str, Counter[str]] = field(default_factory=dict)  # did -> "party on issue"
    broken: Counter[str] = field(default_factory=Counter)  # games where an agreement broke
    broken_by: dict[str, Counter[str]] = field(default_factory=dict)  # did -> who: condition
    score_sum: float = 0.0
    agreed_score: dict[str, float] = field(default_factory=dict)  # did -> scores where agreed
    bought: Counter[str] = field(default_factory=Counter)  # games agreed with side payments
    unspent: Counter[str] = field(default_factory=Counter)  # stock left at turns' ends (whole)
    unspent_turns: int = 0
    terms: list[float] = field(default_factory=list)
    overridden: Counter[str] = field(default_factory=Counter)  # ending -> games
    override_score: dict[str, float] = field(default_factory=dict)  # ending -> sum of scores
    diagnosed: int = 0
    held: Counter[str] = field(default_factory=Counter)  # clause key -> games where it held
    closest: dict[str, float] = field(default_factory=dict)  # clause key -> best gauge

    def add(self, scenario: Scenario, game: Game, run: int) -> None:
        s = scenario
        self.games += 1
        reports, score = game.reports, game.score
        for report in reports:
            t = report.turn
            self.turn_games[t] += 1
            sums = self.turn_sums.get(t) or [0.0] * len(report.after)
            self.turn_sums[t] = list(map(add, sums, report.after))
        if reports:
            last = reports[-1].after
            self.end_sums = list(map(add, self.end_sums or [0.0] * len(last), last))
        values = game.values
        keys = _keys(s)
        for sid, withdrawn in keys.withdrawn:
            if values[withdrawn]:
                self.walkouts[sid] += 1
        # Agreed at some point (its first agreement's turn), and still in force at the end:
        # an agreement that broke was agreed all the same.
        first: dict[str, int] = {}
        for report in reports:
            for p in report.proposals:
                if p.agreed:
                    first.setdefault(p.disagreement, p.turn)
        for did in s.disagreements:
            if values[names.AGREED(did)]:
                self.in_force[did] += 1
                first.setdefault(did, int(values[names.AGREED_TURN(did)]))
            if did in first:
                self.agreed[did] += 1
                self.agreed_turns[did] += first[did]
                self.agreed_score[did] = self.agreed_score.get(did, 0.0) + score
        self.score_sum += score
        self.bought.update(
            {p.disagreement for r in reports for p in r.proposals if p.agreed and p.transfers}
        )
        for report in reports:
            for p in report.proposals:
                self.proposals[p.disagreement] += 1
                if p.agreed:
                    text = ", ".join(f"{i}={o}" for i, o in p.package)
                    self.packages.setdefault(p.disagreement, Counter())[text] += 1
                else:
                    for a in p.answers:
                        if not a.accepts:
                            who = f"{a.party} on {a.objection}"
                            self.refusals.setdefault(p.disagreement, Counter())[who] += 1
            for breach in report.breaches:
                who = breach.party or "its own condition"
                self.broken_by.setdefault(breach.disagreement, Counter())[
                    f"{who}: {breach.condition}"
                ] += 1
            if report.values:
                self.unspent_turns += 1
                for rid, stock in keys.stocks:
                    self.unspent[rid] += int(report.values.get(stock, 0))
        self.broken.update({b.disagreement for r in reports for b in r.breaches})
        env = _env(game)
        terms = score_terms(s)
        if len(self.terms) < len(terms):
            self.terms = [0.0] * len(terms)
        for i, (_, sign, fn) in enumerate(terms):
            value = _number(fn(env))
            self.terms[i] += sign * value
        if game.finished and game.ending is not None:
            grade = s.endings[game.ending].grade
            if grade is not None and grade != _score_grade(s, score):
                self.overridden[game.ending] += 1
                total = self.override_score.get(game.ending, 0.0)
                self.override_score[game.ending] = total + score
        if run < DIAGNOSED:
            self._diagnose(s, game)

    def _diagnose(self, s: Scenario, game: Game) -> None:
        self.diagnosed += 1
        traced, _ = clauses(s)
        if not traced:
            return
        held: set[str] = set()
        history: dict[str, list[float]] = {m: [] for m in s.model.metrics}
        for report in game.reports:
            for mid, x in zip(report.watched.metrics, report.after, strict=False):
                history[mid].append(x)
            if not report.values:
                continue
            env = dict(report.values)
            env["__hist__"] = history
            env["__warn__"] = []
            for clause in traced:
                # A comparison of an `or` goes with that clause (traced just before it): it is
                # not tested on its own, only gauged while the `or` has never held.
                key = clause.within or clause.key
                if not clause.within and key not in held and clause.test(env):
                    held.add(key)
                # The closest value is said only of a clause that never held: once one has,
                # its gauge is not worked out again.
                if clause.gauge is not None and key not in held and not self.held[key]:
                    g = _number(clause.gauge(env))
                    if not clause.rising:
                        g = -g
                    best = self.closest.get(clause.key)
                    if best is None or g > best:
                        self.closest[clause.key] = g
        self.held.update(held)

    def merge(self, other: Tally) -> None:
        self.games += other.games
        self.turn_games.update(other.turn_games)
        for t, sums in other.turn_sums.items():
            mine = self.turn_sums.setdefault(t, [0.0] * len(sums))
            for i, x in enumerate(sums):
                mine[i] += x
        if other.end_sums:
            if not self.end_sums:
                self.end_sums = [0.0] * len(other.end_sums)
            for i, x in enumerate(other.end_sums):
                self.end_sums[i] += x
        for name in ("walkouts", "agreed", "agreed_turns", "in_force", "proposals", "unspent",
                     "overridden", "held", "broken", "bought"):  # fmt: skip
            getattr(self, name).update(getattr(other, name))
        self.score_sum += other.score_sum
        for did, total in other.agreed_score.items():
            self.agreed_score[did] = self.agreed_score.get(did, 0.0) + total
        for ending, score in other.override_score.items():
            self.override_score[ending] = self.override_score.get(ending, 0.0) + score
        for did, c in other.packages.items():
            self.packages.setdefault(did, Counter()).update(c)
        for did, c in other.refusals.items():
            self.refusals.setdefault(did, Counter()).update(c)
        for did, c in other.broken_by.items():
            self.broken_by.setdefault(did, Counter()).update(c)
        self.unspent_turns += other.unspent_turns
        if len(self.terms) < len(other.terms):
            self.terms += [0.0] * (len(other.terms) - len(self.terms))
        for i, x in enumerate(other.terms):
            self.terms[i] += x
        self.diagnosed += other.diagnosed
        for key, g in other.closest.items():
            if key not in self.closest or g > self.closest[key]:
                self.closest[key] = g

    # ---- what it says ------------------------------------------------------------------

    def to_json(self, scenario: Scenario) -> dict[str, Any]:
        s = scenario
        n = max(1, self.games)
        watched = [*s.model.metrics, *(names.TRUST(k) for k in s.model.stakeholders)]
        per_turn = {
            str(t): {
                w: round(x / self.turn_games[t], 2) for w, x in zip(watched, sums, strict=False)
            }
            for t, sums in sorted(self.turn_sums.items())
        }
        end = {w: round(x / n, 2) for w, x in zip(watched, self.end_sums, strict=False)}
        negotiations = {}
        for did in s.disagreements:
            agreed = self.agreed[did]
            refusals = self.refusals.get(did, Counter())
            negotiations[did] = {
                "agreement_rate": round(agreed / n, 4),  # agreed at some point
                "in_force_rate": round(self.in_force[did] / n, 4),  # holding at the end
                "mean_agreement_turn": round(self.agreed_turns[did] / agreed, 2)
                if agreed
                else None,
                "proposals_per_game": round(self.proposals[did] / n, 2),
                "packages": dict(self.packages.get(did, Counter()).most_common(3)),
                "refusals": dict(refusals.most_common(5)),
                "broken_rate": round(self.broken[did] / n, 4),  # games where it broke
                "broken_by": dict(self.broken_by.get(did, Counter()).most_common(3)),
                # What agreeing goes with: the mean score of the games where it was agreed
                # (at some point) and of the others (null when there were none).
                "mean_score_agreed": _mean(self.agreed_score.get(did, 0.0), agreed),
                "mean_score_not_agreed": _mean(
                    self.score_sum - self.agreed_score.get(did, 0.0), self.games - agreed
                ),
                "side_payment_rate": round(self.bought[did] / n, 4),  # agreed with payments
            }
        turns = max(1, self.unspent_turns)
        return {
            "metrics_by_turn": per_turn,
            "games_by_turn": {str(t): self.turn_games[t] for t in sorted(self.turn_games)},
            "at_end": end,
            "walkout_rates": {k: round(self.walkouts[k] / n, 4) for k in s.model.stakeholders},
            "negotiations": negotiations,
            "unspent_per_turn": {r: round(self.unspent[r] / turns, 2) for r in s.model.resources},
            "score_terms": {
                text: round(x / n, 2)
                for (text, _, _), x in zip(score_terms(s), self.terms, strict=False)
            },
            "grade_overridden": {
                e: {"games": c, "mean_score": round(self.override_score[e] / c, 2)}
                for e, c in self.overridden.most_common()
            },
            "diagnosed_runs": self.diagnosed,
        }


def _score_terms(scenario: Scenario) -> list[tuple[str, int, Callable[[Any], Any]]]:
    """The score's top-level terms (text, sign, function): `a + b - c` gives three."""
    source = str(scenario.score.source)
    try:
        tree = parse_quietly(source.replace("\n", " ").strip()).body
    except (SyntaxError, ValueError, RecursionError):
        return [(source, 1, scenario.score.fn)]
    parts: list[tuple[ast.expr, int]] = []

    def walk(node: ast.expr, sign: int) -> None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            walk(node.left, sign)
            walk(node.right, sign if isinstance(node.op, ast.Add) else -sign)
        else:
            parts.append((node, sign))

    walk(tree, 1)
    out = []
    for node, sign in parts[:20]:
        text = ast.unparse(node)
        try:
            fn = compile_expr(
                text, scenario.names, want=ExprType.NUM,
                history_metrics=frozenset(scenario.model.metrics), canonical=scenario.canonical,
            ).fn  # fmt: skip
        except ExprError:
            return [(source, 1, scenario.score.fn)]
        out.append((("- " if sign < 0 else "") + text, sign, fn))
    return out


def _env(game: Game) -> dict[str, Any]:
    """The names' values and each metric's history, as the score reads them at the end."""
    env = dict(game.values)
    reports = game.reports
    metrics = reports[0].watched.metrics if reports else ()
    columns = zip(*(r.after for r in reports), strict=True)  # each watched value's readings
    env["__hist__"] = dict(zip(metrics, map(list, columns), strict=False))
    env["__warn__"] = []
    return env


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 2) if count > 0 else None


def _number(x: Any) -> float:
    try:
        value = float(x)
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return value if math.isfinite(value) else 0.0


def _score_grade(s: Scenario, score: float) -> str:
    for grade, floor in s.grades:
        if score >= floor:
            return grade
    return "F"


def why_never(scenario: Scenario, tally: Tally, item: str) -> str:
    """Why an item was never reached, from the traced clauses: '' when nothing is known."""
    traced, _ = clauses(scenario)
    mine = [c for c in traced if c.item == item and not c.within]
    if not mine or not tally.diagnosed:
        return ""
    never = [c for c in mine if not tally.held[c.key]]
    if not never:
        return "each part of its condition held at some time, never all at once"
    out = []
    for c in never:
        # A comparison's own closest value; for an `or`, each of its comparisons'.
        gauged = [c] if c.gauge is not None else [a for a in traced if a.within == c.key]
        seen = [
            _closest(a.text, tally.closest[a.key] if a.rising else -tally.closest[a.key])
            for a in gauged
            if a.key in tally.closest
        ]
        if seen:
            out.append(f"'{c.text}' never held (closest: {'; '.join(seen)})")
        else:
            talks = _talks_said(scenario, tally, c.text)
            out.append(f"'{c.text}' never held" + (f" ({talks})" if talks else ""))
    return "; ".join(out)


def _talks_said(scenario: Scenario, tally: Tally, text: str) -> str:
    """For a clause that is one talks' state (`agreed.<d>`, `broken.<d>`): what the talks did
    in the games played, which a closest value cannot say."""
    family, _, did = text.partition(".")
    if did not in scenario.disagreements:
        return ""
    games, traced = tally.games, tally.diagnosed
    agreed, broken = tally.agreed[did], tally.broken[did]
    if family == names.AGREED.prefix:
        if agreed:  # in games played, not among those traced
            return f"{did} was agreed in {agreed} of {games} games, none of the {traced} traced"
        return f"{did} was never agreed: {agreement_said(tally, did)}"
    if family == names.BROKEN.prefix:
        if broken:
            return f"{did} broke in {broken} of {games} games, none of the {traced} traced"
        if agreed:
            return f"{did} was agreed in {agreed} of {games} games and never broke"
        return f"{did} was never agreed: {agreement_said(tally, did)}"
    return ""


def agreement_said(tally: Tally, did: str) -> str:
    """How talks that were never agreed went: proposals and who refused them most."""
    if not tally.proposals[did]:
        return "no bot ever proposed a package (the talks never opened, or no one could pay)"
    refusals = tally.refusals.get(did, Counter())
    who = ", ".join(f"{w} ({n})" for w, n in refusals.most_common(3))
    said = f"{tally.proposals[did]} proposals, none agreed"
    return f"{said}; refused most by {who}" if who else said


def _closest(text: str, gap: float) -> str:
    """The closest value seen, said as the watched side's distance from the other side."""
    if _simple(text):
        return _said(text, gap)
    return f"left side {signed(gap)} from the right"


def _simple(text: str) -> bool:
    try:
        node = parse_quietly(text).body
    except SyntaxError:
        return False
    return (
        isinstance(node, ast.Compare)
        and isinstance(node.comparators[0], ast.Constant)
        and isinstance(node.comparators[0].value, int | float)
    )


def _said(text: str, gap: float) -> str:
    node = parse_quietly(text).body
    assert isinstance(node, ast.Compare)
    bound = node.comparators[0]
    assert isinstance(bound, ast.Constant) and isinstance(bound.value, int | float)
    return f"{ast.unparse(node.left)} reached {round(bound.value + gap, 1) + 0.0:g}"  # no -0


class _Keys(NamedTuple):
    """The names a tally reads in every game: (stakeholder, withdrawn.<it>), (resource,
    res.<it>)."""

    withdrawn: tuple[tuple[str, str], ...]
    stocks: tuple[tuple[str, str], ...]


def _names_read(scenario: Scenario) -> _Keys:
    m = scenario.model
    return _Keys(
        tuple((sid, names.WITHDRAWN(sid)) for sid in m.stakeholders),
        tuple((rid, names.RES(rid)) for rid in m.resources),
    )


_keys = per_scenario(_names_read)
clauses = per_scenario(_clauses)
score_terms = per_scenario(_score_terms)
