"""The main menu. Kept light: it imports no engine, so the first frame comes fast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.tui.markup import markup, plain
from game.tui.screens.base import AccordScreen
from game.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from game.library import Entry
    from game.tui.saving import SaveRow

LOGO = """[b]A C C O R D[/b]
[dim]strategic partnerships in peacekeeping[/]"""


def turn_title(save: SaveRow, entries: list[Entry]) -> str:
    """'Month 4 of 12' for a save, in the unit of its scenario (found by title or id)."""
    label = "turn"
    for entry in entries:
        s = entry.scenario
        if s is not None and save.scenario in (s.model.title, s.id):
            label = s.model.turn_label
            break
    return f"{label[:1].upper()}{label[1:]} {save.turn} of {save.turns}"


class MenuScreen(AccordScreen):
    """New game, Continue, Load, Help, Quit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "pick('new')", "New game"),
        Binding("c", "pick('continue')", "Continue"),
        Binding("l", "pick('load')", "Load"),
        Binding("question_mark", "pick('help')", "Help", key_display="?"),
        Binding("q", "pick('quit')", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.latest: SaveRow | None = None

    def compose(self) -> ComposeResult:
        with Center(id="menu-box"), Vertical(id="menu-panel"):
            yield Static(LOGO, id="logo")
            yield OptionList(
                Option("New game", id="new"),
                Option(
                    "Continue  [dim](looking for an autosave…)[/]", id="continue", disabled=True
                ),
                Option("Load a saved game", id="load"),
                Option("Help", id="help"),
                Option("Quit", id="quit"),
                id="menu",
            )
            yield Static(id="menu-note", classes="dim")
        yield KeyBar()

    def on_mount(self) -> None:
        menu = self.query_one("#menu", OptionList)
        menu.highlighted = 0
        menu.focus()
        # A moment after the first frame: the look-up imports the engine (half a second of
        # work in a thread), which would otherwise compete with the frame's way to the screen.
        self.call_after_refresh(self.set_timer, 0.05, self.find_autosave)

    def on_screen_resume(self) -> None:
        self.find_autosave()

    @work(thread=True, exclusive=True, group="autosave")
    def find_autosave(self) -> None:
        """Look for the latest autosave off the UI thread (imports the engine). The scenarios
        are read here too (the unit of the autosave's turns), so the scenario list opens at once."""
        from game.tui import saving

        latest: SaveRow | None = None
        ended: SaveRow | None = None
        broken: list[str] = []
        note = ""
        folder = self.accord.saves_folder()
        if folder is None:
            note = "Saving is not available in this version."
        else:
            try:
                latest = saving.latest(folder)
                if latest is None:
                    # Continue (like `accord continue`) resumes only a game in progress.
                    autosaves = (r for r in saving.listing(folder) if r.kind == "auto")
                    ended = next((r for r in autosaves if r.finished), None)
                    broken = saving.damaged(folder) if ended is None else []
            except saving.error_types() as exc:
                note = f"Saves: {exc}"
        entries = self._scenarios() if latest is not None else []
        if latest is not None:
            where = f"{latest.scenario}, {turn_title(latest, entries)}"
            prompt = markup("Continue  [dim]($where)[/]", where=where)
        elif ended is not None:
            prompt = markup("Continue  [dim](no game in progress)[/]")
            note = f"Your last game, {ended.scenario}, has ended: Load a saved game shows it."
        elif broken:
            prompt = markup("Continue  [dim](the autosave is damaged)[/]")
            note = broken[0]
        else:
            prompt = markup("Continue  [dim](no autosave yet)[/]")
        self.app.call_from_thread(self._show_continue, latest, prompt, note)
        if latest is None:
            self._scenarios()  # read now, while the menu waits: the list then opens at once

    def _scenarios(self) -> list[Entry]:
        from game.tui.screens.picker import scenario_entries

        try:
            return scenario_entries(self.accord.scenario_dirs)
        except OSError:
            return []  # the scenario list will say why

    def _show_continue(self, latest: SaveRow | None, prompt: Content, note: str) -> None:
        # The look-up runs off the UI thread: the menu may have closed (the app quitting, a
        # screen opened over it) before its answer comes.
        found = self.query("#menu").results(OptionList)
        menu = next(found, None)
        if not self.is_attached or menu is None:
            return
        self.latest = latest
        menu.replace_option_prompt("continue", prompt)
        if latest is None:
            menu.disable_option("continue")
        else:
            menu.enable_option("continue")
        for out in self.query("#menu-note").results(Static):
            out.update(plain(note))

    @on(OptionList.OptionSelected, "#menu")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.action_pick(event.option.id)

    def action_pick(self, what: str) -> None:
        if not self.is_active:
            # A key or a click queued for the menu after another screen covered it (`n` then
            # Enter typed at once): the menu is no longer what the trainee sees.
            return
        app = self.accord
        if what == "new":
            app.action_new_game()
        elif what == "continue":
            if self.latest is None:
                self.notify("There is no game in progress to continue.", severity="warning")
            else:
                app.resume_save(self.latest.path)
        elif what == "load":
            app.action_load()
        elif what == "help":
            app.action_help()
        elif what == "quit":
            app.exit(0)

    def palette_commands(self) -> list[tuple[str, Any, str]]:
        if self.latest is None:
            return []
        path = self.latest.path
        return [("Continue", lambda: self.accord.resume_save(path), "Resume the latest autosave")]
