"""The Accord app: its bindings, its theme, and the way between screens.

The engine is imported lazily so the menu's first frame is not kept waiting.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from game.safe_text import printable_lines
from game.tui.screens.menu import MenuScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from game.scenario.compiled import Scenario
    from game.tui.saving import LoadedGame
    from game.tui.session import Session

ACCORD_THEME = Theme(
    name="accord",
    primary="#7FA7C9",
    secondary="#8FB39A",
    accent="#D9B779",
    warning="#E0A96D",
    error="#D9796C",
    success="#9BC493",
    foreground="#DCE3EA",
    background="#1C232B",
    surface="#232B35",
    panel="#2B3542",
    dark=True,
)


def _accord_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from game.tui.commands import AccordCommands

    return AccordCommands


class AccordApp(App[int]):
    """The trainee's game. Holds the session; every rule stays in the engine."""

    CSS_PATH = Path(__file__).parent / "accord.tcss"
    TITLE = "Accord"
    COMMANDS = App.COMMANDS | {_accord_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("question_mark", "help", "Help", key_display="?", show=False),
        Binding("ctrl+s", "save", "Save the game", show=False),
    ]
    # Not annotated ClassVar: App declares these as plain attributes (mypy would object).
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (96, "-wide"),
        (120, "-huge"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012

    def __init__(
        self,
        *,
        scenario: Scenario | None = None,
        scenario_path: Path | None = None,
        seed: int | None = None,
        loaded: LoadedGame | None = None,
        player: str | None = None,
        scenario_dirs: list[Path] | None = None,
        saves: str | Path | None = None,
        class_dir: Path | None = None,
    ) -> None:
        super().__init__()
        # Calm and quick: no sliding tab underlines or smooth scrolls.
        self.animation_level = "none"
        # Set before the stylesheet is first parsed, its colours given to the stylesheet
        # directly: the theme's watcher would parse and apply every rule a second time before
        # the first frame (a dark theme like Textual's default: nothing else it sets differs).
        self.register_theme(ACCORD_THEME)
        if not os.environ.get("TEXTUAL_THEME"):
            self.set_reactive(AccordApp.theme, "accord")
            self.stylesheet.set_variables(self.get_css_variables())
        self.start_scenario = scenario
        self.start_path = scenario_path
        self.seed = seed
        self.loaded = loaded
        self.player = player
        self.scenario_dirs = list(scenario_dirs or [])
        self.saves_option = saves
        self.session: Session | None = None
        self._folder: Path | None = None
        self._folder_known = False
        # Served to a class (`accord serve`): the trainee names themselves first, and their
        # games live in their own folder of `class_dir`, held by this session.
        self.class_dir = class_dir
        self.seat: Any = None

    # ---- start ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return MenuScreen()

    def on_mount(self) -> None:
        self._catch_hangups()
        if self.class_dir is None:
            self._open_start()
        else:
            from game.tui.screens.join import JoinScreen

            self.push_screen(JoinScreen())

    def join(self, typed: str) -> str:
        """Take the class seat of the name typed; '' when joined, else the sentence why not."""
        from game.classroom.names import NameError_, trainee
        from game.classroom.seats import take_seat
        from game.tui import saving

        if self.class_dir is None or self.seat is not None:
            return ""
        try:
            seat = take_seat(self.class_dir, trainee(typed))
        except NameError_ as exc:
            return str(exc)
        except saving.error_types() as exc:
            return f"Your folder cannot be used: {exc}"
        self.seat = seat
        self.player = seat.trainee.name
        self.saves_option = seat.folder
        self._folder_known = False
        self.sub_title = seat.trainee.name
        self.pop_screen()
        self.call_later(self._open_start)
        return ""

    def _open_start(self) -> None:
        if self.loaded is not None:
            self.resume(self.loaded)
        elif self.start_scenario is not None and self.start_path is not None:
            if self.seat is not None and self._continue_in_class(self.start_scenario.id):
                return
            self.open_briefing(self.start_scenario, self.start_path, self.seed)
        elif self.seat is not None:
            self._continue_in_class(None)  # else the menu, to choose a scenario

    def _continue_in_class(self, scenario_id: str | None) -> bool:
        """A returning trainee's latest game (of the class's scenario, if it plays one),
        resumed if it is not over."""
        from game.classroom.seats import game_in_progress
        from game.tui import saving

        path = game_in_progress(self.seat.folder, scenario_id)
        if path is None:
            return False
        try:
            loaded = saving.load(path, self.scenario_dirs)
        except saving.error_types() as exc:
            self.notify(str(exc), title="Your game cannot be continued", severity="error")
            return False
        self.resume(loaded)
        return True

    def saves_folder(self) -> Path | None:
        """The save folder (None when saves are unavailable or the folder is unusable, and in
        a class until the trainee has joined)."""
        if self.class_dir is not None and self.seat is None:
            return None
        if not self._folder_known:
            from game.tui import saving

            try:
                self._folder = saving.folder(self.saves_option)
            except saving.error_types():
                self._folder = None
            self._folder_known = True
        return self._folder

    # ---- the way between screens ----------------------------------------------------

    async def _over_menu(self, screen: Screen[Any]) -> None:
        """Show `screen` with only the menu beneath it."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(screen)

    def action_menu(self) -> None:
        self._autosave_if_needed()

        async def back() -> None:
            while len(self.screen_stack) > 1:
                await self.pop_screen()

        self.call_later(back)

    def action_new_game(self) -> None:
        """The scenario list; never a second one (back to it when it is already open)."""
        from game.tui.screens.picker import ScenarioPickerScreen

        open_lists = [s for s in self.screen_stack if isinstance(s, ScenarioPickerScreen)]
        if not open_lists:
            self.push_screen(ScenarioPickerScreen(self.scenario_dirs))
            return
        target = open_lists[-1]

        async def back() -> None:
            while self.screen is not target and len(self.screen_stack) > 1:
                await self.pop_screen()

        if self.screen is not target:
            self.call_later(back)

    def action_load(self) -> None:
        from game.tui.screens.load import LoadScreen

        self.push_screen(LoadScreen())

    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(type(self.screen).__name__))

    def open_briefing(self, scenario: Scenario, path: Path, seed: int | None = None) -> None:
        from game.tui.screens.briefing import BriefingScreen

        self.push_screen(BriefingScreen(scenario, path, seed if seed is not None else self.seed))

    def start_game(self, scenario: Scenario, path: Path, seed: int | None = None) -> None:
        """A new game of `scenario`, straight to its first turn."""
        from game.engine import Game
        from game.tui.screens.dashboard import DashboardScreen
        from game.tui.session import Session

        self._autosave_if_needed()
        game = Game.new(scenario, seed)
        self.session = Session(game, path, seed=seed, player=self.player, saves=self.saves_folder())
        self.call_later(self._over_menu, DashboardScreen(self.session))

    def play_again(self, session: Session) -> None:
        self.start_game(session.game.s, session.scenario_path, session.seed)

    def resume_save(self, path: Path) -> None:
        """Load a save (verified by replay) and resume it; a bad save is refused in words."""
        from game.tui import saving

        try:
            loaded = saving.load(path, self.scenario_dirs)
        except saving.error_types() as exc:
            self.notify(str(exc), title="This save cannot be loaded", severity="error", timeout=8)
            return
        self.resume(loaded)

    def resume(self, loaded: LoadedGame) -> None:
        from game.tui.screens.dashboard import DashboardScreen
        from game.tui.screens.ending import EndingScreen
        from game.tui.session import Session

        self._autosave_if_needed()
        self.session = Session(
            loaded.game,
            loaded.scenario_path,
            seed=loaded.game.seed,
            player=loaded.player or self.player,
            saves=self.saves_folder(),
            slot=loaded.slot,
        )
        for warning in loaded.warnings:
            self.notify(warning, title="Loaded with a warning", severity="warning", timeout=8)
        screen: Screen[Any]
        if loaded.game.finished:
            screen = EndingScreen(self.session)
        else:
            screen = DashboardScreen(self.session)
        self.call_later(self._over_menu, screen)

    def show_ending(self, session: Session) -> None:
        from game.tui.screens.ending import EndingScreen

        self.call_later(self._over_menu, EndingScreen(session))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice shows its words as text, never as markup (a save's name, a file's
        path, an error about a scenario all come from outside): `markup` is ignored."""
        super().notify(
            printable_lines(message),
            title=printable_lines(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # ---- saving and quitting ------------------------------------------------------------

    def _catch_hangups(self) -> None:
        """A closed terminal (SIGHUP) or a polite kill (SIGTERM) autosaves before leaving."""
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._hang_up)
        except (NotImplementedError, RuntimeError, AttributeError, ValueError):
            pass  # not on this platform, or not in the main thread (tests)

    def _hang_up(self) -> None:
        self._autosave_if_needed()
        # With its terminal gone, Textual may never finish exiting: the game is saved, so a
        # watchdog ends the process if a clean exit has not within two seconds.
        watchdog = threading.Timer(2.0, os._exit, (0,))
        watchdog.daemon = True
        watchdog.start()
        self.exit(0)

    def in_progress(self) -> bool:
        return self.session is not None and not self.session.game.finished

    def _autosave_if_needed(self) -> None:
        session = self.session
        if session is not None and session.dirty and not session.game.finished:
            notice = session.autosave()
            if notice:
                self.notify(notice, timeout=3)

    def action_save(self) -> None:
        from game.tui.screens.modals import SaveModal
        from game.tui.text import turn_name

        session = self.session
        if session is None or session.game.finished:
            self.notify("There is no game in progress to save.", severity="warning")
            return
        if session.saves is None:
            self.notify("Saving is not available in this version.", severity="warning")
            return
        game = session.game
        suggestion = f"{game.s.title}, {turn_name(game.s, game.state.turn).lower()}"

        def named(name: str | None) -> None:
            if name is None:
                return
            from game.tui import saving

            try:
                session.save(name)
            except saving.error_types() as exc:
                self.notify(str(exc), title="Not saved", severity="error", timeout=8)
                return
            self.notify(f"Saved as “{name}”.", title="Saved")
            refresh = getattr(self.screen, "refresh_view", None)
            if refresh is not None:
                refresh()

        self.push_screen(SaveModal(suggestion), named)

    async def action_quit(self) -> None:
        """Quit; a game in the middle of a turn is autosaved first."""
        self._autosave_if_needed()
        self.exit(0)

    def _quit_later(self) -> None:
        self.call_later(self.action_quit)

    # ---- command palette ----------------------------------------------------------------

    def palette_commands(self, screen: Screen[Any]) -> list[tuple[str, Callable[[], Any], str]]:
        out: list[tuple[str, Callable[[], Any], str]] = [
            ("New game", self.action_new_game, "Choose a scenario and start a mission"),
            ("Load game", self.action_load, "Resume a saved game"),
            ("Help: keys", self.action_help, "Every key of every screen (?)"),
            ("Main menu", self.action_menu, "Back to the menu (a game in progress is autosaved)"),
            ("Quit", self._quit_later, "Leave Accord (a game in progress is autosaved)"),
        ]
        if self.in_progress():
            out.insert(2, ("Save game", self.action_save, "Save to a named slot (ctrl+s)"))
        more = getattr(screen, "palette_commands", None)
        if more is not None:
            out = [*more(), *out]
        return out
