"""The briefing: the scenario's Markdown, the partners, and what the mission is judged on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from game.tui.markup import Shown, markup, plain
from game.tui.markup import lines as joined
from game.tui.screens.base import AccordScreen
from game.tui.text import amounts, condition, humanize, kind_label, leaves_text, number
from game.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from game.scenario.compiled import Scenario


def partners_markup(scenario: Scenario) -> Content:
    lines = [markup("[b]Partners[/b]")]
    for partner in scenario.model.stakeholders.values():
        gives = (
            amounts(scenario, partner.provides, units=False) if partner.provides else "no resources"
        )
        lines.append(
            markup("[b]$name[/b] · $kind", name=partner.name, kind=kind_label(partner.kind))
        )
        lines.append(
            markup(
                "  trust $trust · brings $gives$leaves",
                trust=number(partner.trust),
                gives=gives,
                leaves=leaves_text(partner.withdraws_below, " · "),
            )
        )
        if partner.blurb:
            lines.append(markup("  [dim]$blurb[/]", blurb=partner.blurb))
    return joined(lines)


def objective_markup(scenario: Scenario) -> Content:
    m = scenario.model
    head = m.metrics[scenario.headline]
    label = m.turn_label
    lines: list[Shown] = [
        markup("[b]Objective[/b]"),
        markup(
            "Headline: [b]$head[/b] (now $start, $low–$high)",
            head=head.label, start=number(head.start), low=number(head.min), high=number(head.max),
        ),
        f"{m.turns} {label}s. Your score: {condition(scenario, m.scoring.score)}",
    ]  # fmt: skip
    # The meters and resources the scenario describes, in its own words.
    for heading, entries in (("Meters", m.metrics), ("Resources", m.resources)):
        described = [(e.label, e.description) for e in entries.values() if e.description]
        if described:
            lines += ["", markup(f"[b]{heading}[/b]")]
            lines += [markup("• [b]$name[/b]: $words", name=n, words=t) for n, t in described]
    lines += ["", markup("[b]How the mission can end[/b]")]
    for eid, ending in m.endings.items():
        title = ending.title or humanize(eid)
        when = condition(scenario, ending.when)
        # Not "any week": a condition may name the week itself ("week ≥ 4 and ...").
        check = (
            f"checked every {label}" if ending.check == "each_turn" else f"after {label} {m.turns}"
        )
        grade = f" · grade {ending.grade}" if ending.grade else ""
        lines.append(
            markup(
                "• [b]$title[/b]$grade: $when [dim]($check)[/]",
                title=title,
                grade=grade,
                when=when,
                check=check,
            )
        )
    return joined(lines)


class BriefingScreen(AccordScreen):
    """Read before turn 1; Enter starts the mission."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start the mission"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, scenario: Scenario, path: Path, seed: int | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.path = path
        self.seed = seed

    def compose(self) -> ComposeResult:
        m = self.scenario.model
        yield Static(
            markup(
                "[b]Briefing[/b] · $title · $difficulty · $turns $label",
                title=m.title,
                difficulty=m.difficulty,
                turns=m.turns,
                label=f"{m.turn_label}s",
            ),
            classes="topbar",
        )
        # One scroll for the whole briefing: its keys work from the start, at any size, and
        # reach every part (two columns side by side when wide, one under the other when not).
        with VerticalScroll(id="briefing-body"), Horizontal(id="briefing-columns"):
            with Vertical(id="briefing-text"):
                # Links are not followed: a scenario's text never opens a browser.
                briefing = plain(m.briefing or m.summary or m.title).plain
                yield Markdown(briefing, id="briefing-markdown", open_links=False)
            with Vertical(id="briefing-side"):
                yield Static(objective_markup(self.scenario), id="briefing-objective")
                yield Static(partners_markup(self.scenario), id="briefing-partners")
        yield Static(
            markup("[dim]Enter start the mission · ↑/↓ PgUp/PgDn Home/End scroll · Esc back[/]"),
            classes="statusbar",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#briefing-body").focus()

    def action_start(self) -> None:
        self.accord.start_game(self.scenario, self.path, self.seed)

    def action_back(self) -> None:
        """Back to the scenario list it was opened from, else to the menu."""
        from game.tui.screens.picker import ScenarioPickerScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and stack[-1] is self and isinstance(stack[-2], ScenarioPickerScreen):
            self.dismiss(None)
        else:
            self.accord.action_menu()
