"""The turn's mechanics: income, openings, effects, resolution, endings, in the format's order."""

from __future__ import annotations

import math
import random
from types import MappingProxyType
from typing import Any

from game.engine.effects import Runner, runner
from game.engine.negotiation import still_possible
from game.engine.report import Change, DisagreementStatus, GameState, ProposalRecord, TurnReport
from game.scenario.compiled import CEffect, Scenario

LIMIT = "limit reached"
_new = tuple.__new__  # builds a Change without the NamedTuple's Python-level __new__
QUEUED = "arrives next turn"


class Plan:
    """What the engine derives once from a scenario: keys, plans of the turn, effect runners."""

    def __init__(self, scenario: Scenario) -> None:
        m = scenario.model
        v: dict[str, Any] = {name: 0 for name in scenario.names}
        for name, kind in scenario.names.items():
            if kind.name == "BOOL":
                v[name] = False
        v["turns"] = m.turns
        for mid, metric in m.metrics.items():
            v[mid] = metric.start
        for sid, st in m.stakeholders.items():
            v[f"trust.{sid}"] = st.trust
        self.initial = v
        # Keys are built once: f-strings in the per-effect loop cost more than the rules.
        self.k_res = {r: f"res.{r}" for r in m.resources}
        self.k_trust = {k: f"trust.{k}" for k in m.stakeholders}
        self.k_gone = {k: f"withdrawn.{k}" for k in m.stakeholders}
        self.k_active = {k: f"active.{k}" for k in scenario.strategies}
        self.k_turns = {k: f"active_turns.{k}" for k in scenario.strategies}
        self.k_open = {k: f"open.{k}" for k in scenario.disagreements}
        self.k_alloc = [
            f"alloc.{lid}.{r}" for lid, line in scenario.lines.items() for r in line.accepts
        ]
        self.k_open_turns = {k: f"open_turns.{k}" for k in scenario.disagreements}
        self.k_fired = {k: f"fired.{k}" for k in scenario.events}
        self.stakeholders = tuple(m.stakeholders)
        self.metric_ids = tuple(m.metrics)
        # Effect runners by id() of their effects tuple; the tuples are kept alive with them so
        # an id() is never reused.
        self.runners: dict[int, tuple[Runner, ...]] = {}
        self.runner_keys: list[tuple[CEffect, ...]] = []
        strategies = scenario.strategies
        # Exclusivity works both ways, whichever side of the pair wrote it.
        self.exclusive = {
            k: tuple(
                o for o in strategies if o in st.exclusive_with or k in strategies[o].exclusive_with
            )
            for k, st in strategies.items()
        }
        # (line, resource) -> (stock key, allocation key), for the allocation fast path.
        self.slots = {
            (lid, r): (f"res.{r}", f"alloc.{lid}.{r}")
            for lid, line in scenario.lines.items()
            for r in line.accepts
        }
        self.alloc_slots = [
            (lid, r, f"res.{r}", f"alloc.{lid}.{r}")
            for lid, line in scenario.lines.items()
            for r in line.accepts
        ]
        self.outcomes_once = {
            (did, i, o): tuple(e for e in effects if not e.each_turn)
            for did, d in scenario.disagreements.items()
            for (i, o), effects in d.outcomes.items()
        }
        self.outcomes_each = {
            (did, i, o): tuple(e for e in effects if e.each_turn)
            for did, d in scenario.disagreements.items()
            for (i, o), effects in d.outcomes.items()
        }
        where = scenario.where
        self.income_plan = [
            (r, self.k_res[r], res.carry, res.per_turn, f"{res.label}: income",
             where.get(f"resources.{r}", 0))
            for r, res in m.resources.items()
        ]  # fmt: skip
        self.contribution_plan = [
            (k, self.k_gone[k], self.k_trust[k],
             [(r, self.k_res[r], base) for r, base in st.provides.items()],
             f"Contribution: {st.name}", where.get(f"stakeholders.{k}", 0))
            for k, st in m.stakeholders.items() if st.provides
        ]  # fmt: skip
        self.upkeep_plan = [
            (k, self.k_active[k], [(r, self.k_res[r], a) for r, a in st.upkeep],
             f"{st.label}: upkeep", st.line)
            for k, st in scenario.strategies.items()
        ]  # fmt: skip
        self.storage_plan = [
            (r, self.k_res[r], res.max, f"{res.label}: storage", where.get(f"resources.{r}", 0))
            for r, res in m.resources.items() if res.max is not None
        ]  # fmt: skip


class Rules:
    """Mutable game state plus the rules that move it. `Game` adds the player's API on top."""

    # Set by Game: the seed, its one generator (chance rolls only) and the finished turns.
    seed: int
    _rng: random.Random
    _reports: list[TurnReport]

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        plan = scenario.engine_cache.get("plan")
        if plan is None:
            plan = scenario.engine_cache["plan"] = Plan(scenario)
        # The plan's derived, read-only data (keys, income plans, effect runners) is shared
        # by every game of this scenario.
        self.p: Plan = plan
        m = scenario.model
        v = self.v = dict(plan.initial)
        self._turn = 0
        self._finished = False
        self._ending: str | None = None
        self._pending: list[str] = []
        self._opened: dict[str, int] = {}
        self._package: dict[str, tuple[tuple[str, str], ...]] = {}
        self._queued: list[tuple[str, int, str, int, bool]] = []
        self._history: dict[str, list[float]] = {k: [] for k in m.metrics}
        self._contrib: dict[str, dict[str, int]] = {}
        self._proposals: list[ProposalRecord] = []
        self._proposals_start = 0
        self._choices: list[tuple[str, str]] = []
        self._fired_now: list[str] = []
        self._opened_now: list[str] = []
        self._agreed_now: list[str] = []
        self._failed_now: list[str] = []
        self._withdrawn_now: list[str] = []
        self.warnings: list[str] = []
        v["__warn__"] = self.warnings
        self.ledger: list[Change] = []
        self._before: dict[str, float] = {}

    def _copy_rules_from(self, other: Rules) -> None:
        self.v = dict(other.v)
        self._pending = list(other._pending)
        self._opened = dict(other._opened)
        self._package = dict(other._package)
        self._queued = list(other._queued)
        self._history = {k: list(h) for k, h in other._history.items()}
        self._contrib = {k: dict(c) for k, c in other._contrib.items()}
        self._proposals = list(other._proposals)
        self._choices = list(other._choices)
        for name in ("_fired_now", "_opened_now", "_agreed_now", "_failed_now", "_withdrawn_now"):
            setattr(self, name, list(getattr(other, name)))
        self.warnings = list(other.warnings)
        self.v["__warn__"] = self.warnings
        self.ledger = list(other.ledger)
        self._before = dict(other._before)

    # ---- effects ---------------------------------------------------------------------

    def _present(self, sid: str) -> bool:
        return not self.v[self.p.k_gone[sid]]

    def _run(self, effects: tuple[CEffect, ...], phase: str, parties: tuple[str, ...] = ()) -> None:
        runners = self.p.runners.get(id(effects))
        if runners is None:
            runners = self.p.runners[id(effects)] = tuple(
                runner(e, self.p.stakeholders, parties) for e in effects
            )
            # Keep the tuple alive so its id() is never reused for another one.
            self.p.runner_keys.append(effects)
        v, ledger, resolution = self.v, self.ledger, phase == "resolution"
        for run in runners:
            run(v, ledger, self, resolution)

    def _other_effect(self, e: CEffect, amount: Any, parties: tuple[str, ...], res: bool) -> None:
        if e.kind == "resource":
            self._resource_effect(e, int(amount), "resolution" if res else "decision")
        else:
            key = f"flag.{e.ids[0]}"
            new = float(amount) if e.op == "set" else self.v[key] + amount
            self._move("flag", e.ids[0], key, new, e.cause, e.line)

    def _move(
        self, kind: Any, target: str, key: str, new: float, cause: str, line: int, note: str = ""
    ) -> None:
        v = self.v
        old = v[key]
        if new != old:
            v[key] = new
            self.ledger.append(_new(Change, (kind, target, new - old, cause, line, note)))

    def _resource_effect(self, e: CEffect, amount: int, phase: str) -> None:
        rid = e.ids[0]
        if phase == "resolution":
            # Resolution-time resource changes arrive with the next turn's income.
            # A queued `set` is kept as a set: the stock becomes that amount on arrival.
            self._queued.append((rid, amount, e.cause, e.line, e.op == "set"))
            note = QUEUED if e.op == "add" else f"set to {amount}, {QUEUED}"
            change = amount if e.op == "add" else 0
            self.ledger.append(Change("resource", rid, change, e.cause, e.line, note))
            return
        key = f"res.{rid}"
        new = amount if e.op == "set" else self.v[key] + amount
        self._move("resource", rid, key, self._resource_bounds(rid, new), e.cause, e.line)

    def _resource_bounds(self, rid: str, value: float) -> int:
        top = self.s.model.resources[rid].max
        value = max(0, int(value))
        return min(value, top) if top is not None else value

    def _change_trust(self, sid: str, amount: float, cause: str, line: int) -> None:
        key = f"trust.{sid}"
        self._move("trust", sid, key, self.v[key] + amount, cause, line)

    def _pay(self, cost: tuple[tuple[str, int], ...], cause: str, line: int) -> None:
        for rid, amount in cost:
            key = f"res.{rid}"
            self._move("resource", rid, key, self.v[key] - amount, cause, line)

    # ---- the turn --------------------------------------------------------------------

    def _start_turn(self) -> None:
        """Steps 1 and 2: income, then openings."""
        s, v, m = self.s, self.v, self.s.model
        self._turn += 1
        v["turn"] = self._turn
        self.ledger = []
        self.warnings = []
        v["__warn__"] = self.warnings
        self._choices, self._proposals_start = [], len(self._proposals)
        self._fired_now, self._opened_now, self._agreed_now = [], [], []
        self._failed_now, self._withdrawn_now = [], []
        self._before = {k: v[k] for k in m.metrics}
        for key in self.p.k_trust.values():
            self._before[key] = v[key]
        for key in self.p.k_alloc:
            v[key] = 0
        for sid, key in self.p.k_active.items():
            if v[key]:
                v[self.p.k_turns[sid]] += 1
        for did in self._opened:
            if v[self.p.k_open[did]]:
                v[self.p.k_open_turns[did]] += 1
        move = self._move
        for rid, key, carry, per_turn, cause, line in self.p.income_plan:
            if not carry and v[key]:
                move("resource", rid, key, 0, "Unspent stock does not carry over", line)
            if per_turn:
                move("resource", rid, key, v[key] + per_turn, cause, line)
        self._contrib = {}
        contribution = s.contribution.fn
        env: dict[str, Any] = {"turn": self._turn, "turns": m.turns, "__warn__": self.warnings}
        for sid, gone, trust, provides, cause, line in self.p.contribution_plan:
            if v[gone]:
                continue
            env["trust"] = v[trust]
            given = self._contrib[sid] = {}
            for rid, key, base in provides:
                env["base"] = base
                amount = max(0, math.floor(contribution(env)))
                given[rid] = amount
                if amount:
                    move("resource", rid, key, v[key] + amount, cause, line)
        for rid, amount, cause, line, is_set in self._queued:
            key = self.p.k_res[rid]
            move("resource", rid, key, max(0, amount if is_set else v[key] + amount), cause, line)
        self._queued = []
        for sid, active, upkeep, cause, line in self.p.upkeep_plan:
            if not v[active] or not upkeep:
                continue
            if any(v[key] < amount for _, key, amount in upkeep):
                label = s.strategies[sid].label
                self.warnings.append(f"{label} ended: its upkeep could not be paid.")
                self._end_strategy(sid, "decision")
            else:
                for rid, key, amount in upkeep:
                    move("resource", rid, key, v[key] - amount, cause, line)
        for rid, key, top, cause, line in self.p.storage_plan:
            if v[key] > top:
                move("resource", rid, key, top, cause, line, LIMIT)
        self._openings()

    def _openings(self) -> None:
        v, t = self.v, self._turn
        for did, d in self.s.disagreements.items():
            if did in self._opened:
                continue
            if d.opens_turn is not None and t < d.opens_turn:
                continue
            if d.opens_when is not None and not d.opens_when.fn(v):
                continue
            if t > d.deadline:
                continue
            self._opened[did] = t
            v[f"open.{did}"] = True
            v[f"open_turns.{did}"] = 1
            self._opened_now.append(did)
            if not still_possible(d, {p for p in d.parties if self._present(p)}):
                self._fail(did)
        for eid, ev in self.s.events.items():
            if ev.once and v[self.p.k_fired[eid]]:
                continue
            if ev.turn is not None and ev.turn != t:
                continue
            if ev.when is not None and not ev.when.fn(v):
                continue
            if ev.chance < 1 and not self._rng.random() < ev.chance:
                continue
            v[self.p.k_fired[eid]] = True
            self._fired_now.append(eid)
            self._run(ev.effects, "decision")
            if ev.choices:
                self._pending.append(eid)

    def _end_strategy(self, sid: str, phase: str) -> None:
        st = self.s.strategies[sid]
        early = self.v[f"active_turns.{sid}"] < st.min_turns
        self.v[f"active.{sid}"] = False
        self.v[f"active_turns.{sid}"] = 0
        if early:
            self._run(st.on_early_end, phase)

    def _agree(self, did: str, package: tuple[tuple[str, str], ...]) -> None:
        d = self.s.disagreements[did]
        v = self.v
        v[f"open.{did}"] = False
        v[f"agreed.{did}"] = True
        v[f"agreed_turn.{did}"] = self._turn
        self._package[did] = package
        self._agreed_now.append(did)
        for issue, option in package:
            v[f"chose.{did}.{issue}.{option}"] = True
            once = self.p.outcomes_once.get((did, issue, option), ())
            self._run(once, "decision", d.parties)
        self._run(d.on_agree, "decision", d.parties)

    def _fail(self, did: str, phase: str = "resolution") -> None:
        d = self.s.disagreements[did]
        self.v[f"open.{did}"] = False
        self.v[f"failed.{did}"] = True
        self._failed_now.append(did)
        self._run(d.on_fail, phase, d.parties)

    def _resolve(self) -> None:
        """Step 4, in its fixed order."""
        s, v = self.s, self.v
        for line in s.lines.values():
            self._run(line.effects, "resolution")
        for sid, st in s.strategies.items():
            if v[self.p.k_active[sid]]:
                self._run(st.each_turn, "resolution")
        for did, package in self._package.items():
            d = s.disagreements[did]
            for issue, option in package:
                each = self.p.outcomes_each.get((did, issue, option), ())
                if each:
                    self._run(each, "resolution", d.parties)
        for did, d in s.disagreements.items():
            if v[self.p.k_open[did]]:
                self._run(d.pressure, "resolution", d.parties)
        for did, d in s.disagreements.items():
            if v[self.p.k_open[did]] and self._turn >= d.deadline:
                self._fail(did)
        for rule in s.rules:
            if rule.when is None or rule.when.fn(v):
                self._run(rule.effects, "resolution")
        self._clamp()
        self._withdrawals()

    def _clamp(self) -> None:
        m, v = self.s.model, self.v
        for mid, metric in m.metrics.items():
            value = v[mid]
            if value < metric.min or value > metric.max:
                bounded = min(max(value, metric.min), metric.max)
                line = self.s.where.get(f"metrics.{mid}", 0)
                self._move("metric", mid, mid, bounded, metric.label, line, LIMIT)
        for sid, key in self.p.k_trust.items():
            value = v[key]
            if value < 0 or value > 100:
                bounded = min(max(value, 0), 100)
                line = self.s.where.get(f"stakeholders.{sid}", 0)
                self._move("trust", sid, key, bounded, m.stakeholders[sid].name, line, LIMIT)

    def _withdrawals(self) -> None:
        m, v = self.s.model, self.v
        changed = True
        while changed:
            changed = False
            for sid, st in m.stakeholders.items():
                if not self._present(sid) or st.withdraws_below is None:
                    continue
                if v[f"trust.{sid}"] < st.withdraws_below:
                    v[f"withdrawn.{sid}"] = True
                    self._withdrawn_now.append(sid)
                    changed = True
                    for strategy_id, strat in self.s.strategies.items():
                        if sid in strat.partners and v[f"active.{strategy_id}"]:
                            self._end_strategy(strategy_id, "resolution")
                    for did, d in self.s.disagreements.items():
                        present = {p for p in d.parties if self._present(p)}
                        if v[f"open.{did}"] and not still_possible(d, present):
                            self._fail(did)
            self._clamp()

    def _end_turn(self) -> TurnReport:
        for eid in self._pending:
            self.warnings.append(
                f"{self.s.events[eid].title} lapsed: none of its choices was open."
            )
        self._pending = []
        self._resolve()
        for mid in self._history:
            self._history[mid].append(self.v[mid])
        ending = self._check_endings()
        if ending is not None or self._turn >= self.s.model.turns:
            self._finished = True
            self._ending = ending
        report = self._report()
        self._reports.append(report)
        if not self._finished:
            self._start_turn()
        return report

    def _check_endings(self) -> str | None:
        last = self._turn >= self.s.model.turns
        for check in ("each_turn", "at_end"):
            if check == "at_end" and not last:
                break
            for eid, ending in self.s.endings.items():
                if ending.check == check and ending.when.fn(self.v):
                    return eid
        return None

    def _report(self) -> TurnReport:
        v, before, metrics, trust = self.v, self._before, self.p.metric_ids, self.p.k_trust
        return TurnReport(
            turn=self._turn,
            changes=tuple(self.ledger),
            metrics_before=MappingProxyType({k: before[k] for k in metrics}),
            metrics_after=MappingProxyType({k: v[k] for k in metrics}),
            trust_before=MappingProxyType({k: before[key] for k, key in trust.items()}),
            trust_after=MappingProxyType({k: v[key] for k, key in trust.items()}),
            events=tuple(self._fired_now),
            choices=tuple(self._choices),
            proposals=tuple(self._proposals[self._proposals_start :]),
            opened=tuple(self._opened_now),
            agreed=tuple(self._agreed_now),
            failed=tuple(self._failed_now),
            withdrawn=tuple(self._withdrawn_now),
            warnings=tuple(dict.fromkeys(self.warnings)),
            ending=self._ending,
            values=MappingProxyType(self._public_values()),
        )

    # ---- score and snapshots ---------------------------------------------------------

    def _public_values(self) -> dict[str, Any]:
        values = dict(self.v)
        values.pop("__warn__", None)
        values.pop("__hist__", None)
        return values

    def _history_env(self) -> dict[str, Any]:
        env = dict(self.v)
        env["__hist__"] = self._history
        env["__warn__"] = []
        return env

    def _score(self) -> float:
        value = float(self.s.score.fn(self._history_env()))
        return min(100.0, max(0.0, value)) if math.isfinite(value) else 0.0

    def _status(self, did: str) -> Any:
        v = self.v
        if v[f"agreed.{did}"]:
            return "agreed"
        if v[f"failed.{did}"]:
            return "failed"
        return "open" if v[f"open.{did}"] else "not_open"

    def _compare(self, other: Rules) -> list[tuple[str, float, float]]:
        m = self.s.model
        out = [(f"metric:{k}", self.v[k], other.v[k]) for k in m.metrics]
        out += [(f"trust:{k}", self.v[f"trust.{k}"], other.v[f"trust.{k}"]) for k in m.stakeholders]
        out += [(f"resource:{k}", self.v[f"res.{k}"], other.v[f"res.{k}"]) for k in m.resources]
        return out

    def _snapshot(self) -> GameState:
        s, m, v = self.s, self.s.model, self.v
        return GameState(
            scenario=m.id,
            seed=self.seed,
            turn=self._turn,
            turns=m.turns,
            finished=self._finished,
            ending=self._ending,
            metrics=MappingProxyType({k: v[k] for k in m.metrics}),
            trust=MappingProxyType({k: v[f"trust.{k}"] for k in m.stakeholders}),
            withdrawn=frozenset(k for k in m.stakeholders if v[f"withdrawn.{k}"]),
            resources=MappingProxyType({k: int(v[f"res.{k}"]) for k in m.resources}),
            allocations=MappingProxyType(
                {
                    lid: MappingProxyType({r: int(v[f"alloc.{lid}.{r}"]) for r in line.accepts})
                    for lid, line in s.lines.items()
                }
            ),
            active=MappingProxyType(
                {k: v[f"active_turns.{k}"] for k in s.strategies if v[f"active.{k}"]}
            ),
            disagreements=MappingProxyType(
                {
                    did: DisagreementStatus(
                        self._status(did),
                        self._opened.get(did, 0),
                        v[f"open_turns.{did}"],
                        v[f"agreed_turn.{did}"],
                        self._package.get(did, ()),
                    )
                    for did in s.disagreements
                }
            ),
            pending=tuple(self._pending),
            fired=frozenset(k for k in s.events if v[f"fired.{k}"]),
            flags=MappingProxyType({f: v[f"flag.{f}"] for f in s.flags}),
            history=MappingProxyType({k: tuple(h) for k, h in self._history.items()}),
            contributions=MappingProxyType(
                {k: MappingProxyType(c) for k, c in self._contrib.items()}
            ),
            score=self._score(),
        )
