"""Help: every key of every screen, read from the bindings themselves so it cannot drift."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.tui.markup import hung, markup
from game.tui.markup import lines as joined
from game.tui.screens.modals import Dialog

NAMES = {
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "question_mark": "?",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "escape": "Esc",
    "enter": "Enter",
    "delete": "Del",
    "backspace": "Backspace",
    "tab": "Tab",
    "space": "Space",
}


def key_names(keys: str) -> str:
    out = []
    for key in keys.split(","):
        key = key.strip()
        if key.startswith("ctrl+"):
            out.append("Ctrl+" + NAMES.get(key[5:], key[5:].upper()))
        else:
            out.append(NAMES.get(key, key))
    return " ".join(out)


def rows_of(bindings: list[Any]) -> list[tuple[str, str]]:
    rows = []
    for b in bindings:
        if isinstance(b, Binding):
            rows.append((key_names(b.key), b.description or b.action))
        elif isinstance(b, tuple):
            rows.append((key_names(b[0]), b[2] if len(b) > 2 else b[1]))
    return rows


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(context, [(keys, what they do)]) for every screen and panel of the game."""
    from game.tui.app import AccordApp
    from game.tui.screens.briefing import BriefingScreen
    from game.tui.screens.dashboard import DashboardScreen
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.event import DASHBOARD_KEYS, EventModal
    from game.tui.screens.load import LoadScreen
    from game.tui.screens.menu import MenuScreen
    from game.tui.screens.modals import ConfirmModal, SaveModal
    from game.tui.screens.picker import ScenarioPickerScreen
    from game.tui.screens.report import TurnReportScreen
    from game.tui.widgets.allocation import AllocationTable
    from game.tui.widgets.negotiations import DisagreementTable, PackageTable
    from game.tui.widgets.partnerships import StrategyTable

    moving = [
        ("↑ ↓", "Move"),
        ("PgUp PgDn Home End", "Page up / down, first / last"),
        ("Tab Shift+Tab", "Next / previous area"),
        ("Mouse", "Click"),
    ]
    return [
        ("Everywhere", [*rows_of(AccordApp.BINDINGS), ("Ctrl+P", "Command palette"), *moving]),
        ("Menu", [("Enter", "Open the highlighted item"), *rows_of(MenuScreen.BINDINGS)]),
        (
            "Scenario picker",
            [("Enter", "Read the briefing"), *rows_of(ScenarioPickerScreen.BINDINGS)],
        ),
        ("Load screen", [("Enter", "Load the highlighted save"), *rows_of(LoadScreen.BINDINGS)]),
        ("Briefing", rows_of(BriefingScreen.BINDINGS)),
        ("Dashboard", rows_of(DashboardScreen.BINDINGS)),
        (
            "Allocation tab",
            [
                *rows_of(AllocationTable.BINDINGS),
                ("0-9", "Type an amount for the row, Enter sets it, Esc cancels"),
            ],
        ),
        ("Partnerships tab", rows_of(StrategyTable.BINDINGS)),
        (
            "Negotiations tab",
            [
                *dict.fromkeys(
                    [*rows_of(DisagreementTable.BINDINGS), *rows_of(PackageTable.BINDINGS)]
                ),
                ("Click", "A package row: next option; on its ‹, the previous"),
            ],
        ),
        (
            "Events tab and dialogs",
            [
                ("Enter", "Answer / choose"),
                *rows_of(EventModal.OWN_BINDINGS),
                (
                    " ".join(key_names(k) for k in DASHBOARD_KEYS if "+" not in k),
                    "In an event: put it off and do as on the dashboard",
                ),
            ],
        ),
        (
            "Questions",
            [("Enter", "Confirm"), *rows_of(ConfirmModal.BINDINGS), *rows_of(SaveModal.BINDINGS)],
        ),
        ("Turn report", rows_of(TurnReportScreen.BINDINGS)),
        ("End of the mission", rows_of(EndingScreen.BINDINGS)),
        ("Debrief", rows_of(DebriefScreen.BINDINGS)),
    ]


# The sections of the help that belong to a screen (by its class name): opened there, the
# help lists them first, the keys of the screen in front of the trainee before all others.
OWN_SECTIONS = {
    "MenuScreen": ("Menu",),
    "ScenarioPickerScreen": ("Scenario picker",),
    "LoadScreen": ("Load screen",),
    "BriefingScreen": ("Briefing",),
    "DashboardScreen": (
        "Dashboard",
        "Allocation tab",
        "Partnerships tab",
        "Negotiations tab",
        "Events tab and dialogs",
    ),
    "EventModal": ("Events tab and dialogs",),
    "ConfirmModal": ("Questions",),
    "SaveModal": ("Questions",),
    "TurnReportScreen": ("Turn report",),
    "EndingScreen": ("End of the mission",),
    "DebriefScreen": ("Debrief",),
}


def help_markup(screen: str = "") -> Content:
    """Every key, section by section; the sections of `screen` (a class name) first."""
    every = sections()
    # The app's own keys (Ctrl+S, ?...): listed under Everywhere, not again in each section.
    everywhere = {k for k, _ in every[0][1] if k.startswith("Ctrl+") or k == "?"}
    own = OWN_SECTIONS.get(screen, ())
    every.sort(key=lambda section: section[0] not in own)  # stable: each part keeps its order
    listed: list[tuple[str, list[tuple[str, str]]]] = []
    for title, rows in every:
        # One line per key: a key that does two things (Enter on the last report) says both.
        merged: dict[str, list[str]] = {}
        for keys, what in rows:
            if keys in everywhere and title != "Everywhere":
                continue
            tokens = set(keys.split())
            if keys not in merged and any(tokens <= set(k.split()) for k in merged):
                continue  # "Esc: Cancel" after "n Esc: No" in the same dialogs
            doing = merged.setdefault(keys, [])
            if what not in doing:
                doing.append(what)
        listed.append((title, [(keys, " / ".join(what)) for keys, what in merged.items()]))
    width = max(len(keys) for _, rows in listed for keys, _ in rows) + 2
    lines: list[Content] = []
    for title, rows in listed:
        lines.append(markup("[b]$title[/b]", title=title))
        # A description too long for the box goes on under the descriptions, not the keys.
        lines += [
            hung(markup("  [$accent]$keys[/] $what", keys=keys.ljust(width), what=what), width + 3)
            for keys, what in rows
        ]
        lines.append(Content())
    return joined(lines[:-1])


class HelpScreen(Dialog[None]):
    """Every key, those of the screen it was opened on first; Esc, q or ? closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help"),
    ]

    def __init__(self, opened_on: str = "") -> None:
        super().__init__()
        self.opened_on = opened_on  # the class name of the screen it was opened on

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static(
                "[b]Keys[/b]  [dim]Esc closes · the mouse works too[/]", classes="dialog-title"
            )
            with VerticalScroll(id="help-body"):
                yield Static(help_markup(self.opened_on), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.close(None)
