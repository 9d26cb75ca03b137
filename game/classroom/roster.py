"""What the instructor's live view shows of a class folder: a line per trainee (their latest
game), and a line per damaged or foreign file. Reads files only; no Textual."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.classroom.seats import trainee_name
from game.debrief.build import ending_title
from game.safe_text import cut, printable
from game.saves import SaveError, load_game, scan_saves

MAX_ENTRIES = 1000  # trainee folders and files read in one look at the class folder
WHY = 120  # the most characters of why a save cannot be replayed, in the Note column
TRIED = 5  # the newest saves of a trainee tried, newest first, for one that replays


@dataclass(frozen=True)
class Line:
    """One line of the instructor's table."""

    trainee: str  # as first typed (the name their saves hold)
    scenario: str = ""
    turn: str = ""  # turns played of the scenario's ("2/6", as `accord report`), and the ending
    score: str = ""
    grade: str = ""
    agreements: str = ""
    updated: str = ""  # ISO 8601 UTC of the latest save
    games: int = 0
    save: Path | None = None  # the latest game's file: Enter opens its debrief
    problem: str = ""  # a damaged or foreign file: what it is

    @property
    def activity(self) -> str:
        return self.updated[:19].replace("T", " ")


class Roster:
    """Reads a class folder again and again, replaying only the saves that changed."""

    def __init__(self, folder: Path, scenario_dirs: list[Path] | None = None) -> None:
        self.folder = folder
        self.scenario_dirs = list(scenario_dirs or [])
        self._loaded: dict[Path, tuple[tuple[int, int], tuple[Any, str]]] = {}
        self.capped = False

    def read(self) -> list[Line]:
        """Every trainee's line, then the problems; trainees by name."""
        lines: list[Line] = []
        problems: list[Line] = []
        try:
            with os.scandir(self.folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError as exc:
            raise SaveError(f"cannot read the class folder {self.folder}: {exc.strerror}") from None
        self.capped = len(entries) > MAX_ENTRIES
        for entry in entries[:MAX_ENTRIES]:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                line, damaged = self._trainee(path)
                lines += [line] if line is not None else []
                problems += damaged
            elif not entry.name.endswith(".json"):
                what = "not a save and not a trainee's folder"
                problems.append(Line(trainee=printable(entry.name), problem=what))
        lines.sort(key=lambda line: line.trainee.casefold())
        top, damaged = self._saves(self.folder)  # saves put straight into the class folder
        for info in top:
            lines.append(self._line(printable(info.player or info.name), [info]))
        return lines + problems + damaged

    def _saves(self, folder: Path) -> tuple[list[Any], list[Line]]:
        try:
            infos, damaged = scan_saves(folder)
        except SaveError as exc:
            return [], [Line(trainee=printable(folder.name), problem=printable(exc))]
        where = folder.name if folder != self.folder else ""
        bad = [
            Line(trainee=printable(f"{where}/{path.name}" if where else path.name),
                 problem=printable(why.replace(str(path), path.name)))  # named on its line
            for path, why in damaged
        ]  # fmt: skip
        return infos, bad

    def _trainee(self, folder: Path) -> tuple[Line | None, list[Line]]:
        infos, damaged = self._saves(folder)
        name = trainee_name(folder)
        if name is None and not infos:
            if not damaged:
                what = "a folder that is not a trainee's (no save, no name)"
                damaged.append(Line(trainee=printable(folder.name + "/"), problem=what))
            return None, damaged
        shown = printable(name or next((i.player for i in infos if i.player), None) or folder.name)
        return self._line(shown, infos), damaged

    def _line(self, trainee: str, infos: list[Any]) -> Line:
        if not infos:
            return Line(trainee=trainee, problem="", scenario="(no game yet)")
        # The newest save that replays (newest first): a newer one that does not (a file
        # edited by hand, say) is named in the note, not shown in the place of the real game.
        newest = infos[0]
        latest = newest
        game, why = self._game(newest.path)
        for info in infos[1:TRIED] if game is None else ():
            older, _ = self._game(info.path)
            if older is not None:
                latest, game = info, older
                break
        newer = (
            ""
            if latest is newest
            else f"a newer save, {newest.path.name}, cannot be replayed: {why}"
        )
        scenario = printable(latest.scenario_title or latest.scenario_id)
        if game is None:
            # Turn, ending, score, grade and agreements are the replayed game's: a save's own
            # figures are what its file says, and a file edited by hand could say anything.
            return Line(
                trainee=trainee,
                scenario=scenario,
                updated=latest.updated,
                games=len(infos),
                save=latest.path,
                problem=cut(" ".join(f"cannot be replayed: {why}".split()), WHY),
            )
        statuses = game.state.disagreements.values()
        agreed = sum(1 for d in statuses if d.status == "agreed")
        ending = str(game.ending or "") if game.finished else ""
        ended = f" · {printable(ending_title(game.s, ending))}" if ending in game.s.endings else ""
        return Line(
            trainee=trainee,
            scenario=scenario,
            # Turns played, as `accord report` counts them: at week 3 of 6, two are played.
            turn=f"{len(game.reports)}/{game.s.turns}{ended}",
            score=f"{game.score:.1f}",
            grade=game.grade if game.finished else "",  # no grade yet, as its debrief says
            agreements=f"{agreed}/{len(game.s.disagreements)}",
            updated=latest.updated,
            games=len(infos),
            save=latest.path,
            problem=cut(" ".join(printable(newer).split()), WHY),
        )

    def _game(self, path: Path) -> tuple[Any, str]:
        """The save's game, replayed once per version of the file, and why it cannot be
        (None and the reason when it cannot)."""
        try:
            stat = path.stat()
        except OSError as exc:
            return None, printable(exc.strerror or "the file cannot be read")
        mark = (stat.st_mtime_ns, stat.st_size)
        kept = self._loaded.get(path)
        if kept is not None and kept[0] == mark:
            return kept[1]
        try:
            found: tuple[Any, str] = (load_game(path, self.scenario_dirs).game, "")
        except SaveError as exc:  # its sentence names the file: by its name, the path is long
            found = (None, printable(str(exc).replace(str(path), path.name)))
        self._loaded[path] = (mark, found)
        return found
