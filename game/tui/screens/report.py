"""The turn report: for each meter and partner, the signed changes with their causes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from game.debrief.deals import breach_words
from game.numbers import shown_amounts
from game.tui.markup import Shown, markup
from game.tui.markup import lines as joined
from game.tui.text import (
    grouped,
    moved,
    movement,
    signed,
    stock_causes,
    target_label,
    turn_name,
)
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.negotiations import answer_text

if TYPE_CHECKING:
    from game.engine import TurnReport
    from game.scenario.compiled import Scenario


def _changes(
    report: TurnReport, kind: str, target: str, label: str, scenario: Scenario | None = None
) -> list[Shown]:
    before, after = movement(report, kind, target)
    lines: list[Shown] = [markup("[b]$label[/b]  $moved", label=label, moved=moved(before, after))]
    changes = report.changes_for(kind, target)  # type: ignore[arg-type]
    causes = stock_causes(scenario, changes) if scenario is not None else grouped(changes)
    # Each cause as shown adds up to the movement as shown (76.9 → 78.5 is +1.6, so is its
    # lone cause, though 1.658 alone would read +1.7).
    shown = shown_amounts([amount for _, amount in causes], before, after)
    for (cause, _), amount in zip(causes, shown, strict=True):
        lines.append(f"   {signed(amount):>6}  {cause}")
    if len(lines) == 1:
        lines.append(markup("   [dim]no change[/]"))
    return lines


def happenings(scenario: Scenario, report: TurnReport) -> list[Shown]:
    """Events, choices, proposals, agreements, failures, withdrawals and warnings of a turn."""
    m = scenario.model
    chosen = dict(report.choices)
    lines: list[Shown] = []
    for eid in report.events:
        ev = scenario.events[eid]
        what = f": you chose {ev.choices[chosen[eid]].label}" if eid in chosen else ""
        lines.append(f"• {ev.title}{what}")
    for did in report.opened:
        lines.append(f"• {scenario.disagreements[did].label} opened for negotiation")
    for record in report.proposals:
        first, *rest = answer_text(scenario, record)
        lines += [Content("• ") + first, *rest]
    for did in report.agreed:
        lines.append(markup("• [b]Agreement[/b] on $what", what=scenario.disagreements[did].label))
    for breach in report.breaches:
        deadline = breach.reopened_deadline
        words = breach_words(scenario, breach, turn_name(scenario, deadline) if deadline else "")
        lines.append(markup("• [b]Agreement broken[/b]: $words", words=words))
    for did in report.failed:
        label = scenario.disagreements[did].label
        lines.append(markup("• [b]No agreement[/b]: $what failed", what=label))
    for sid in report.withdrawn:
        name = m.stakeholders[sid].name
        lines.append(markup("• [b]$name withdrew[/b] from the mission", name=name))
    for warning in report.warnings:
        lines.append(markup("• [i]$warn[/i]", warn=warning))
    return lines


def report_markup(scenario: Scenario, report: TurnReport) -> Content:
    """The whole report (the ledger grouped by cause, largest first)."""
    m = scenario.model
    out: list[Shown] = [
        markup("[b]What happened in $turn[/b]", turn=turn_name(scenario, report.turn))
    ]
    out += happenings(scenario, report) or [markup("[dim]No event, proposal or agreement.[/]")]
    out += ["", markup("[b]Meters[/b] [dim](each change with its cause, largest first)[/]")]
    for mid, metric in m.metrics.items():
        out += _changes(report, "metric", mid, metric.label)
    out += ["", markup("[b]Partners' trust[/b]")]
    for sid, partner in m.stakeholders.items():
        out += _changes(report, "trust", sid, partner.name)
    if report.resources_after:  # reports made before stocks were read have none
        # Stocks before the turn's income: what the dashboard showed is after it (the trainee
        # read "Funding 0 → 0" beside the 36 they had just spent as a contradiction).
        out += [
            "",
            markup(
                "[b]Resources[/b] [dim](left from last $turn → left now, and every movement)[/]",
                turn=m.turn_label,
            ),
        ]
        for rid, res in m.resources.items():
            out += _changes(report, "resource", rid, res.label, scenario)
    queued = [c for c in report.changes if c.kind == "resource" and c.later]
    if queued:
        out += ["", markup("[b]Arriving next turn[/b]")]
        for change in queued:
            label = target_label(scenario, f"resource:{change.target}")
            out.append(f"   {signed(change.amount):>6}  {label} ({change.cause})")
    return joined(out)


class TurnReportScreen(Screen[None]):
    """A finished turn, explained. Enter or Escape returns."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Back to the dashboard"),
        Binding("enter", "finish", "See how the mission ended"),  # the last report's Enter
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, scenario: Scenario, report: TurnReport, notice: str = "") -> None:
        super().__init__()
        self.scenario = scenario
        self.report = report
        self.notice = notice

    def compose(self) -> ComposeResult:
        s = self.scenario
        r = self.report
        head = s.headline
        before, after = r.metrics_before[head], r.metrics_after[head]
        title = markup(
            "[b]$turn of $turns — report[/b]   $head $moved",
            turn=turn_name(s, r.turn), turns=s.model.turns,
            head=s.model.metrics[head].label, moved=moved(before, after),
        )  # fmt: skip
        yield Static(title, id="report-title", classes="topbar")
        with VerticalScroll(id="report-body"):
            yield Static(report_markup(s, r), id="report-text")
        hint = "Enter: see how the mission ended" if self.final else "Enter: back"
        notice = markup("   [dim]$notice[/]", notice=self.notice) if self.notice else ""
        yield Static(Content(hint) + notice, id="report-hint", classes="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#report-body").focus()

    @property
    def final(self) -> bool:
        """The report of the mission's last turn: what follows it is the ending."""
        r = self.report
        return r.ending is not None or r.turn >= self.scenario.model.turns

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter has one meaning at a time, and the key bar names it.
        if action in ("close", "finish"):
            return (action == "finish") == self.final
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_finish(self) -> None:
        self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(None)
