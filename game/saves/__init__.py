"""Save files: atomic, versioned, locked, and verifiable by replaying their action log.

A save is one JSON file named by a generated slot id (the display name lives inside):
`{"format": "accord-save", "version": 1, "sha256": ..., "payload": {...}}`. The payload
holds the scenario's id, path and file hash, the seed, the action log and a snapshot of
the state. Loading replays the log and checks it against the snapshot.

    path = autosave(game, saves_dir(), slot, scenario_path=path_of_scenario)
    loaded = load_game(path)          # Loaded(game, info, warnings, scenario_path)
"""

from game.saves.envelope import FORMAT
from game.saves.files import new_slot, saves_dir
from game.saves.migrations import CURRENT_VERSION, MIGRATIONS
from game.saves.model import Loaded, SaveError, SaveInfo
from game.saves.store import (
    autosave,
    damaged_autosaves,
    find_save,
    latest_autosave,
    list_saves,
    read_info,
    read_record,
    save_game,
    save_game_to,
    scan_saves,
    snapshot_of,
)
from game.saves.verify import (
    REPLAYED_MOST,
    first_difference,
    load_game,
    replay_check,
    replayed_info,
    replayed_infos,
)

__all__ = [
    "CURRENT_VERSION",
    "FORMAT",
    "MIGRATIONS",
    "REPLAYED_MOST",
    "Loaded",
    "SaveError",
    "SaveInfo",
    "autosave",
    "damaged_autosaves",
    "find_save",
    "first_difference",
    "latest_autosave",
    "list_saves",
    "load_game",
    "new_slot",
    "read_info",
    "read_record",
    "replay_check",
    "replayed_info",
    "replayed_infos",
    "save_game",
    "save_game_to",
    "saves_dir",
    "scan_saves",
    "snapshot_of",
]
