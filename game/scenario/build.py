"""Cross-reference checks and compilation: from a schema-valid model to a playable Scenario."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, assert_never

from game.negotiation import accepts, agreement_reached, packages, utility
from game.scenario import names
from game.scenario.compiled import (
    CChoice,
    CDisagreement,
    CEffect,
    CEnding,
    CEvent,
    CLesson,
    CLine,
    CPreference,
    CRule,
    CStrategy,
    Scenario,
)
from game.scenario.errors import Problem
from game.scenario.expr import Compiled, ExprError, ExprType, compile_expr
from game.scenario.hints import did_you_mean
from game.scenario.models import DEFAULT_CONTRIBUTION, Effect, Op, ScenarioModel, Target
from game.scenario.schema_check import ID_SECTIONS, Reporter
from game.scenario.yamlpos import locate_in_scalar

Path = tuple[str | int, ...]
NUM, BOOL = ExprType.NUM, ExprType.BOOL

CONCESSION = {"boulware": 0.2, "linear": 1.0, "conceder": 5.0}
# Words an id may not be: the names' prefixes, names of their own, and the expressions' words.
RESERVED = {
    *names.BY_PREFIX,
    *names.COUNTERS,
    names.BASE,
    "true",
    "false",
    "min",
    "max",
    "abs",
    "sqrt",
    "log",
    "exp",
    "floor",
    "ceil",
    "round",
    "clamp",
    "mean",
    "final",
    "turns_above",
    "all",
    "parties",
    "and",
    "or",
    "not",
    "if",
    "else",
}
_FALLBACK = compile_expr(0, {}, want=NUM)
# The effect target that changes each kind of thing, and what an instructor calls it.
_TARGET_KEY = {"metrics": "metric", "stakeholders": "trust", "resources": "resource"}
_WHAT = {"metrics": "a metric", "stakeholders": "a partner", "resources": "a resource"}


def name_table(
    m: ScenarioModel, ids: Mapping[str, set[str]], flags: Iterable[str]
) -> dict[str, ExprType]:
    """Every name an expression of this scenario may use, with its type (game.scenario.names)."""
    table: dict[str, ExprType] = {names.TURN: NUM, names.TURNS: NUM}

    def add(family: names.Family, *ids: str) -> None:
        table[family(*ids)] = family.type

    for metric in ids["metrics"]:
        table[metric] = NUM
    for s in ids["stakeholders"]:
        add(names.TRUST, s)
        add(names.WITHDRAWN, s)
    for r in ids["resources"]:
        add(names.RES, r)
        add(names.INCOME, r)
    for line_id in ids["lines_of_effort"]:
        line = m.lines_of_effort.get(line_id)
        for r in line.accepts if line else ids["resources"]:
            add(names.ALLOC, line_id, r)
    for s in ids["strategies"]:
        add(names.ACTIVE, s)
        add(names.ACTIVE_TURNS, s)
    for d in ids["disagreements"]:
        for family in (
            names.OPEN, names.AGREED, names.FAILED, names.OPEN_TURNS, names.AGREED_TURN,
            names.BROKEN,
        ):  # fmt: skip
            add(family, d)
        dis = m.disagreements.get(d)
        for issue_id, issue in dis.issues.items() if dis else ():
            for option in issue.options:
                add(names.CHOSE, d, issue_id, option)
    for e in ids["events"]:
        add(names.FIRED, e)
        event = m.events.get(e)
        for choice in event.choices if event else ():
            add(names.CHOSE, e, choice)
    for f in flags:
        add(names.FLAG, f)
    return table


def all_effects(m: ScenarioModel) -> Iterable[tuple[Path, Effect]]:
    """Every effect the scenario writes, with its path in the file."""
    for lid, line in m.lines_of_effort.items():
        for i, e in enumerate(line.effects):
            yield ("lines_of_effort", lid, "effects", i), e
    for sid, s in m.strategies.items():
        for part in ("each_turn", "on_activate", "on_early_end"):
            for i, e in enumerate(getattr(s, part)):
                yield ("strategies", sid, part, i), e
    for did, d in m.disagreements.items():
        for i, e in enumerate(d.pressure):
            yield ("disagreements", did, "pressure", i), e
        for key, effects in d.outcomes.items():
            for i, e in enumerate(effects):
                yield ("disagreements", did, "outcomes", key, i), e
        for part in ("on_agree", "on_fail", "on_breach"):
            for i, e in enumerate(getattr(d, part)):
                yield ("disagreements", did, part, i), e
    for eid, ev in m.events.items():
        for i, e in enumerate(ev.effects):
            yield ("events", eid, "effects", i), e
        for cid, c in ev.choices.items():
            for i, e in enumerate(c.effects):
                yield ("events", eid, "choices", cid, "effects", i), e
    for r, rule in enumerate(m.rules):
        for i, e in enumerate(rule.effects):
            yield ("rules", r, "effects", i), e


class Builder:
    """Checks references and compiles expressions, reporting into one Reporter."""

    def __init__(
        self,
        m: ScenarioModel,
        ids: Mapping[str, set[str]],
        rep: Reporter,
        text: str,
        failed: set[str] | None = None,
    ) -> None:
        self.m = m
        # Checks against the number of turns are skipped when `turns` itself is wrong.
        self.turns_known = "turns" not in (failed or set())
        self.ids = ids
        self.rep = rep
        self.lines = text.splitlines()
        self.flags = sorted({e.flag for _, e in self._all_effects() if e.flag is not None})
        self.names = name_table(m, ids, self.flags)
        self.canonical = {name: name for name in self.names}
        self.history = frozenset(ids["metrics"])

    # ---- helpers -------------------------------------------------------------------

    def line_of(self, path: Path) -> int:
        return self.rep.positions.value(path).line

    def expr(
        self,
        source: Any,
        path: Path,
        want: ExprType,
        *,
        history: bool = False,
        table: Mapping[str, ExprType] | None = None,
    ) -> Compiled:
        try:
            return compile_expr(
                source,
                self.names if table is None else table,
                want=want,
                history_metrics=self.history if history else None,
                canonical=self.canonical,
            )
        except ExprError as exc:
            mark = self.rep.positions.value(path)
            if isinstance(source, str) and self.rep.positions.exact(path):
                mark = locate_in_scalar(self.lines, mark, source, exc.offset)
            where = ".".join(str(p) for p in path)
            self.rep.problems.append(
                Problem(self.rep.file, mark.line, mark.col, "error", f"{where}: {exc.message}")
            )
            return _FALLBACK

    def say(self, path: Path, message: str, *, key: bool = False, warning: bool = False) -> None:
        """Report `message` at `path`, after the path written as in every message (the mapping
        that holds it, for a key)."""
        where = ".".join(str(p) for p in (path[:-1] if key else path))
        self.rep.at(path, f"{where}: {message}", key=key, warning=warning)

    def exists(self, section: str, ident: str, path: Path, what: str) -> bool:
        if ident in self.ids[section]:
            return True
        suggestion = did_you_mean(ident, self.ids[section])
        other = next((s for s in _TARGET_KEY if ident in self.ids[s] and s != section), None)
        if other is not None:
            # `{metric: fgs}` for a partner: say what it is, and the target that changes it.
            suggestion = f"; '{ident}' is {_WHAT[other]}"
            if path[-1] in _TARGET_KEY.values():
                suggestion += f"; use '{_TARGET_KEY[other]}: {ident}'"
        where = ".".join(str(p) for p in path[:-1] if not isinstance(p, int) or p != path[-1])
        self.rep.at(path, f"{where}: unknown {what} '{ident}'{suggestion}")
        return False

    def _all_effects(self) -> Iterable[tuple[Path, Effect]]:
        return all_effects(self.m)

    def amounts(self, amounts: Mapping[str, int], path: Path) -> tuple[tuple[str, int], ...]:
        for rid, amount in amounts.items():
            self.exists("resources", rid, path + (rid,), "resource")
            if amount < 0:
                self.say(path + (rid,), f"an amount must not be negative, found {amount}")
        return tuple(amounts.items())

    def effects(
        self,
        effects: list[Effect],
        path: Path,
        cause: str,
        parties: tuple[str, ...] | None = None,
        outcome: bool = False,
    ) -> tuple[CEffect, ...]:
        out = []
        for i, e in enumerate(effects):
            out.append(self.effect(e, path + (i,), cause, parties, outcome))
        return tuple(out)

    def effect(
        self, e: Effect, path: Path, cause: str, parties: tuple[str, ...] | None, outcome: bool
    ) -> CEffect:
        kind = e.target_kind
        scope = ""
        ids: tuple[str, ...] = ()
        match kind:
            case Target.METRIC if e.metric is not None:
                self.exists("metrics", e.metric, path + ("metric",), "metric")
                ids = (e.metric,)
            case Target.RESOURCE if e.resource is not None:
                self.exists("resources", e.resource, path + ("resource",), "resource")
                ids = (e.resource,)
            case Target.FLAG if e.flag is not None:
                ids = (e.flag,)
            case Target.INCOME if e.income is not None:
                self.exists("resources", e.income, path + ("income",), "resource")
                ids = (e.income,)
            case Target.TRUST:
                ids, scope = self.trust_target(e, path, parties)
            case Target.REVEAL:
                ids = self.reveal_target(e, path)
                return CEffect(
                    kind, ids, "", Op.ADD, _FALLBACK, self._when(e, path), e.note or cause,
                    self.line_of(path), False, e.disagreement or "", e.what or "all",
                )  # fmt: skip
            case Target.METRIC | Target.RESOURCE | Target.FLAG | Target.INCOME:
                pass  # no id: the model refused it already
            case _:
                assert_never(kind)
        if e.each_turn and not outcome:
            where = ".".join(map(str, path))
            message = f"{where}: 'each_turn' is only allowed in a disagreement's outcomes"
            self.rep.at(path + ("each_turn",), message)
        op = Op.ADD if e.add is not None else Op.SET
        source = e.add if e.add is not None else e.set
        value = self.expr(source, path + (op,), NUM)
        when = self._when(e, path)
        return CEffect(
            kind, ids, scope, op, value, when, e.note or cause, self.line_of(path), e.each_turn
        )

    def _when(self, e: Effect, path: Path) -> Compiled | None:
        return self.expr(e.when, path + ("when",), BOOL) if e.when is not None else None

    def reveal_target(self, e: Effect, path: Path) -> tuple[str, ...]:
        """The parties a `reveal` effect discloses: those named (each a party of its
        disagreement), or all of its parties for `all` and `parties`."""
        did = e.disagreement or ""
        if not self.exists("disagreements", did, path + ("disagreement",), "disagreement"):
            return ()
        parties = tuple(self.m.disagreements[did].parties)
        target = e.reveal
        if target in ("all", "parties"):
            return parties
        ids = (target,) if isinstance(target, str) else tuple(target or ())
        for j, party in enumerate(ids):
            sub = path + ("reveal",) if isinstance(target, str) else path + ("reveal", j)
            if party not in parties:
                where = ".".join(map(str, path))
                self.rep.at(sub, f"{where}: '{party}' is not a party of disagreement '{did}'")
        return tuple(p for p in ids if p in parties)

    def trust_target(
        self, e: Effect, path: Path, parties: tuple[str, ...] | None
    ) -> tuple[tuple[str, ...], str]:
        """A trust effect's stakeholders and scope ('all', 'parties' or '' for named ones)."""
        target = e.trust
        if target in ("all", "parties"):
            scope = str(target)
            if scope == "parties" and parties is None:
                where = ".".join(map(str, path))
                message = f"{where}: 'parties' is only meaningful inside a disagreement"
                self.rep.at(path + ("trust",), message)
            return (), scope
        ids = (target,) if isinstance(target, str) else tuple(target or ())
        for j, s in enumerate(ids):
            sub = path + ("trust",) if isinstance(target, str) else path + ("trust", j)
            self.exists("stakeholders", s, sub, "stakeholder")
        return ids, ""

    def requires(self, source: Any, path: Path) -> Compiled | None:
        return None if source is None else self.expr(source, path, BOOL)

    # ---- sections ------------------------------------------------------------------

    def check_ids(self) -> None:
        seen: dict[str, str] = {}
        for section in ID_SECTIONS:
            for ident in self.ids[section]:
                if ident in seen and seen[ident] != section:
                    self.say(
                        (section, ident),
                        f"id '{ident}' is used in both {seen[ident]} and {section}; "
                        "ids must be unique across the scenario",
                        key=True,
                    )
                seen.setdefault(ident, section)
        for metric in self.ids["metrics"]:
            if metric in RESERVED:
                self.say(
                    ("metrics", metric),
                    f"'{metric}' is a reserved name; choose another metric id",
                    key=True,
                )
        for s in self.ids["stakeholders"]:
            if s in ("all", "parties"):
                self.say(
                    ("stakeholders", s),
                    f"'{s}' is reserved for trust effects; choose another id",
                    key=True,
                )

    def metrics(self) -> str:
        heads = [k for k, v in self.m.metrics.items() if v.headline]
        if len(heads) != 1 and self.m.metrics:
            where = ("metrics", heads[1]) if len(heads) > 1 else ("metrics",)
            found = ", ".join(heads) if heads else "none"
            self.say(where, f"exactly one metric must have 'headline: true'; found {found}")
        for k, v in self.m.metrics.items():
            if v.min >= v.max:
                self.say(("metrics", k, "max"), f"max ({v.max}) must be above min ({v.min})")
            elif not v.min <= v.start <= v.max:
                self.say(
                    ("metrics", k, "start"),
                    f"{v.start} is outside {v.min}..{v.max}",
                )
        return heads[0] if heads else next(iter(self.m.metrics), "")

    def stakeholders(self) -> None:
        for sid, s in self.m.stakeholders.items():
            for rid in s.provides:
                self.exists("resources", rid, ("stakeholders", sid, "provides", rid), "resource")
            if s.withdraws_below is not None and s.trust < s.withdraws_below:
                self.say(
                    ("stakeholders", sid, "trust"),
                    f"starts below its withdraws_below "
                    f"({s.withdraws_below}) and will leave at once",
                    warning=True,
                )

    def lines_of_effort(self) -> dict[str, CLine]:
        out = {}
        for lid, line in self.m.lines_of_effort.items():
            for j, rid in enumerate(line.accepts):
                self.exists("resources", rid, ("lines_of_effort", lid, "accepts", j), "resource")
            effects = self.effects(line.effects, ("lines_of_effort", lid, "effects"), line.label)
            out[lid] = CLine(
                lid,
                line.label,
                tuple(line.accepts),
                effects,
                self.line_of(("lines_of_effort", lid)),
            )
        return out

    def strategies(self) -> dict[str, CStrategy]:
        out = {}
        for sid, s in self.m.strategies.items():
            p: Path = ("strategies", sid)
            for j, partner in enumerate(s.partners):
                self.exists("stakeholders", partner, p + ("partners", j), "stakeholder")
            for j, other in enumerate(s.exclusive_with):
                if other == sid:
                    self.say(
                        p + ("exclusive_with", j),
                        "a strategy cannot exclude itself",
                    )
                else:
                    self.exists("strategies", other, p + ("exclusive_with", j), "strategy")
            out[sid] = CStrategy(
                sid,
                s.label,
                s.kind,
                tuple(s.partners),
                self.requires(s.requires, p + ("requires",)),
                self.amounts(s.cost, p + ("cost",)),
                self.amounts(s.upkeep, p + ("upkeep",)),
                s.min_turns,
                tuple(s.exclusive_with),
                self.effects(s.each_turn, p + ("each_turn",), s.label),
                self.effects(s.on_activate, p + ("on_activate",), f"{s.label} activated"),
                self.effects(s.on_early_end, p + ("on_early_end",), f"{s.label} ended early"),
                self.line_of(p),
            )
        return out

    def disagreements(self) -> dict[str, CDisagreement]:
        out = {}
        for did, d in self.m.disagreements.items():
            p: Path = ("disagreements", did)
            parties = tuple(d.parties)
            for j, party in enumerate(parties):
                self.exists("stakeholders", party, p + ("parties", j), "stakeholder")
                if party in parties[:j]:
                    self.say(p + ("parties", j), f"party '{party}' is listed twice")
            for j, v in enumerate(d.agreement.vetoes):
                if v not in parties:
                    self.say(
                        p + ("agreement", "vetoes", j),
                        f"veto holder '{v}' is not one of the parties",
                    )
            needs = None if d.agreement.needs == "all" else int(d.agreement.needs)
            if needs is not None and not len(set(d.agreement.vetoes)) <= needs <= len(parties):
                self.say(
                    p + ("agreement", "needs"),
                    f"needs {needs} cannot be met by {len(parties)} parties with "
                    f"{len(d.agreement.vetoes)} vetoes",
                )
            if d.opens.turn is not None and d.opens.turn > d.deadline:
                self.say(
                    p + ("deadline",),
                    f"turn {d.deadline} comes before it opens on turn {d.opens.turn}",
                )
            elif d.opens.turn is not None and d.opens.turn == d.deadline:
                self.say(
                    p + ("deadline",),
                    "it opens on its deadline turn; with no time to concede, every party "
                    "holds out for its aspiration",
                    warning=True,
                )
            if self.turns_known and d.deadline > self.m.turns:
                self.say(
                    p + ("deadline",),
                    f"turn {d.deadline} is after the last turn ({self.m.turns}); it can never fail",
                    warning=True,
                )
            issues = {i: tuple(issue.options) for i, issue in d.issues.items()}
            prefs = self.preferences(did, d.preferences, parties, issues)
            outcomes: dict[tuple[str, str], tuple[CEffect, ...]] = {}
            for key, effects in d.outcomes.items():
                issue_id, _, option = key.partition(".")
                if issue_id not in issues or option not in issues[issue_id]:
                    pairs = [f"{i}.{o}" for i, options in issues.items() for o in options]
                    self.say(
                        p + ("outcomes", key),
                        f"'{key}' must name an issue.option pair of this disagreement"
                        + did_you_mean(key, pairs),
                        key=True,
                    )
                    continue
                label = f"{d.label}: {d.issues[issue_id].options[option]}"
                outcomes[(issue_id, option)] = self.effects(
                    effects, p + ("outcomes", key), label, parties, outcome=True
                )
            opens_when = self.requires(d.opens.when, p + ("opens", "when"))
            out[did] = CDisagreement(
                did,
                d.label,
                parties,
                needs,
                tuple(d.agreement.vetoes),
                d.opens.turn,
                opens_when,
                d.deadline,
                self.amounts(d.proposal_cost, p + ("proposal_cost",)),
                self.effects(d.pressure, p + ("pressure",), f"{d.label} unresolved", parties),
                MappingProxyType(issues),
                MappingProxyType(prefs),
                MappingProxyType(outcomes),
                self.effects(d.on_agree, p + ("on_agree",), f"{d.label} agreed", parties),
                self.effects(d.on_fail, p + ("on_fail",), f"{d.label} failed", parties),
                self.line_of(p),
                d.offers,
                self.requires(d.holds_while, p + ("holds_while",)),
                self.effects(d.on_breach, p + ("on_breach",), f"{d.label} broken", parties),
                d.reopens.deadline if d.reopens is not None else None,
            )
            if (d.on_breach or d.reopens is not None) and not out[did].breakable:
                what = "on_breach" if d.on_breach else "reopens"
                self.say(
                    p + (what,),
                    "the agreement can never break: no 'holds_while' on the disagreement "
                    "or on a party's preferences",
                    warning=True,
                    key=True,
                )
            if prefs.keys() == set(parties):
                self.settled(out[did], p)
        return out

    def settled(self, d: CDisagreement, p: Path) -> None:
        """Warnings when a disagreement can never be agreed (at the deadline with trust 100),
        or not at the trust its parties can plausibly reach (the deadline, each party's start
        trust + 20), naming the party that blocks; or when it has too many packages to tell."""
        total = math.prod(len(options) for options in d.issues.values())
        if total > _PACKAGES_CHECKED:
            self.say(
                p + ("issues",),
                f"{total:,} packages, more than {_PACKAGES_CHECKED:,}: validate does not check "
                "whether any of them can be agreed",
                warning=True,
                key=True,
            )
            return
        if not _agreeable(d):
            self.say(
                p + ("preferences",),
                "no package can ever be agreed: even at the deadline, with trust "
                "100, too few parties accept any of them; lower a reservation or add an "
                "option",
                warning=True,
                key=True,
            )
            return
        stakeholders = self.m.stakeholders
        plausible = {
            party: min(100.0, stakeholders[party].trust + PLAUSIBLE_GAIN)
            for party in d.parties
            if party in stakeholders
        }
        if len(plausible) < len(d.parties):
            return  # an unknown party: its own error says enough
        blocker = _blocker(d, plausible)
        if blocker is not None:
            name = stakeholders[blocker].name
            self.say(
                p + ("preferences",),
                "cannot be settled at the trust its parties can plausibly reach (each "
                f"party's start trust + {PLAUSIBLE_GAIN}, at the deadline): {name} "
                f"({blocker}) blocks every package the others would accept; lower its "
                "reservation, raise its start trust or add an option it values",
                warning=True,
                key=True,
            )

    def preferences(
        self,
        did: str,
        prefs: Mapping[str, Any],
        parties: tuple[str, ...],
        issues: dict[str, tuple[str, ...]],
    ) -> dict[str, CPreference]:
        out = {}
        base: Path = ("disagreements", did, "preferences")
        for party in parties:
            if party not in prefs:
                self.say(base, f"none for party '{party}'")
        for party, pref in prefs.items():
            p = base + (party,)
            if party not in parties:
                self.say(p, f"'{party}' has preferences but is not a party", key=True)
                continue
            ok = True
            for issue in issues:
                if issue not in pref.weights:
                    self.say(p + ("weights",), f"no weight for issue '{issue}'")
                    ok = False
                if issue not in pref.values:
                    self.say(p + ("values",), f"no values for issue '{issue}'")
                    ok = False
                    continue
                for option in issues[issue]:
                    if option not in pref.values[issue]:
                        self.say(
                            p + ("values", issue),
                            f"no value for option '{issue}.{option}'",
                        )
                        ok = False
            for issue, w in pref.weights.items():
                if issue not in issues:
                    self.say(p + ("weights", issue), f"unknown issue '{issue}'", key=True)
                    ok = False
                elif w < 0:
                    self.say(p + ("weights", issue), "a weight must not be negative")
                    ok = False
            for issue, values in pref.values.items():
                if issue not in issues:
                    self.say(p + ("values", issue), f"unknown issue '{issue}'", key=True)
                    ok = False
                    continue
                for option, v in values.items():
                    if option not in issues[issue]:
                        self.say(
                            p + ("values", issue, option),
                            f"unknown option '{issue}.{option}'",
                            key=True,
                        )
                        ok = False
                    if not 0 <= v <= 1:
                        self.say(
                            p + ("values", issue, option),
                            f"value {v} is outside 0..1",
                        )
                        ok = False
            for key in ("reservation", "aspiration"):
                v = getattr(pref, key)
                if not 0 <= v <= 1:
                    self.say(p + (key,), f"{key} {v} is outside 0..1")
                    ok = False
            if pref.reservation > pref.aspiration:
                self.say(
                    p + ("reservation",),
                    f"reservation {pref.reservation} is above aspiration {pref.aspiration}",
                )
            total = sum(w for i, w in pref.weights.items() if i in issues and w > 0)
            if ok and total <= 0:
                self.say(p + ("weights",), "the weights must not all be 0")
                ok = False
            if not ok:
                continue
            twice = sorted({w for w in pref.public if pref.public.count(w) > 1})
            if twice:
                said = ", ".join(f"'{w}'" for w in twice)
                self.say(p + ("public",), f"{said} is listed more than once", warning=True)
            e = pref.concession
            side = self.side_payments(pref.side_payments, p + ("side_payments",))
            holds = self.requires(pref.holds_while, p + ("holds_while",))
            out[party] = CPreference(
                MappingProxyType({i: pref.weights[i] / total for i in issues}),
                MappingProxyType(
                    {
                        i: MappingProxyType({o: float(pref.values[i][o]) for o in issues[i]})
                        for i in issues
                    }
                ),
                float(pref.reservation),
                float(pref.aspiration),
                CONCESSION[e] if isinstance(e, str) else float(e),
                tuple(dict.fromkeys(pref.public)),
                MappingProxyType(side),
                holds,
            )
        return out

    def side_payments(self, side: Mapping[str, Any], path: Path) -> dict[str, tuple[float, int]]:
        """Each valued resource's utility per unit and most units per proposal (by default
        the resource's `max`, or 100 when it has none)."""
        out = {}
        for rid, pay in side.items():
            if not self.exists("resources", rid, path + (rid,), "resource"):
                continue
            if pay.per_unit <= 0:
                self.say(path + (rid, "per_unit"), f"must be above 0, found {pay.per_unit}")
                continue
            top = self.m.resources[rid].max
            if pay.max is not None and top is not None and pay.max > top:
                self.say(
                    path + (rid, "max"),
                    f"max {pay.max} is above the resource's own max ({top}): no proposal can "
                    f"pay more than {top}",
                    warning=True,
                )
            most = pay.max if pay.max is not None else (top if top is not None else 100)
            out[rid] = (float(pay.per_unit), int(most))
        return out

    def events(self) -> dict[str, CEvent]:
        out = {}
        for eid, ev in self.m.events.items():
            p: Path = ("events", eid)
            if self.turns_known and ev.turn is not None and ev.turn > self.m.turns:
                self.say(
                    p + ("turn",),
                    f"turn {ev.turn} is after the last turn ({self.m.turns}); it never fires",
                    warning=True,
                )
            if ev.chance == 0:
                self.say(p + ("chance",), "chance 0 means it never fires", warning=True)
            choices = {}
            for cid, c in ev.choices.items():
                cp = p + ("choices", cid)
                choices[cid] = CChoice(
                    cid,
                    c.label,
                    self.requires(c.requires, cp + ("requires",)),
                    self.effects(c.effects, cp + ("effects",), f"{ev.title}: {c.label}"),
                    self.line_of(cp),
                )
            # (Not when a choice was dropped for its own error: that error says enough.)
            written = self._written(p + ("choices",))
            if (
                ev.choices
                and written <= len(ev.choices)
                and all(c.requires is not None for c in ev.choices.values())
            ):
                self.say(
                    p + ("choices",),
                    "every choice has 'requires'; when none holds, the event lapses unanswered",
                    warning=True,
                )
            when = self.requires(ev.when, p + ("when",))
            self.never(when, p + ("when",))
            out[eid] = CEvent(
                eid,
                ev.title,
                ev.text,
                ev.turn,
                when,
                float(ev.chance),
                ev.once,
                MappingProxyType(choices),
                self.effects(ev.effects, p + ("effects",), ev.title),
                self.line_of(p),
            )
        return out

    def never(self, c: Compiled | None, path: Path) -> None:
        if c is not None and c is not _FALLBACK and c.is_constant and c.constant is False:
            self.rep.at(
                path, f"{'.'.join(map(str, path))}: this condition is always false", warning=True
            )

    def rules(self) -> list[CRule]:
        out = []
        for r, rule in enumerate(self.m.rules):
            p: Path = ("rules", r)
            when = self.requires(rule.when, p + ("when",))
            self.never(when, p + ("when",))
            out.append(
                CRule(
                    rule.label,
                    when,
                    self.effects(rule.effects, p + ("effects",), rule.label),
                    self.line_of(p),
                )
            )
        return out

    def endings(self) -> dict[str, CEnding]:
        out = {}
        closed = {"each_turn": False, "at_end": False}
        for eid, e in self.m.endings.items():
            p: Path = ("endings", eid)
            when = self.expr(e.when, p + ("when",), BOOL)
            self.never(when, p + ("when",))
            if closed[e.check] or (e.check == "at_end" and closed["each_turn"]):
                self.rep.at(
                    p,
                    f"endings.{eid}: can never be reached; an earlier ending always matches first",
                    warning=True,
                    key=True,
                )
            if when.is_constant and when.constant is True:
                closed[e.check] = True
            out[eid] = CEnding(
                eid,
                e.check,
                when,
                e.grade,
                e.title or eid.replace("_", " ").capitalize(),
                e.text,
                self.line_of(p),
            )
        broken = any(e.when is _FALLBACK for e in out.values())  # its error says enough
        if out and not broken and not (closed["at_end"] or closed["each_turn"]):
            self.rep.at(
                ("endings",),
                "endings: none is sure to apply at the last turn, so a game can end with no "
                'ending; add a last one with check: at_end and when: "true"',
                warning=True,
                key=True,
            )
        return out

    def grades(self) -> tuple[tuple[str, float], ...]:
        grades = self.m.scoring.grades
        order = [g for g in ("A", "B", "C", "D") if g in grades]
        for a, b in itertools.pairwise(order):
            if grades[a] <= grades[b]:
                self.say(
                    ("scoring", "grades", b),
                    f"{b} ({grades[b]}) must be below {a} ({grades[a]})",
                )
        return tuple((g, float(grades[g])) for g in order)

    def warnings(self, lines: Mapping[str, CLine]) -> None:
        m = self.m
        accepted = {r for line in m.lines_of_effort.values() for r in line.accepts}
        # A resource only spent on costs (political capital, say) is used, not stranded.
        spent = {r for st in m.strategies.values() for r in (*st.cost, *st.upkeep)}
        spent |= {r for d in m.disagreements.values() for r in d.proposal_cost}
        spent |= {r for r in self.ids["resources"] if self._mentioned(names.RES(r))}
        for rid in self.ids["resources"]:
            if rid not in accepted and rid not in spent:
                self.rep.at(
                    ("resources", rid),
                    f"resources.{rid}: nothing uses it (no line of effort accepts it, "
                    "no cost spends it)",
                    warning=True,
                    key=True,
                )
        supplied = {r for r, res in m.resources.items() if res.per_turn > 0}
        supplied |= {r for s in m.stakeholders.values() for r, v in s.provides.items() if v > 0}
        supplied |= {e.resource for _, e in self._all_effects() if e.resource is not None}
        for lid, line in m.lines_of_effort.items():
            if not any(r in supplied for r in line.accepts):
                self.rep.at(
                    ("lines_of_effort", lid),
                    f"lines_of_effort.{lid}: no resource it accepts is ever supplied",
                    warning=True,
                    key=True,
                )
        used: set[str] = set()
        for s in m.stakeholders:
            if m.stakeholders[s].provides:
                used.add(s)
        for st in m.strategies.values():
            used.update(st.partners)
        for d in m.disagreements.values():
            used.update(d.parties)
        for _, e in self._all_effects():
            if e.trust is not None:
                used.update([e.trust] if isinstance(e.trust, str) else e.trust)
        if any(e.trust == "all" for _, e in self._all_effects()):
            used.update(m.stakeholders)
        for s in self.ids["stakeholders"]:
            if (
                s not in used
                and not self._mentioned(names.TRUST(s))
                and not self._mentioned(names.WITHDRAWN(s))
            ):
                self.rep.at(
                    ("stakeholders", s),
                    f"stakeholders.{s}: is never used (provides nothing, in no strategy, "
                    f"disagreement or effect)",
                    warning=True,
                    key=True,
                )

    def _written(self, path: Path) -> int:
        """How many keys the file writes in the mapping at `path` (valid or not)."""
        depth = len(path)
        return len(
            {k[depth] for k in self.rep.positions.marks if len(k) > depth and k[:depth] == path}
        )

    def _mentioned(self, name: str) -> bool:
        return name in self.mentioned

    def build(self, file: str) -> Scenario:
        self.mentioned: set[str] = set()
        self.check_ids()
        headline = self.metrics()
        self.stakeholders()
        contribution_names = names.CONTRIBUTION_NAMES
        contribution = self.expr(
            self.m.contribution, ("contribution",), NUM, table=contribution_names
        )
        lines = self.lines_of_effort()
        strategies = self.strategies()
        disagreements = self.disagreements()
        events = self.events()
        rules = self.rules()
        endings = self.endings()
        score = self.expr(self.m.scoring.score, ("scoring", "score"), NUM, history=True)
        grades = self.grades()
        lessons = []
        for i, lesson in enumerate(self.m.lessons):
            when = self.expr(lesson.when, ("lessons", i, "when"), BOOL, history=True)
            lessons.append(CLesson(i, when, lesson.text, self.line_of(("lessons", i))))
        self.mentioned = set()
        for c in _compiled_in(
            strategies, disagreements, events, rules, endings, lines, lessons, score
        ):
            self.mentioned |= c.names
        self.warnings(lines)
        return Scenario(
            model=self.m,
            file=file,
            names=MappingProxyType(self.names),
            canonical=MappingProxyType(self.canonical),
            flags=tuple(self.flags),
            headline=headline,
            contribution=contribution,
            lines=MappingProxyType(lines),
            strategies=MappingProxyType(strategies),
            disagreements=MappingProxyType(disagreements),
            events=MappingProxyType(events),
            rules=tuple(rules),
            endings=MappingProxyType(endings),
            score=score,
            grades=grades,
            lessons=tuple(lessons),
            where=MappingProxyType(
                {
                    f"{section}.{ident}": self.line_of((section, ident))
                    for section in ID_SECTIONS
                    for ident in self.ids[section]
                }
            ),
        )


_PACKAGES_CHECKED = 100_000  # beyond this many packages the check is skipped (and said so)
# How far above its start trust a party can plausibly be brought within a game.
PLAUSIBLE_GAIN = 20


def _agreeable(d: CDisagreement) -> bool:
    """Whether some package could be agreed with every party at its most yielding (the
    deadline, trust 100) and the most side payments it values, by the engine's own negotiation
    rules; True when there are too many packages to try them all."""
    sizes = [len(options) for options in d.issues.values()]
    if not sizes or not all(sizes) or math.prod(sizes) > _PACKAGES_CHECKED:
        return True  # nothing to try (its errors say why), or too much
    return _blocker(d, dict.fromkeys(d.parties, 100.0)) is None


def _most_side_payments(d: CDisagreement) -> dict[str, dict[str, int]]:
    """The most units of each resource each party values as a side payment (one proposal)."""
    return {
        party: {rid: top for rid, (_, top) in pref.side_payments.items()}
        for party, pref in d.preferences.items()
    }


def _blocker(d: CDisagreement, trust: Mapping[str, float]) -> str | None:
    """None when some package is agreed at the deadline with these trusts; else the party
    that blocks most: the one that alone refuses the most packages (then the one refusing
    most), first in party order on a tie."""
    alone = dict.fromkeys(d.parties, 0)
    refused = dict.fromkeys(d.parties, 0)
    present = set(d.parties)
    most = _most_side_payments(d)
    for package in packages(d):
        accepting = {
            party
            for party, pref in d.preferences.items()
            if accepts(utility(pref, package, most[party]), pref, 1.0, trust[party])
        }
        if agreement_reached(d, accepting, present):
            return None
        refusing = [party for party in d.parties if party not in accepting]
        for party in refusing:
            refused[party] += 1
        if len(refusing) == 1:
            alone[refusing[0]] += 1
    return max(d.parties, key=lambda party: (alone[party], refused[party]))


def _compiled_in(*parts: Any) -> Iterable[Compiled]:
    """Every compiled expression inside the built parts (for 'is this name used?')."""
    stack: list[Any] = list(parts)
    while stack:
        item = stack.pop()
        if isinstance(item, Compiled):
            yield item
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif hasattr(item, "__slots__"):
            stack.extend(getattr(item, s) for s in item.__slots__)


__all__ = ["DEFAULT_CONTRIBUTION", "Builder"]
