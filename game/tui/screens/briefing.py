"""The briefing: the scenario's Markdown, the partners, and what the mission is judged on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Markdown, Static

from game.tui.screens.base import AccordScreen
from game.tui.text import amounts, condition, humanize, kind_label, number
from game.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from game.scenario.compiled import Scenario


def partners_markup(scenario: Scenario) -> str:
    lines = ["[b]Partners[/b]"]
    for partner in scenario.model.stakeholders.values():
        gives = (
            amounts(scenario, partner.provides, units=False) if partner.provides else "no resources"
        )
        lines.append(f"[b]{escape(partner.name)}[/b] · {escape(kind_label(partner.kind))}")
        lines.append(f"  trust {number(partner.trust)} · brings {escape(gives)}")
        if partner.blurb:
            lines.append(f"  [dim]{escape(partner.blurb)}[/]")
    return "\n".join(lines)


def objective_markup(scenario: Scenario) -> str:
    m = scenario.model
    head = m.metrics[scenario.headline]
    label = m.turn_label
    lines = [
        "[b]Objective[/b]",
        f"Headline: [b]{escape(head.label)}[/b] (now {number(head.start)}, "
        f"{number(head.min)}–{number(head.max)})",
        f"{m.turns} {label}s. Your score: {escape(condition(scenario, m.scoring.score))}",
    ]
    # The meters and resources the scenario describes, in its own words.
    for heading, entries in (("Meters", m.metrics), ("Resources", m.resources)):
        described = [(e.label, e.description) for e in entries.values() if e.description]
        if described:
            lines += ["", f"[b]{heading}[/b]"]
            lines += [f"• [b]{escape(name)}[/b]: {escape(text)}" for name, text in described]
    lines += ["", "[b]How the mission can end[/b]"]
    for eid, ending in m.endings.items():
        title = ending.title or humanize(eid)
        when = condition(scenario, ending.when)
        check = f"any {label}" if ending.check == "each_turn" else f"after {label} {m.turns}"
        grade = f" · grade {ending.grade}" if ending.grade else ""
        lines.append(f"• [b]{escape(title)}[/b]{grade}: {escape(when)} [dim]({check})[/]")
    return "\n".join(lines)


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
            f"[b]Briefing[/b] · {escape(m.title)} · {m.difficulty} · {m.turns} {m.turn_label}s",
            classes="topbar",
        )
        # One scroll for the whole briefing: its keys work from the start, at any size, and
        # reach every part (two columns side by side when wide, one under the other when not).
        with VerticalScroll(id="briefing-body"), Horizontal(id="briefing-columns"):
            with Vertical(id="briefing-text"):
                yield Markdown(m.briefing or m.summary or m.title, id="briefing-markdown")
            with Vertical(id="briefing-side"):
                yield Static(objective_markup(self.scenario), id="briefing-objective")
                yield Static(partners_markup(self.scenario), id="briefing-partners")
        yield Static(
            "[dim]Enter start the mission · ↑/↓ PgUp/PgDn Home/End scroll · Esc back[/]",
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
