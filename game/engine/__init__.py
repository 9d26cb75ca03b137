"""The rules engine: a pure, deterministic Game driven by actions and explained by a ledger."""

from game.engine.actions import (
    Action,
    ActionFormatError,
    Activate,
    Allocate,
    Choose,
    EndStrategy,
    EndTurn,
    Propose,
    Unallocate,
    action_from_json,
    action_to_json,
    describe_action,
)
from game.engine.game import Game
from game.engine.report import (
    Change,
    DisagreementStatus,
    GameState,
    Known,
    Outcome,
    PartyAnswer,
    Preview,
    ProposalRecord,
    TurnReport,
)

__all__ = [
    "Action",
    "ActionFormatError",
    "Activate",
    "Allocate",
    "Change",
    "Choose",
    "DisagreementStatus",
    "EndStrategy",
    "EndTurn",
    "Game",
    "GameState",
    "Known",
    "Outcome",
    "PartyAnswer",
    "Preview",
    "ProposalRecord",
    "Propose",
    "TurnReport",
    "Unallocate",
    "action_from_json",
    "action_to_json",
    "describe_action",
]
