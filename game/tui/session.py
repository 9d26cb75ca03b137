"""One trainee's game in the UI: the Game, where it came from and where it is saved (no Textual)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.engine import Action, Game, Outcome, ProposalRecord
from game.tui import saving
from game.tui.text import turn_name


@dataclass
class Session:
    """The game being played, plus what the UI remembers about it between screens."""

    game: Game
    scenario_path: Path
    seed: int | None = None
    player: str | None = None
    saves: Path | None = None
    slot: str | None = None
    dirty: bool = False
    notice: str = ""

    @property
    def difficulty(self) -> str:
        return str(self.game.s.model.difficulty)

    def apply(self, action: Action) -> Outcome:
        """Apply an action and remember what the screens need from its outcome."""
        outcome = self.game.apply(action)
        if not outcome.ok:
            return outcome
        self.dirty = True
        return outcome

    def proposals(self, disagreement: str) -> list[ProposalRecord]:
        """Every proposal made in a disagreement, past turns first."""
        past = [p for r in self.game.reports for p in r.proposals]
        now = self.game.proposals_now
        return [p for p in [*past, *now] if p.disagreement == disagreement]

    def autosave(self) -> str:
        """Autosave; returns the notice to show ('' when saves are unavailable)."""
        if self.saves is None or saving.module() is None:
            return ""
        if self.slot is None:
            self.slot = saving.new_slot()
        if self.slot is None:
            return ""
        try:
            path = saving.autosave(
                self.game, self.saves, self.slot, self.scenario_path, self.player
            )
        except saving.error_types() as exc:
            self.notice = f"Autosave failed: {exc}"
            return self.notice
        self.slot = path.stem  # the save module may fork the slot to keep another game
        self.dirty = False
        state = self.game.state
        when = turn_name(self.game.s, state.turn)
        self.notice = f"Autosaved after {when}" if state.finished else f"Autosaved · {when}"
        return self.notice

    def save(self, name: str) -> Path:
        """Save to a named slot; raises one of saving.error_types() with a clear message."""
        if self.saves is None:
            raise saving.SavesUnavailable("Saving is not available in this version of Accord.")
        path = saving.save(self.game, self.saves, name, self.scenario_path, self.player)
        self.notice = f"Saved as “{name}”"
        return path
