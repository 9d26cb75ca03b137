"""The scenario picker: shipped scenarios and any folder given with --scenarios."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import DataTable, Static

from game.tui.markup import cell, markup
from game.tui.markup import lines as joined
from game.tui.screens.lists import ListScreen
from game.tui.widgets.listtable import ListTable

if TYPE_CHECKING:
    from game.library import Entry


# The scan parses and checks every scenario file (0.15-0.3 s for the shipped five): its result
# is kept while no file on the search path changes, and the menu runs it in the background once
# its first frame is up, so the list usually shows at once.
_SCAN_LOCK = threading.Lock()
_SCANS: dict[tuple[Path, ...], tuple[Any, list[Entry]]] = {}


def _fingerprint(folders: list[Path]) -> tuple[Any, ...]:
    """The scenario files on the search path as (file, inode, size, modification time)."""
    out: list[Any] = []
    for folder in folders:
        try:
            files = sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
            out.append((str(folder), [(p.name, *_stat(p)) for p in files]))
        except OSError:
            out.append((str(folder), None))
    return tuple(out)


def _stat(path: Path) -> tuple[int, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (0, -1, 0)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def scenario_entries(folders: list[Path]) -> list[Entry]:
    """`game.library.discover(folders)`, reused while no scenario file has changed."""
    import game.library

    with _SCAN_LOCK:
        key = tuple(folders)
        mark = _fingerprint(game.library.search_path(folders))
        kept = _SCANS.get(key)
        if kept is not None and kept[0] == mark:
            return list(kept[1])
        entries = game.library.discover(folders)
        _SCANS.pop(key, None)
        _SCANS[key] = (mark, entries)
        while len(_SCANS) > 8:  # tests and --scenarios folders: keep the latest few
            _SCANS.pop(next(iter(_SCANS)))
        return list(entries)


EASIEST_FIRST = {"intro": 0, "standard": 1, "hard": 2}


def listed(entries: list[Entry]) -> list[Entry]:
    """The scenarios as the list shows them: the easiest first (the tutorial at the top), each
    difficulty in the order found; files that cannot be played last."""

    def rank(entry: Entry) -> tuple[int, int]:
        if entry.scenario is None:
            return (1, 0)
        return (0, EASIEST_FIRST.get(str(entry.scenario.model.difficulty), len(EASIEST_FIRST)))

    return sorted(entries, key=rank)


def _held(action: str) -> Callable[[ScenarioTable], None]:
    """A table's `action_<action>`, kept for later while the rows have not come."""

    def run(table: ScenarioTable) -> None:
        if not table._hold(action):
            getattr(ListTable, f"action_{action}")(table)

    run.__name__ = f"action_{action}"
    return run


class ScenarioTable(ListTable):
    """The table of scenarios. Moves and Enter pressed before its rows come are kept, and
    played once they do: the keys of `n Down Down Enter` typed at once are not lost (some reach
    the menu first, and Textual then looks their bindings up on this table)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.held: list[str] | None = []  # None once the rows are in

    def _hold(self, action: str) -> bool:
        if self.held is None:
            return False
        self.held.append(action)
        return True

    action_cursor_up = _held("cursor_up")
    action_cursor_down = _held("cursor_down")
    action_page_up = _held("page_up")
    action_page_down = _held("page_down")
    action_first_row = _held("first_row")
    action_last_row = _held("last_row")
    action_select_cursor = _held("select_cursor")

    def release(self) -> None:
        """The rows are in: play the kept keys in order, up to Enter (what follows Enter was
        meant for the briefing, which is not open yet)."""
        held, self.held = self.held or [], None
        for action in held:
            getattr(self, f"action_{action}")()
            if action == "select_cursor":
                break


class ScenarioPickerScreen(ListScreen):
    """Title, difficulty, turns and summary of every scenario found; Enter opens its briefing."""

    TOPBAR = "[b]New game[/b] · choose a scenario"
    KEYS = "↑/↓ choose · Enter read the briefing · Esc back"
    BODY_ID, TABLE_ID = "picker-body", "scenario-table"
    COLUMNS = ("Scenario", "Difficulty", "Length")
    NOTE_ID, NOTE = "scenario-summary", "Looking for scenarios…"

    def __init__(self, folders: list[Path]) -> None:
        super().__init__()
        self.folders = folders
        self.entries: list[Entry] = []

    def make_table(self) -> ScenarioTable:
        return ScenarioTable(id=self.TABLE_ID, cursor_type="row", zebra_stripes=True)

    @work(thread=True, exclusive=True)
    def fill(self) -> None:
        entries = scenario_entries(self.folders)
        self.app.call_from_thread(self._show, entries)

    def _show(self, entries: list[Entry]) -> None:
        if not self.is_attached:  # left with Esc before the list came
            return
        self.entries = listed(entries)
        entries = self.entries
        table = self.query_one("#scenario-table", ScenarioTable)
        table.clear()
        for i, entry in enumerate(entries):
            s = entry.scenario
            if s is None:
                table.add_row(cell(f"⚠ {entry.path.name}"), "—", "cannot be loaded", key=str(i))
                continue
            m = s.model
            table.add_row(
                cell(m.title), cell(m.difficulty), cell(f"{m.turns} {m.turn_label}s"), key=str(i)
            )
        if not entries:
            self.query_one("#scenario-summary", Static).update("No scenario files were found.")
        else:
            table.move_cursor(row=self._default_row(), animate=False)
            self._summary()
        table.release()

    def _default_row(self) -> int:
        from game.library import DEFAULT_SCENARIO

        for i, entry in enumerate(self.entries):
            if entry.scenario is not None and entry.scenario.id == DEFAULT_SCENARIO:
                return i
        return 0

    def current(self) -> Entry | None:
        row = self.query_one("#scenario-table", DataTable).cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    @on(DataTable.RowHighlighted, "#scenario-table")
    def _summary(self) -> None:
        entry = self.current()
        out = self.query_one("#scenario-summary", Static)
        if entry is None:
            return
        if entry.scenario is None:
            problems = [p.format() for p in entry.problems[:6]]
            out.update(joined([markup("[$error]This scenario cannot be played:[/]"), *problems]))
            return
        from game.library import is_shipped

        m = entry.scenario.model
        partners = ", ".join(st.name for st in m.stakeholders.values())
        # A scenario of the user's own says which file it is; one shipped with Accord need not.
        where = "" if is_shipped(entry.path) else "\nFile: $path"
        out.update(
            markup(
                "[b]$title[/b] · $difficulty · $turns $label\n$summary\n"
                f"[dim]Partners: $partners{where}[/]",
                title=m.title, difficulty=m.difficulty, turns=m.turns, label=f"{m.turn_label}s",
                summary=m.summary, partners=partners, path=entry.path,
            )
        )  # fmt: skip

    @on(DataTable.RowSelected, "#scenario-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        row = event.cursor_row
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        if entry is None:
            return
        if entry.scenario is None:
            first = entry.problems[0].format() if entry.problems else "unknown problem"
            self.notify(first, title="This scenario cannot be played", severity="error")
            return
        self.accord.open_briefing(entry.scenario, entry.path)
