"""The human report of a playtest: a table per policy, score histograms, coverage with the
file:line of what nobody reached, dominant fixed policies, paths to endings; and a progress bar."""

from __future__ import annotations

import math
import shlex
import textwrap
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from game.debrief.chart import BLOCKS
from game.playtest.compare import percent, signed
from game.playtest.coverage import KINDS, inventory, never_reached
from game.playtest.policies import is_fixed
from game.playtest.runner import (
    GRADES,
    NO_ENDING,
    BatchResult,
    capped_notes,
    score_summary,
    why_never_reached,
)
from game.playtest.runner import (
    dominance as runner_dominance,
)
from game.safe_text import printable

BAR = 40
DETAIL_MARK = "Written by accord playtest --detail"  # the last line of every --detail file
WIDTH = 100


def report(results: Sequence[BatchResult], workers: int, detail: bool = False) -> str:
    """The whole human report for one or more policies run on one scenario."""
    first = results[0]
    s = first.scenario
    seconds = sum(r.seconds for r in results)
    games = sum(r.runs for r in results)
    rate = games / seconds if seconds > 0 else 0.0
    runs = f"{first.runs} run{'s' * (first.runs != 1)}"
    seeds = (
        f"seed {first.seed}"
        if first.runs == 1
        else f"seeds {first.seed}..{first.seed + first.runs - 1}"
    )
    out = [
        f"{s.title} ({s.id}, {shown(s.file)}): {s.turns} turns",
        f"{runs} per policy, {seeds}, {workers} worker{'s' * (workers != 1)}: "
        f"{seconds:.1f} s, {per_second(rate)} games/s",
        "",
        *table(results),
        "",
    ]
    if len(results) > 1:
        out += [*dominance(results), ""]
    overrides = overridden(results)
    if overrides:
        out += [*overrides, ""]
    shown_here = results if detail else [r for r in results if not is_fixed(r.policy)]
    for r in shown_here[:MOST_EXPLAINED] if not detail else shown_here:
        out += [*explain(r, detail), ""]
    out += histograms(results)
    out += ["", *coverage(results)]
    out += ["", *paths(results)]
    notes = capped_notes(s)
    if notes:
        out += ["", "Capped (to keep the playtest bounded):"]
        for note in notes:
            out += textwrap.wrap(note, WIDTH, initial_indent="  ", subsequent_indent="    ")
    if not detail:
        out += ["", "More: --detail FILE writes every policy's explanation, turn by turn."]
    else:
        out += ["", f"{DETAIL_MARK}: every policy's explanation, turn by turn."]
    return "\n".join(out) + "\n"


MOST_EXPLAINED = 3


def overridden(results: Sequence[BatchResult]) -> list[str]:
    """Endings whose own grade replaced the grade the score gave, ending by ending."""
    s = results[0].scenario
    out = []
    for ending, e in s.endings.items():
        parts = []
        for r in results:
            n = r.tally.overridden[ending]
            if n:
                mean = r.tally.override_score[ending] / n
                parts.append(f"{r.policy} {n}/{r.runs} (mean score {mean:.1f})")
        if parts:
            out += wrap(f"  {ending} (grade {e.grade}): ", parts)
    if not out:
        return []
    return ["Endings whose own grade replaced the score's grade (games, of runs):", *out]


def explain(r: BatchResult, detail: bool) -> list[str]:
    """One policy's explanation: the end of the game, partners, talks, stock, the score."""
    s = r.scenario
    data = r.tally.to_json(s)
    out = [f"Why {r.policy} scores {r.mean:.1f}"]
    end = data["at_end"]
    metrics = [f"{k} {end[k]:.1f}" for k in s.model.metrics if k in end]
    trust = [f"{k} {end['trust.' + k]:.1f}" for k in s.model.stakeholders if "trust." + k in end]
    out += wrap("  metrics at the end:   ", metrics)
    out += wrap("  trust at the end:     ", trust)
    terms = [f"{t} = {x:.1f}" for t, x in data["score_terms"].items()]
    out += wrap("  score, term by term:  ", terms)
    walk = [f"{k} {percent(x)}" for k, x in data["walkout_rates"].items() if x]
    out += wrap("  walkouts:             ", walk or ["none"])
    for did, n in data["negotiations"].items():
        parts = [f"agreed in {percent(n['agreement_rate'])} of games"]
        if n["mean_agreement_turn"] is not None:
            parts.append(f"first on turn {n['mean_agreement_turn']:.1f} on average")
        if n.get("in_force_rate", n["agreement_rate"]) != n["agreement_rate"]:
            parts.append(f"in force at the end in {percent(n['in_force_rate'])}")
        parts.append(f"{n['proposals_per_game']:.1f} proposals a game")
        agreed, other = n.get("mean_score_agreed"), n.get("mean_score_not_agreed")
        if agreed is not None and other is not None:
            parts.append(
                f"games where agreed scored {agreed:.1f} on average, the others {other:.1f}"
            )
        if n.get("side_payment_rate"):
            parts.append(f"bought with side payments in {percent(n['side_payment_rate'])} of games")
        if n["packages"]:
            package, count = next(iter(n["packages"].items()))
            parts.append(f"most agreed: {printable(package)} ({count})")
        if n["refusals"]:
            who, count = next(iter(n["refusals"].items()))
            parts.append(f"refused most by {printable(who)} ({count})")
        if n.get("broken_rate"):
            why, count = next(iter(n["broken_by"].items()))
            parts.append(
                f"broke in {percent(n['broken_rate'])} of games"
                f" (most often: {printable(why)}, {count} times)"
            )
        out += wrap(f"  talks {did}: ", parts)
    unspent = [f"{k} {x:.1f}" for k, x in data["unspent_per_turn"].items()]
    out += wrap("  stock left unspent at a turn's end (mean): ", unspent)
    if detail:
        watched = list(next(iter(data["metrics_by_turn"].values()), {}))
        out.append("  mean at the end of each turn (games that reached it):")
        # Each column as wide as its name (ids are at most 64 characters), 12 at least.
        wide = {w: max(12, len(w)) for w in watched}
        out.append("    turn " + " ".join(f"{w:>{wide[w]}}" for w in watched))
        for turn, row in data["metrics_by_turn"].items():
            cells = " ".join(f"{row[w]:{wide[w]}.1f}" for w in watched)
            out.append(f"    {turn:>4} {cells}")
    return out


def shown(file: str) -> str:
    """A scenario's file as the reader typed it: relative to the current folder when inside."""
    path = Path(file)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return file


def table(results: Sequence[BatchResult]) -> list[str]:
    width = max(len("policy"), *(len(r.policy) for r in results))
    head = f"{'policy':<{width}}   mean  stdev    p10    p50    p90   {'A/B/C/D/F':<18} endings"
    rows = [head, "-" * len(head)]
    for r in results:
        sc = score_summary(r.scores)
        grades = "/".join(str(r.grades[g]) for g in GRADES)
        rows.append(
            f"{r.policy:<{width}} {sc['mean']:6.1f} {sc['stdev']:6.1f} {sc['p10']:6.1f} "
            f"{sc['p50']:6.1f} {sc['p90']:6.1f}   {grades:<18} {ending_shares(r)}"
        )
    return rows


def ending_shares(r: BatchResult) -> str:
    shares = [(e, n) for e, n in r.endings.most_common() if n]
    return ", ".join(f"{e} {percent(n / r.runs)}" for e, n in shares)


def histograms(results: Sequence[BatchResult]) -> list[str]:
    """One bar chart for a single policy; one line of blocks per policy when there are more."""
    if len(results) == 1:
        return histogram(results[0])
    width = max(len(r.policy) for r in results)
    out = ["Scores, 0 to 100 in steps of 5 (each column one step; taller is more games)"]
    for r in results:
        counts = Counter(min(int(x // 5), 19) for x in r.scores)
        top = max(counts.values(), default=1)
        line = "".join(BLOCKS[math.ceil(8 * counts[b] / top)] for b in range(20))
        out.append(f"  {r.policy:<{width}} |{line}|")
    out.append(f"  {'':<{width}}  0{' ' * 9}50{' ' * 6}100")
    return out


def histogram(r: BatchResult) -> list[str]:
    if not r.scores:
        return []
    step = 5 if max(r.scores) - min(r.scores) > 20 else 2
    low = step * math.floor(min(r.scores) / step)
    counts = Counter(int((x - low) // step) for x in r.scores)
    top = max(counts.values())
    out = [f"Scores of {r.policy} ({r.runs} runs)"]
    for b in range(max(counts) + 1):
        n = counts[b]
        bar = "█" * round(BAR * n / top) if n else ""
        out.append(f"  {low + b * step:5.0f} to {low + (b + 1) * step:<5.0f}|{bar:<{BAR}} {n}")
    return out


def coverage(results: Sequence[BatchResult]) -> list[str]:
    s = results[0].scenario
    total: Counter[str] = Counter()
    for r in results:
        total.update(r.reached)
    games = sum(r.runs for r in results)
    who = results[0].policy if len(results) == 1 else "all policies"
    out = [f"Coverage ({games} games of {who}; games that reached each item)"]
    items = inventory(s)
    for kind in KINDS:
        mine = [item for item in items if item.kind == kind]
        if not mine:
            continue
        hit = sum(1 for item in mine if total[item.name])
        counts = [f"{item.key} {total[item.name]}" for item in mine if total[item.name]]
        head = f"  {kind:<11} {hit:>3} of {len(mine):<3} "
        out += wrap(head, counts)
    missing = never_reached(s, total)
    if missing:
        why = why_never_reached(results)
        out += ["", "Never reached (and why: what never held in the first runs of each policy):"]
        for item in missing:
            out.append(f"  {shown(s.file)}:{item.line}: {item.describe()}")
            if why.get(item.name):
                out += wrap("      ", [printable(why[item.name])])
    else:
        out += ["", "Every event, choice, strategy, agreement, ending and lesson was reached."]
    return out


def wrap(head: str, parts: list[str]) -> list[str]:
    """`head` then the parts, comma-separated, wrapped between parts under the first one. A
    head longer than half the width (a long id) stands on its own line, the parts
    indented under it."""
    indent = len(head) if len(head) <= WIDTH // 2 else 6
    lines = [head] if indent == len(head) else [head.rstrip(), " " * indent]
    empty = True  # the last line holds no part yet: the next goes there, however long
    for i, part in enumerate(parts):
        text = part + ("," if i < len(parts) - 1 else "")
        if not empty and len(lines[-1]) + len(text) + 1 > WIDTH:
            lines.append(" " * indent)
        lines[-1] += text if lines[-1].endswith(" ") else " " + text
        empty = False
    return [line.rstrip() for line in lines]


def dominance(results: Sequence[BatchResult]) -> list[str]:
    d = runner_dominance(results)
    means = {r.policy: r.mean for r in results}
    best, against, margin = d["best"], d["against"], d["margin"]
    out = [f"Fixed plans against the best ({best} {means[best]:.1f}) and random:"]
    for name, row in d["fixed"].items():
        to_random = "" if row["to_random"] is None else f", {signed(row['to_random'])} to random"
        flag = "  DOMINANT" if name in d["dominant"] else ""
        out.append(
            f"  {name:<36} {row['mean']:6.1f}  {signed(row['to_best'], 6)} to best{to_random}{flag}"
        )
    if against is None:
        out.append("No policy other than fixed plans played: nothing to measure them against.")
    elif d["dominant"]:
        out.append(
            f"DOMINANT: within {margin:g} points of {against} ({means[against]:.1f}): one plan "
            "played throughout does nearly as well as the best play; " + ", ".join(d["dominant"])
        )
    else:
        out.append(
            f"No fixed plan comes within {margin:g} points of {against} ({means[against]:.1f})."
        )
    for name, row in d["easy"].items():
        if row["as_good_as_greedy"]:
            said = (
                f"{name} ({means[name]:.1f}) does as well as the greedy bot ({means['greedy']:.1f})"
            )
            said += " and gets grade A in every game" if row["all_grade_a"] else ""
            said += ": a one-track plan is enough to play like a competent player."
        else:
            said = (
                f"{name} ({means[name]:.1f}) gets grade A in every game: a one-track plan is "
                "enough for the best grade."
            )
        out += textwrap.wrap(said, WIDTH, break_on_hyphens=False)
    return out


def paths(results: Sequence[BatchResult]) -> list[str]:
    """For each ending, a policy and seed that reached it, and the command that writes that
    game as a playthrough script. A policy `--path-to` replays as it played here comes first:
    the coverage bot aimed at what the others missed, so its games are named last."""
    s = results[0].scenario
    first: dict[str, tuple[str, int]] = {}
    for r in sorted(results, key=lambda r: r.policy == "coverage"):
        for ending, where in r.paths().items():
            first.setdefault(ending, (r.policy, where["seed"]))
    out = ["Paths to endings (each command writes one as a playthrough script):"]
    for ending in [*s.endings, NO_ENDING]:
        if ending in first:
            policy, seed = first[ending]
            out.append(f"  {ending:<20} {policy}, seed {seed}")
            if ending != NO_ENDING:
                out.append(f"      {path_command(s.file, ending, policy, seed)}")
        elif ending != NO_ENDING:
            out.append(f"  {ending:<20} not reached")
    return out


def path_command(file: str, ending: str, policy: str, seed: int) -> str:
    """The `--path-to` command that finds the game of `policy` with `seed` again. The coverage
    bot, aimed at the ending alone, plays other games than here: it searches its ten."""
    where = "" if policy == "coverage" else f" --seed {seed} --runs 1"
    return (
        f"accord playtest {shlex.quote(shown(file))} --path-to {ending} --policy {policy}{where} "
        f"--out {ending}.play.yaml"
    )


def per_second(rate: float) -> str:
    """A rate as a reader wants it: "566", "12", "0.5", "0.03" (never "0" for a slow one)."""
    if rate >= 10:
        return f"{rate:,.0f}"
    if rate >= 0.1 or rate <= 0:
        return f"{rate:.1f}"
    return f"{rate:.1g}"


def duration(seconds: float) -> str:
    """A time left, readable at any length: "40 s", "12 min", "3 h 20 min", "2 days"."""
    s = max(0, round(seconds))
    if s < 90:
        return f"{s} s"
    minutes = round(s / 60)
    if minutes < 60:
        return f"{minutes} min"
    if s < 24 * 3600:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    if s < 3 * 86400:
        days, hours = divmod(round(s / 3600), 24)
        whole = f"{days} day{'s' * (days != 1)}"
        return f"{whole} {hours} h" if hours else whole
    return f"{round(s / 86400)} days"


class ProgressBar:
    """A progress bar on a terminal stream, drawn only once a batch has run for a while."""

    def __init__(self, stream: TextIO, label: str = "playing", delay: float = 0.5) -> None:
        self.stream = stream
        self.label = label
        self.start = time.monotonic()
        self.delay = delay
        self.drawn = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.start < self.delay or (now - self.drawn < 0.1 and done < total):
            return
        self.drawn = now
        self.shown = True
        width = 30
        filled = round(width * done / total) if total else width
        rate = done / (now - self.start)
        left = (total - done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
            f"{per_second(rate)} games/s, {duration(left)} left  "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()
