"""The turn report: for each meter and partner, the signed changes with their causes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Static

from game.tui.text import grouped, moved, movement, signed, target_label, turn_name
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.negotiations import answer_text

if TYPE_CHECKING:
    from game.engine import TurnReport
    from game.scenario.compiled import Scenario


def _changes(report: TurnReport, kind: str, target: str, label: str) -> list[str]:
    before, after = movement(report, kind, target)
    lines = [f"[b]{escape(label)}[/b]  {moved(before, after)}"]
    for cause, amount in grouped(report.changes_for(kind, target)):  # type: ignore[arg-type]
        lines.append(f"   {signed(amount):>6}  {escape(cause)}")
    if len(lines) == 1:
        lines.append("   [dim]no change[/]")
    return lines


def happenings(scenario: Scenario, report: TurnReport) -> list[str]:
    """Events, choices, proposals, agreements, failures, withdrawals and warnings of a turn."""
    m = scenario.model
    chosen = dict(report.choices)
    lines = []
    for eid in report.events:
        ev = scenario.events[eid]
        what = f": you chose {ev.choices[chosen[eid]].label}" if eid in chosen else ""
        lines.append(f"• {escape(ev.title + what)}")
    for did in report.opened:
        lines.append(f"• {escape(scenario.disagreements[did].label)} opened for negotiation")
    for record in report.proposals:
        first, *rest = answer_text(scenario, record).split("\n")
        lines += ["• " + first, *rest]
    for did in report.agreed:
        lines.append(f"• [b]Agreement[/b] on {escape(scenario.disagreements[did].label)}")
    for did in report.failed:
        lines.append(f"• [b]No agreement[/b]: {escape(scenario.disagreements[did].label)} failed")
    for sid in report.withdrawn:
        lines.append(f"• [b]{escape(m.stakeholders[sid].name)} withdrew[/b] from the mission")
    for warning in report.warnings:
        lines.append(f"• [i]{escape(warning)}[/i]")
    return lines


def report_markup(scenario: Scenario, report: TurnReport) -> str:
    """The whole report as markup (the ledger grouped by cause, largest first)."""
    m = scenario.model
    out = [f"[b]What happened in {turn_name(scenario, report.turn)}[/b]"]
    out += happenings(scenario, report) or ["[dim]No event, proposal or agreement.[/]"]
    out += ["", "[b]Meters[/b] [dim](each change with its cause, largest first)[/]"]
    for mid, metric in m.metrics.items():
        out += _changes(report, "metric", mid, metric.label)
    out += ["", "[b]Partners' trust[/b]"]
    for sid, partner in m.stakeholders.items():
        out += _changes(report, "trust", sid, partner.name)
    queued = [c for c in report.changes if c.kind == "resource" and c.note == "arrives next turn"]
    if queued:
        out += ["", "[b]Arriving next turn[/b]"]
        for change in queued:
            label = target_label(scenario, f"resource:{change.target}")
            out.append(f"   {signed(change.amount):>6}  {escape(label)} ({escape(change.cause)})")
    return "\n".join(out)


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
        title = (
            f"[b]{turn_name(s, r.turn)} of {s.model.turns} — report[/b]   "
            f"{escape(s.model.metrics[head].label)} {moved(before, after)}"
        )
        yield Static(title, id="report-title", classes="topbar")
        with VerticalScroll(id="report-body"):
            yield Static(report_markup(s, r), id="report-text")
        hint = "Enter: see how the mission ended" if self.final else "Enter: back"
        notice = f"   [dim]{escape(self.notice)}[/]" if self.notice else ""
        yield Static(f"{hint}{notice}", id="report-hint", classes="statusbar")
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
