"""A class's games in one table: a row per game and a summary per scenario, as Markdown or CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from game.debrief.build import ending_title
from game.engine import Action, Choose, EndTurn, Game, ProposalRecord, Propose, action_to_json
from game.safe_text import cut, printable

GRADES = "ABCDF"
IN_PROGRESS = "(in progress)"


@dataclass(frozen=True, slots=True)
class GameRow:
    """One trainee's game, as the instructor's table shows it."""

    player: str
    name: str  # the save's display name
    file: str
    scenario: str
    ending: str  # the ending's id, "none" or IN_PROGRESS
    finished: bool
    grade: str
    score: float
    turns: int
    turns_total: int
    agreements: int
    disagreements: int
    ending_label: str = ""  # the ending's title as the game shows it ("Calm valley")

    @property
    def ending_shown(self) -> str:
        return self.ending_label or self.ending


@dataclass(frozen=True, slots=True)
class ScenarioSummary:
    """Every game of one scenario, summed up."""

    scenario: str
    games: int
    finished: int
    # The finished games' scores (None when none is finished): a score so far, of a game in
    # progress, is not comparable with a final one.
    mean: float | None
    low: float | None
    high: float | None
    grades: tuple[tuple[str, int], ...]  # A..F, zero counts included
    endings: tuple[tuple[str, int], ...]  # most frequent first
    agreements: float  # mean agreements per game
    disagreements: int


def game_row(game: Game, *, player: str | None, name: str, file: str) -> GameRow:
    """The row of one game (finished or not)."""
    statuses = game.state.disagreements.values()
    ending = (game.ending or "none") if game.finished else IN_PROGRESS
    # A scenario's title may hold escapes ("\e" in YAML): never a control character out.
    label = printable(ending_title(game.s, ending)) if ending in game.s.endings else ending
    return GameRow(
        player=player or "",
        name=name,
        file=file,
        scenario=game.s.id,
        ending=ending,
        finished=game.finished,
        grade=game.grade if game.finished else "",  # a game in progress has no grade yet
        score=game.score,
        turns=len(game.reports),
        turns_total=game.s.turns,
        agreements=sum(1 for d in statuses if d.status == "agreed"),
        disagreements=len(game.s.disagreements),
        ending_label=label,
    )


def sort_rows(rows: list[GameRow]) -> list[GameRow]:
    """By scenario, then best score first, then player."""
    return sorted(rows, key=lambda r: (r.scenario, -r.score, r.player.casefold(), r.file))


def summarise(rows: list[GameRow]) -> list[ScenarioSummary]:
    """One summary per scenario, in scenario id order."""
    out = []
    for scenario in sorted({r.scenario for r in rows}):
        mine = [r for r in rows if r.scenario == scenario]
        scores = [r.score for r in mine if r.finished]
        grades = Counter(r.grade for r in mine if r.finished)
        endings = Counter(r.ending for r in mine)
        out.append(
            ScenarioSummary(
                scenario=scenario,
                games=len(mine),
                finished=sum(1 for r in mine if r.finished),
                mean=sum(scores) / len(scores) if scores else None,
                low=min(scores, default=None),
                high=max(scores, default=None),
                grades=tuple((g, grades.get(g, 0)) for g in GRADES),
                endings=tuple(sorted(endings.items(), key=lambda kv: (-kv[1], kv[0]))),
                agreements=sum(r.agreements for r in mine) / len(mine),
                disagreements=max(r.disagreements for r in mine),
            )
        )
    return out


MOST_CELL = 60  # characters of a Markdown cell: one huge name would make the table unreadable


def _md_row(cells: list[str]) -> str:
    """A Markdown table row; each cell cut to MOST_CELL characters with a "…" (the CSV and JSON
    keep every name whole)."""
    return "| " + " | ".join(cut(c, MOST_CELL).replace("|", "\\|") for c in cells) + " |"


def render_report_markdown(rows: list[GameRow]) -> str:
    """The class table and the per-scenario summary as Markdown."""
    rows = sort_rows(rows)
    out = ["# Class report", "", f"{len(rows)} game{'s' * (len(rows) != 1)}.", "", "## Games", ""]
    out += [_md_row(["Player", "Save", "Scenario", "Ending", "Grade", "Score", "Turns played",
                     "Agreements"]),
            "| --- | --- | --- | --- | --- | ---: | ---: | ---: |"]  # fmt: skip
    for r in rows:
        out.append(_md_row([r.player or "-", r.name, r.scenario, r.ending_shown, r.grade or "-",
                            f"{r.score:.1f}", f"{r.turns}/{r.turns_total}",
                            f"{r.agreements}/{r.disagreements}"]))  # fmt: skip
    out += ["", "## By scenario", ""]
    out += [_md_row(["Scenario", "Games", "Finished", "Mean score", "Lowest", "Highest",
                     "Grades", "Endings", "Agreements per game"]),
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"]  # fmt: skip
    labels = {r.ending: r.ending_shown for r in rows}
    for s in summarise(rows):
        grades = " ".join(f"{g}:{n}" for g, n in s.grades)
        endings = ", ".join(f"{labels.get(e, e)} {n}" for e, n in s.endings)
        out.append(_md_row([s.scenario, str(s.games), str(s.finished), _figure(s.mean, 1, "-"),
                            _figure(s.low, 1, "-"), _figure(s.high, 1, "-"), grades, endings,
                            f"{s.agreements:.1f} of {s.disagreements}"]))  # fmt: skip
    out += ["", "Mean, lowest and highest scores are of the finished games (a game in progress "
            "has a score so far only)."]  # fmt: skip
    return "\n".join(out) + "\n"


GAME_COLUMNS = ["player", "save", "file", "scenario", "ending", "finished", "grade", "score",
                "turns", "turns_total", "agreements", "disagreements",
                "ending_label"]  # fmt: skip
SUMMARY_COLUMNS = ["scenario", "games", "finished", "mean_score", "min_score", "max_score",
                   *(f"grade_{g}" for g in GRADES), "endings", "mean_agreements",
                   "disagreements"]  # fmt: skip


def render_report_csv(rows: list[GameRow]) -> str:
    """The games as one CSV table (`--out FOLDER` writes the decisions and summary too)."""
    return export_tables(rows, [])["games.csv"]


# ---- the class's exports: games, decisions and summary as three tables ---------------------


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One decision a trainee made: an action the game took, with what came of it."""

    player: str
    name: str  # the save's display name
    scenario: str
    turn: int
    action: str  # allocate, unallocate, activate, end_strategy, propose, choose
    details: str
    result: str  # accepted or refused
    reason: str  # why a proposal was refused ('' otherwise)


def _details(action: Action) -> str:
    data = action_to_json(action)
    if isinstance(action, Propose):
        paid = "".join(
            f"; pays {party} {n} {r}" for party, units in action.transfers for r, n in units
        )
        return f"{action.disagreement}: " + "; ".join(f"{k}={v}" for k, v in action.package) + paid
    if isinstance(action, Choose):
        return f"{action.event}: {action.choice}"
    return " ".join(str(v) for k, v in data.items() if k != "type")


def _refusal(record: ProposalRecord) -> str:
    refusing = [a for a in record.answers if not a.accepts]
    return "; ".join(
        f"{a.party} refused" + (f" over {a.objection}" if a.objection else "") for a in refusing
    )


def decision_rows(game: Game, *, player: str | None, name: str) -> list[DecisionRow]:
    """Every decision of a game in the order made (ending a turn is not one)."""
    records = iter([*(p for r in game.reports for p in r.proposals), *game.proposals_now])
    out: list[DecisionRow] = []
    turn = 1
    for action in game.actions:
        if isinstance(action, EndTurn):
            turn += 1
            continue
        result, reason = "accepted", ""
        if isinstance(action, Propose):
            record = next(records, None)
            if record is not None and not record.agreed:
                result, reason = "refused", _refusal(record)
        out.append(
            DecisionRow(
                player=player or "",
                name=name,
                scenario=game.s.id,
                turn=turn,
                action=action_to_json(action)["type"],
                details=_details(action),
                result=result,
                reason=reason,
            )
        )
    return out


DECISION_COLUMNS = ["player", "save", "scenario", "turn", "action", "details", "result",
                    "reason"]  # fmt: skip


def _game_cells(r: GameRow) -> list[object]:
    return [r.player, r.name, r.file, r.scenario, r.ending, str(r.finished).lower(), r.grade,
            f"{r.score:.2f}", r.turns, r.turns_total, r.agreements, r.disagreements,
            r.ending_shown]  # fmt: skip


def _summary_cells(s: ScenarioSummary) -> list[object]:
    endings = "; ".join(f"{e}={n}" for e, n in s.endings)
    return [s.scenario, s.games, s.finished, _figure(s.mean, 2), _figure(s.low, 2),
            _figure(s.high, 2),
            *(n for _, n in s.grades), endings, f"{s.agreements:.2f}",
            s.disagreements]  # fmt: skip


def _figure(value: float | None, places: int, none: str = "") -> str:
    return none if value is None else f"{value:.{places}f}"


def _decision_cells(d: DecisionRow) -> list[object]:
    return [d.player, d.name, d.scenario, d.turn, d.action, d.details, d.result, d.reason]


def _csv(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def export_tables(rows: list[GameRow], decisions: list[DecisionRow]) -> dict[str, str]:
    """games.csv, decisions.csv and summary.csv (file name to text)."""
    return {
        "games.csv": _csv(GAME_COLUMNS, [_game_cells(r) for r in sort_rows(rows)]),
        "decisions.csv": _csv(DECISION_COLUMNS, [_decision_cells(d) for d in decisions]),
        "summary.csv": _csv(SUMMARY_COLUMNS, [_summary_cells(s) for s in summarise(rows)]),
    }


def export_document(rows: list[GameRow], decisions: list[DecisionRow]) -> dict[str, object]:
    """The same three tables as one JSON document (each row an object keyed by its columns)."""

    def table(header: list[str], cells: list[list[object]]) -> list[dict[str, object]]:
        return [dict(zip(header, row, strict=True)) for row in cells]

    games = [_game_cells(r) for r in sort_rows(rows)]
    for row in games:  # JSON keeps numbers and booleans as such
        row[5], row[7] = row[5] == "true", float(str(row[7]))
    summary = [_summary_cells(s) for s in summarise(rows)]
    return {
        "format": "accord-class-report",
        "version": 1,
        "games": table(GAME_COLUMNS, games),
        "decisions": table(DECISION_COLUMNS, [_decision_cells(d) for d in decisions]),
        "summary": table(SUMMARY_COLUMNS, summary),
    }
