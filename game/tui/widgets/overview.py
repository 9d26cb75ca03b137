"""The dashboard's sidebar: meters, resources and partners, always in view."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from game.outlook import ROLLOUT_DIFFICULTIES, alerts_now, course, course_lines, decided
from game.tui.markup import Shown, markup
from game.tui.markup import lines as joined
from game.tui.text import amounts, bar, change_shown, kind_label, leaves_text, number, spark
from game.tui.widgets import put

if TYPE_CHECKING:
    from game.tui.session import Session


def columns(rows: list[tuple[str, ...]], width: int, bold: set[int] = frozenset()) -> Content:  # type: ignore[assignment]
    """Rows aligned: the first column takes what the others leave (cut with …)."""
    widths = [max(len(row[i]) for row in rows) for i in range(1, len(rows[0]))]
    room = max(8, width - sum(w + 1 for w in widths))
    lines = []
    for index, row in enumerate(rows):
        label = row[0] if len(row[0]) <= room else row[0][: room - 1] + "…"
        cells = " ".join(cell.rjust(w) for cell, w in zip(row[1:], widths, strict=True))
        line = f"{label.ljust(room)} {cells}"
        if index == 0:
            lines.append(markup("[b $primary]$line[/]", line=line))
        else:
            lines.append(
                markup("[b]$line[/b]", line=line) if index in bold else markup("$line", line=line)
            )
    return joined(lines)


def _width(widget: Static, fallback: int = 34) -> int:
    return widget.content_region.width or fallback


class Panel(Vertical):
    """A sidebar panel: drawn for its width, so drawn again when its width changes."""

    session: Session | None = None

    def show(self, session: Session) -> None:
        self.session = session
        self.draw(session)

    def draw(self, session: Session) -> None:
        raise NotImplementedError

    def on_resize(self) -> None:
        if self.session is not None:
            self.draw(self.session)


class MetersPanel(Panel):
    """Each meter's value, bounds and last change; the headline's history as a sparkline."""

    def compose(self) -> ComposeResult:
        yield Static(id="meters-table")
        yield Static(id="headline-trend")

    def draw(self, session: Session) -> None:
        game = session.game
        model = game.s.model
        state = game.state
        last = game.reports[-1] if game.reports else None
        ranges = {f"{number(m.min)}–{number(m.max)}": None for m in model.metrics.values()}
        # One range for every meter is said once, in the heading: its column's room goes to
        # the meters' names ("AU–UN interoperability" whole in a 100-column terminal).
        shared = next(iter(ranges)) if len(ranges) == 1 else None
        heading = ("Meters", "now", "range", "last")
        rows: list[tuple[str, ...]] = [(f"Meters ({shared})", "now", "last") if shared else heading]
        bold = set()
        for mid, metric in model.metrics.items():
            change = "—"
            if last is not None:
                change = change_shown(last.metrics_before[mid], last.metrics_after[mid])
            if mid == game.s.headline:
                bold.add(len(rows))
            star = "★ " if mid == game.s.headline else ""
            bounds = () if shared else (f"{number(metric.min)}–{number(metric.max)}",)
            rows.append((star + metric.label, number(state.metrics[mid]), *bounds, change))
        out = self.query_one("#meters-table", Static)
        put(out, columns(rows, _width(out), bold))
        head = model.metrics[game.s.headline]
        history = [float(head.start), *(float(v) for v in state.history[game.s.headline])]
        trail = " → ".join(number(v) for v in history[-4:])
        line = markup(
            "[$accent]$spark[/] [dim]$head $trail[/]",
            spark=spark(history),
            head=head.label,
            trail=trail,
        )
        put(self.query_one("#headline-trend", Static), line)


class ResourcesPanel(Panel):
    """Each resource: this turn's stock, what is allocated ("used"), what is left."""

    def compose(self) -> ComposeResult:
        yield Static(id="resources-table")

    def draw(self, session: Session) -> None:
        state = session.game.state
        rows: list[tuple[str, ...]] = [("Resources", "stock", "used", "left")]
        for rid, res in session.game.s.model.resources.items():
            allocated = sum(line.get(rid, 0) for line in state.allocations.values())
            left = state.resources[rid]
            unit = f" ({res.unit})" if res.unit else ""
            rows.append((res.label + unit, str(left + allocated), str(allocated), str(left)))
        out = self.query_one("#resources-table", Static)
        put(out, columns(rows, _width(out)))


class PartnersPanel(Panel):
    """Each partner: trust as a bar, kind, this turn's contribution; withdrawn ones marked."""

    def compose(self) -> ComposeResult:
        yield Static(id="partners-list")

    def draw(self, session: Session) -> None:
        game = session.game
        state = game.state
        last = game.reports[-1] if game.reports else None
        out = self.query_one("#partners-list", Static)
        width = _width(out)
        # Allocations change nothing here: drawn again only after another decision or turn.
        key = (game, width, decided(game))
        if getattr(out, "_accord_drawn", None) == key:
            return
        out._accord_drawn = key  # type: ignore[attr-defined]
        lines: list[Shown] = [markup(f"[b $primary]{'Partners'.ljust(width - 5)}trust[/]")]
        near = {alert.partner for alert in alerts_now(game) if alert.partner}
        for sid, partner in game.s.model.stakeholders.items():
            name = partner.name
            if sid in state.withdrawn:
                lines.append(markup("[strike dim]$name[/]", name=name))
                lines.append(markup("  [italic]withdrawn from the mission[/]"))
                continue
            trust = float(state.trust[sid])
            change = ""
            if last is not None:
                shown = change_shown(last.trust_before[sid], last.trust_after[sid])
                change = shown
            given = {r: a for r, a in state.contributions.get(sid, {}).items() if a}
            gives = amounts(game.s, given, units=False) if given else "nothing"
            # What it gave came from its trust when the turn began; trust moved since, what
            # it would give at its trust now is said beside it.
            now = {r: a for r, a in game.contribution_at_trust(sid).items() if a}
            if now != given:
                later = amounts(game.s, now, units=False) if now else "nothing"
                gives = f"{gives} this turn · {later} next turn at current trust"
            if sid in near:
                lines.append(markup("[bold]$name[/] [$warning]⚠ near walkout[/]", name=name))
            else:
                lines.append(markup("[bold]$name[/]", name=name))
            lines.append(
                markup(
                    "  [$accent]$bar[/] $trust" + (" [dim]$change[/]" if change else ""),
                    bar=bar(trust, 0, 100, 10), trust=f"{number(trust):>3}", change=change,
                )
            )  # fmt: skip
            verb = "gave" if now != given else "gives"
            about = f"{kind_label(partner.kind)} · {verb} {gives}"
            about += leaves_text(partner.withdraws_below, " · ")
            wrapped = textwrap.wrap(about, max(12, width - 2), subsequent_indent="  ")
            lines += [markup("  [dim]$line[/]", line=line) for line in wrapped]
        put(out, joined(lines))


class OutlookPanel(Panel):
    """Thresholds within reach (every difficulty) and, at intro and standard difficulty, where
    the current plan leads (game/outlook.py)."""

    def compose(self) -> ComposeResult:
        yield Static(id="outlook-text")

    def draw(self, session: Session) -> None:
        game = session.game
        out = self.query_one("#outlook-text", Static)
        width = max(12, _width(out) - 2)
        warned = alerts_now(game)
        found = course(game) if session.difficulty in ROLLOUT_DIFFICULTIES else None
        key = (game, width, found, tuple(warned))
        if getattr(out, "_accord_drawn", None) == key:
            return  # the same alerts and course: nothing to build
        out._accord_drawn = key  # type: ignore[attr-defined]
        lines: list[Shown] = [markup("[b $primary]Outlook[/]")]
        for alert in warned:
            for i, line in enumerate(textwrap.wrap(alert.text, width)):
                mark = "⚠ " if i == 0 else "  "
                lines.append(markup("[$warning]$mark$line[/]", mark=mark, line=line))
        if found is not None:
            for said in course_lines(game, found):
                for i, line in enumerate(textwrap.wrap(said, width)):
                    lines.append(markup("$mark$line", mark="→ " if i == 0 else "  ", line=line))
        if len(lines) == 1:
            lines.append(markup("[dim]No threshold within reach.[/]"))
        put(out, joined(lines))
