"""The turn dashboard: meters, resources and partners beside the tabs where the trainee decides."""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static, TabbedContent, TabPane, Tabs

from game.engine import Action, Choose, EndStrategy, EndTurn
from game.tui.markup import markup, plain
from game.tui.messages import Act, ActAll, OpenEvent, OpenReport, Say
from game.tui.screens.base import AccordScreen
from game.tui.screens.event import EventModal
from game.tui.screens.modals import ConfirmModal
from game.tui.screens.report import TurnReportScreen
from game.tui.text import (
    changes_summary,
    end_turn_reminders,
    event_effects,
    number,
    signed,
    turn_name,
    turn_title,
)
from game.tui.widgets import put
from game.tui.widgets.allocation import AllocationPanel
from game.tui.widgets.events import EventsPanel, LogPanel
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.negotiations import NegotiationsPanel
from game.tui.widgets.overview import MetersPanel, OutlookPanel, PartnersPanel, ResourcesPanel
from game.tui.widgets.partnerships import PartnershipsPanel

NARROW = 96  # columns below which the sidebar becomes the Overview tab


def settle_memory() -> None:
    """Once per process, when the first dashboard is up: collect, then leave what is alive
    (the modules, the scenario, the app) out of later collections. A full collection walks
    every object, and Textual makes enough garbage in a frame to start one every few keys
    (5-50 ms each, at random). Later games are collected as usual."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


if TYPE_CHECKING:
    from game.engine import TurnReport
    from game.tui.session import Session

TABS = {
    "overview": "[u]O[/u]verview",
    "allocation": "[u]A[/u]llocation",
    "partnerships": "[u]P[/u]artnerships",
    "negotiations": "[u]N[/u]egotiations",
    "events": "E[u]v[/u]ents",
    "log": "[u]L[/u]og",
}


class DashboardScreen(AccordScreen):
    """One turn of the mission. The engine decides; this screen shows and asks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "end_turn", "End turn"),
        Binding("o", "tab('overview')", "Overview", show=False),
        Binding("a", "tab('allocation')", "Allocation", show=False),
        Binding("p", "tab('partnerships')", "Partnerships", show=False),
        Binding("n", "tab('negotiations')", "Negotiations", show=False),
        Binding("v", "tab('events')", "Events", show=False),
        Binding("l", "tab('log')", "Log", show=False),
        Binding("escape", "menu", "Menu (autosaves)", show=False),
        Binding("ctrl+s", "save", "Save"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.status_text = Content()
        self._narrow: bool | None = None
        self._stale: set[str] = set()
        self._groups: dict[str, list[Any]] = {}
        self._built: dict[str, Widget] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", classes="topbar")
        with Horizontal(id="body"):
            with VerticalScroll(id="sidebar"):
                yield OutlookPanel(id="outlook")
                yield MetersPanel(id="meters")
                yield ResourcesPanel(id="resources")
                yield PartnersPanel(id="partners")
            with Vertical(id="main"):
                with TabbedContent(id="tabs", initial="allocation"):
                    for tab, title in TABS.items():
                        # Only the first tab is built now; the others when first shown.
                        with TabPane(title, id=tab):
                            if tab == "allocation":
                                yield self._make_panel(tab)
                yield Static(id="status", classes="statusbar")
        yield KeyBar()

    def _make_panel(self, tab: str) -> Widget:
        if tab == "overview":
            overview = VerticalScroll(
                OutlookPanel(classes="overview-outlook"),
                MetersPanel(classes="overview-meters"),
                ResourcesPanel(classes="overview-resources"),
                PartnersPanel(classes="overview-partners"),
                id="overview-panel",
            )
            self._built[tab] = overview
            return overview
        panels: dict[str, Callable[..., Widget]] = {
            "allocation": AllocationPanel,
            "partnerships": PartnershipsPanel,
            "negotiations": NegotiationsPanel,
            "events": EventsPanel,
            "log": LogPanel,
        }
        panel = panels[tab](self.session, id=f"{tab}-panel")
        self._built[tab] = panel
        return panel

    async def _ensure_panel(self, tab: str) -> None:
        """Build a tab's panel the first time the tab is shown."""
        if tab not in self._built:
            await self.query_one(f"TabPane#{tab}").mount(self._make_panel(tab))
            self._stale.add(tab)

    def on_mount(self) -> None:
        self._tabs = self.query_one(TabbedContent)
        self.refresh_view()
        self.query_one(AllocationPanel).focus_main()
        self.call_after_refresh(self.open_pending)
        self.call_after_refresh(settle_memory)

    def on_resize(self) -> None:
        """Narrow terminals: the sidebar becomes the Overview tab."""
        self._topbar()  # it drops what does not fit the new width
        narrow = self.size.width < NARROW
        if narrow == self._narrow:
            return
        self._narrow = narrow
        tabs = self.query_one(TabbedContent)
        self.query_one("#sidebar").display = not narrow
        if narrow:
            tabs.show_tab("overview")
        else:
            if tabs.active == "overview":
                tabs.active = "allocation"
            tabs.hide_tab("overview")
        self._show_visible()

    # ---- showing --------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Show the game as the engine has it now (panels out of sight catch up when shown)."""
        self._topbar()
        self._stale = {"sidebar", *TABS}
        self._show_visible()
        put(self.query_one("#status", Static), self.status_text or self._hint())

    def _show_visible(self) -> None:
        groups = [self._tabs.active or "allocation"]
        if not self._narrow:
            groups.append("sidebar")
        for group in groups:
            if group in self._stale:
                self._stale.discard(group)
                for panel in self._group(group):
                    panel.show(self.session)

    def _group(self, group: str) -> list[Any]:
        cached = self._groups.get(group)
        if cached:
            return cached
        if group == "sidebar":
            names = ("outlook", "meters", "resources", "partners")
            found = [self.query_one(f"#{name}") for name in names]
        elif group == "overview" and group in self._built:
            found = list(self._built[group].children)
        elif group in self._built:
            found = [self._built[group]]
        else:
            return []  # built when the tab is first shown
        self._groups[group] = found
        return found

    def _topbar(self) -> None:
        game = self.session.game
        state = game.state
        s = game.s
        head = s.model.metrics[s.headline]
        title = plain(s.title)
        parts = [
            markup("[b]$turn[/b]", turn=turn_title(s, state.turn)),
            title,
            plain(f"★ {head.label} {number(state.metrics[s.headline])}"),
        ]
        if state.pending:
            count = len(state.pending)
            parts.append(markup(f"[$warning]⚑ {count} event{'s' if count > 1 else ''} waiting[/]"))
        notice = self.session.notice or ""
        score = f"score {number(state.score)}" if game.reports else ""

        def line(parts: list[Content], notice: str) -> Content:
            right = [bit for bit in (notice, score) if bit]
            tail = markup("   [dim]$right[/]", right=" · ".join(right)) if right else Content()
            return Content(" · ").join(parts) + tail

        # What does not fit goes, least needed first: the scenario's title, then the notice
        # (the status line says it too); the turn, the headline, events and score stay.
        room = self.size.width - 2  # the bar's padding
        text = line(parts, notice)
        if room > 0 and text.cell_length > room:
            parts.remove(title)
            text = line(parts, notice)
            if text.cell_length > room:
                text = line(parts, "")
        put(self.query_one("#topbar", Static), text)

    def _turn_news(self) -> str:
        """What the events that fired at the start of the turn changed at once (a meter that
        moved between turns is explained where the trainee looks first)."""
        game = self.session.game
        news = [
            f"{game.s.events[eid].title}: {effects}"
            for eid in game.fired_now
            if eid not in game.pending and (effects := event_effects(game, eid))
        ]
        return " · ".join(news) + " (Events tab: v)" if news else ""

    def _hint(self) -> Content:
        return markup("[dim]e ends the turn · ? lists every key[/]")

    def say(self, text: str, warning: bool = False) -> None:
        """A line in the status bar, under the tabs. Not a notice as well: a notice's box lay
        over the offers and what is known of the parties for seconds (at 80 columns)."""
        self.status_text = markup("[$warning]✗ $why[/]", why=text) if warning else plain(text)
        put(self.query_one("#status", Static), self.status_text)

    # ---- acting ---------------------------------------------------------------------

    @on(Act)
    def _act(self, message: Act) -> None:
        message.stop()
        if message.confirm and self._confirm_costs(message.action):
            return
        self.act(message.action)

    @on(ActAll)
    def _act_all(self, message: ActAll) -> None:
        message.stop()
        for action in message.actions:
            outcome = self.session.apply(action)
            if not outcome.ok:
                self.say(outcome.reason, warning=True)
                self.refresh_view()
                return
        self.status_text = plain(message.said)
        self.refresh_view()

    def act(self, action: Action) -> bool:
        """Apply an action; a refusal shows the engine's reason and changes nothing."""
        outcome = self.session.apply(action)
        if not outcome.ok:
            self.say(outcome.reason, warning=True)
            return False
        self.status_text = Content()
        if outcome.proposal is not None:
            record = outcome.proposal
            label = self.session.game.s.disagreements[record.disagreement].label
            verdict = "agreed!" if record.agreed else "not agreed — see the answers"
            self.status_text = plain(f"{label}: {verdict}")
            for panel in self.query(NegotiationsPanel):
                self.call_after_refresh(panel.reveal_answers)
        elif outcome.changes:
            self.status_text = plain(changes_summary(self.session.game.s, outcome.changes))
        elif isinstance(action, EndStrategy):  # no commitment broken: nothing else moved
            label = self.session.game.s.strategies[action.strategy].label
            self.status_text = plain(f"{label} ended.")
        self.refresh_view()
        return True

    def _confirm_costs(self, action: Action) -> bool:
        """Ask first when the action costs trust at once (ending a strategy early)."""
        game = self.session.game
        if game.check(action):
            return False
        trial = game.copy()
        outcome = trial.apply(action)
        costs = [c for c in outcome.changes if c.kind == "trust" and c.amount < 0]
        if not costs:
            return False
        s = game.s
        lines = [
            f"{s.model.stakeholders[c.target].name}: trust {signed(c.amount)} ({c.cause})"
            for c in costs
        ]
        label = s.strategies[action.strategy].label if isinstance(action, EndStrategy) else "This"

        def answer(yes: bool | None) -> None:
            if yes:
                self.act(action)
            else:
                self.say("Nothing changed.")

        self.app.push_screen(ConfirmModal(f"End {label} early?", lines, yes="End it"), answer)
        return True

    @on(Say)
    def _say(self, message: Say) -> None:
        message.stop()
        self.say(message.text, message.warning)

    # ---- events ---------------------------------------------------------------------

    def open_pending(self) -> None:
        """Open the modal of the first pending event, if the dashboard is on top."""
        pending = self.session.game.state.pending
        if pending and self.app.screen is self:
            self.open_event(pending[0])

    def open_event(self, event: str) -> None:
        modal = EventModal(self.session, event)

        def answered(choice: str | None) -> None:
            if choice is None:
                title = self.session.game.s.events[event].title
                self.say(f"{title} waits for your answer (Events tab, v).")
                if modal.passed_key is not None:  # a dashboard key put the event off: do it
                    self.do_key(modal.passed_key)
                return
            if self.act(Choose(event, choice)):
                self.call_after_refresh(self.open_pending)

        self.app.push_screen(modal, answered)

    def do_key(self, key: str) -> None:
        """Do what one of the dashboard's own keys does (its binding, not a focused widget's)."""
        for binding in self._bindings.key_to_bindings.get(key, ()):
            self.call_later(self.run_action, binding.action)
            return

    @on(OpenEvent)
    def _open_event(self, message: OpenEvent) -> None:
        message.stop()
        self.open_event(message.event)

    @on(OpenReport)
    def _open_report(self, message: OpenReport) -> None:
        message.stop()
        self.app.push_screen(TurnReportScreen(self.session.game.s, message.report))

    # ---- ending the turn ------------------------------------------------------------

    def action_end_turn(self) -> None:
        game = self.session.game
        reason = game.check(EndTurn())
        if reason:
            self.say(reason, warning=True)
            self.open_pending()
            return
        reminders = end_turn_reminders(game)
        if not reminders:
            self.end_turn()
            return
        title = f"End {turn_name(game.s, game.state.turn)}?"

        def answer(yes: bool | None) -> None:
            if yes:
                self.end_turn()

        modal = ConfirmModal(title, ["Still pending:", *reminders], yes="End turn", also="e")
        self.app.push_screen(modal, answer)

    def end_turn(self) -> None:
        outcome = self.session.apply(EndTurn())
        if not outcome.ok or outcome.report is None:
            self.say(outcome.reason or "The turn could not end.", warning=True)
            return
        notice = self.session.autosave()
        self.status_text = Content()
        self.refresh_view()
        self.show_report(outcome.report, notice)

    def show_report(self, report: TurnReport, notice: str) -> None:
        def back(_: None) -> None:
            if self.session.game.finished:
                self.accord.show_ending(self.session)
            else:
                self.status_text = plain(self._turn_news())
                self.refresh_view()
                self.call_after_refresh(self.open_pending)

        self.app.push_screen(TurnReportScreen(self.session.game.s, report, notice), back)

    # ---- navigation -----------------------------------------------------------------

    async def action_tab(self, tab: str) -> None:
        if tab == "overview" and not self._narrow:
            self.query_one("#sidebar").focus()
            return
        await self._ensure_panel(tab)
        self._switch(tab)
        self._show_visible()
        self._focus_tab(tab)

    def _switch(self, tab: str) -> None:
        """Show a tab as TabbedContent would, less what a key does not need: setting its
        `active` repaints the whole TabbedContent and its ContentSwitcher (some 60 blank lines
        drawn again under the panel) and posts TabActivated, whose handler is for the mouse.
        Both reactives are set here without their watchers, and the panes and the tab bar are
        switched as the watchers would: 1.7 ms less of the ~12.7 ms of CPU a tab switch took
        (benchmarks/tui.py). A click on a tab still goes through TabbedContent."""
        tabs = self._tabs
        old = tabs.active
        if old == tab:
            return
        bar = tabs.children[0]
        assert isinstance(bar, Tabs)
        # The tab bar's own TabActivated would come back to TabbedContent, which sets
        # `active` again and posts its TabActivated: the key has done the work already.
        with bar.prevent(Tabs.TabActivated):
            bar.active = tabs.get_tab(tab).id or ""
        self._underline(tab)
        switcher = tabs.get_child_by_type(ContentSwitcher)
        switcher.set_reactive(ContentSwitcher.current, tab)
        tabs.set_reactive(TabbedContent.active, tab)
        with self.app.batch_update():
            if old:
                switcher.get_child_by_id(old).display = False
            switcher.get_child_by_id(tab).display = True

    def _underline(self, tab: str) -> None:
        """Move the tab bar's underline now: Textual moves it after the next frame, which
        costs a second frame for every tab switch (the tabs never move, so it is known)."""
        from textual.widgets._tabs import Underline

        label = self._tabs.get_tab(tab)
        start, end = label.virtual_region.shrink(label.styles.gutter).column_span
        # Found in the tab bar, the first child: not by a walk through every tab's widgets.
        underline = self._tabs.children[0].query_one(Underline)
        underline.highlight_start, underline.highlight_end = start, end

    def _focus_tab(self, tab: str) -> None:
        if tab == "overview" and not self._narrow:
            self.query_one("#sidebar").focus()
            return
        panel = self._built.get(tab)
        focus = getattr(panel, "focus_main", None)
        if focus is not None:
            focus()
        elif panel is not None and panel.can_focus:
            panel.focus()  # the narrow Overview: its keys scroll it

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab chosen with the mouse (keys go through action_tab)."""
        if event.pane.id:
            await self._ensure_panel(event.pane.id)
            self._show_visible()
            focused = self.focused
            # A key has already focused the tab (action_tab): focusing again repaints.
            if focused is None or event.pane not in focused.ancestors:
                self._focus_tab(event.pane.id)

    def action_save(self) -> None:
        self.accord.action_save()

    def action_menu(self) -> None:
        self.accord.action_menu()

    def palette_commands(self) -> list[tuple[str, Any, str]]:
        """What the command palette offers on this screen."""
        out: list[tuple[str, Any, str]] = [
            ("End turn", self.action_end_turn, "Resolve this turn and read its report (e)"),
        ]
        for tab in TABS:
            name = tab.capitalize()
            show = partial(self.call_later, self.action_tab, tab)
            out.append((f"Show {name}", show, f"Open the {name} tab"))
        if self.session.game.state.pending:
            out.append(("Answer the pending event", self.open_pending, "Open the event's dialog"))
        return out
