"""The dashboard's sidebar: meters, resources and partners, always in view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Sparkline, Static

from game.tui.text import amounts, bar, kind_label, number, signed

if TYPE_CHECKING:
    from game.tui.session import Session


def _table(*columns: tuple[str, str]) -> Table:
    table = Table(box=None, expand=True, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False)
    for header, justify in columns:
        table.add_column(header, justify=justify, no_wrap=True, overflow="ellipsis")  # type: ignore[arg-type]
    table.columns[0].ratio = 1
    table.columns[0].min_width = 8
    return table


class MetersPanel(Vertical):
    """Each meter's value, bounds and last change; the headline's history as a sparkline."""

    def compose(self) -> ComposeResult:
        yield Static("Meters", classes="panel-title")
        yield Static(id="meters-table")
        yield Static(id="headline-caption", classes="dim")
        yield Sparkline([], id="headline-spark")

    def show(self, session: Session) -> None:
        game = session.game
        model = game.s.model
        state = game.state
        last = game.reports[-1] if game.reports else None
        table = _table(("", "left"), ("now", "right"), ("range", "right"), ("last", "right"))
        for mid, metric in model.metrics.items():
            value = state.metrics[mid]
            change = "—"
            if last is not None:
                change = signed(last.metrics_after[mid] - last.metrics_before[mid])
            star = "★ " if mid == game.s.headline else ""
            label = Text(star + metric.label, style="bold" if star else "")
            bounds = f"{number(metric.min)}–{number(metric.max)}"
            table.add_row(label, number(value), bounds, change)
        self.query_one("#meters-table", Static).update(table)
        head = model.metrics[game.s.headline]
        history = [float(head.start), *(float(v) for v in state.history[game.s.headline])]
        caption = f"{head.label}: {' → '.join(number(v) for v in history[-6:])}"
        self.query_one("#headline-caption", Static).update(caption)
        spark = self.query_one("#headline-spark", Sparkline)
        spark.data = history if len(history) > 1 else [*history, *history]


class ResourcesPanel(Vertical):
    """Each resource: this turn's stock, what is allocated, what is left."""

    def compose(self) -> ComposeResult:
        yield Static("Resources", classes="panel-title")
        yield Static(id="resources-table")

    def show(self, session: Session) -> None:
        state = session.game.state
        table = _table(("", "left"), ("stock", "right"), ("alloc.", "right"), ("left", "right"))
        for rid, res in session.game.s.model.resources.items():
            allocated = sum(line.get(rid, 0) for line in state.allocations.values())
            left = state.resources[rid]
            unit = f" ({res.unit})" if res.unit else ""
            table.add_row(res.label + unit, str(left + allocated), str(allocated), str(left))
        self.query_one("#resources-table", Static).update(table)


class PartnersPanel(Vertical):
    """Each partner: trust as a bar, kind, this turn's contribution; withdrawn ones marked."""

    def compose(self) -> ComposeResult:
        yield Static("Partners", classes="panel-title")
        yield Static(id="partners-list")

    def show(self, session: Session) -> None:
        game = session.game
        state = game.state
        last = game.reports[-1] if game.reports else None
        lines: list[str] = []
        for sid, partner in game.s.model.stakeholders.items():
            name = escape(partner.name)
            if sid in state.withdrawn:
                lines.append(f"[strike dim]{name}[/]")
                lines.append("  [italic]withdrawn from the mission[/]")
                continue
            trust = float(state.trust[sid])
            change = ""
            if last is not None:
                delta = float(last.trust_after[sid]) - float(last.trust_before[sid])
                change = f" [dim]{signed(delta)}[/]"
            given = {r: a for r, a in state.contributions.get(sid, {}).items() if a}
            gives = escape(amounts(game.s, given, units=False)) if given else "nothing"
            lines.append(f"[bold]{name}[/]")
            lines.append(f"  [$accent]{bar(trust, 0, 100, 10)}[/] {number(trust):>3}{change}")
            lines.append(f"  [dim]{escape(kind_label(partner.kind))} · gives {gives}[/]")
        self.query_one("#partners-list", Static).update("\n".join(lines))
