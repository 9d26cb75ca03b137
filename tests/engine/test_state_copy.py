"""A game's state lives in one structure (game/engine/state.py's Board) that copies itself: a
game, its preview and a bot's copy share no mutable object, so none can change another."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pytest

from game.engine import Allocate, EndTurn, Game, action_to_json
from game.engine.state import Board, copy_plan
from game.library import SHIPPED, load_scenario
from game.playtest.policies import RandomPolicy

_IMMUTABLE = (int, float, str, bool, bytes, type(None))


def _mutables(root: Any) -> dict[int, str]:
    """Every mutable object reachable from `root` (through lists, dicts, tuples and the Board's
    fields), by id, with where it was found."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(root, "board")]
    seen: set[int] = set()
    while stack:
        obj, where = stack.pop()
        if isinstance(obj, _IMMUTABLE) or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, Board):
            found[id(obj)] = where
            stack += [(getattr(obj, f), f"{where}.{f}") for f in obj.__slots__]
        elif isinstance(obj, random.Random):
            found[id(obj)] = where
        elif isinstance(obj, (list, dict, set)):
            found[id(obj)] = where
            items = obj.items() if isinstance(obj, dict) else enumerate(obj)
            stack += [(value, f"{where}[{key!r}]") for key, value in items]
        elif isinstance(obj, tuple):
            stack += [(value, f"{where}[{i}]") for i, value in enumerate(obj)]
    return found


def _played(seed: int, turns: int) -> Game:
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    game, policy, rng = Game.new(scenario, seed), RandomPolicy(scenario), random.Random(seed)
    for _ in range(turns):
        policy.play_turn(game, rng)
        if not game.apply(EndTurn()).ok:
            break
    policy.play_turn(game, rng)  # a turn under way: allocations, proposals, a ledger
    return game


def _fingerprint(game: Game) -> Any:
    return (
        game.state.to_json(),
        [action_to_json(a) for a in game.actions],
        [r.to_json() for r in game.reports],
        game.changes_now,
        game.warnings_now,
        game.board.rng.getstate(),
    )


@pytest.mark.parametrize("seed", [1, 5, 9])
def test_a_copy_shares_no_mutable_object_with_its_game(seed):
    game = _played(seed, 6)
    copy = game.copy()
    shared = _mutables(game.board).keys() & _mutables(copy.board).keys()
    assert len(_mutables(game.board)) > 20  # lists, dicts and the generator were walked
    assert not shared, [_mutables(game.board)[i] for i in shared]


def test_a_game_its_preview_and_a_bots_copy_change_in_turn_without_touching_each_other():
    game = _played(3, 4)
    bot = game.copy()
    before_game, before_bot = _fingerprint(game), _fingerprint(bot)
    assert before_game == before_bot

    legal = [a for a in game.legal_actions() if not isinstance(a, EndTurn)]
    preview = game.preview(legal[0])
    assert preview.ok
    assert _fingerprint(game) == before_game and _fingerprint(bot) == before_bot

    policy, rng = RandomPolicy(game.s), random.Random(11)
    policy.play_turn(bot, rng)
    bot.apply(EndTurn())
    assert _fingerprint(game) == before_game  # the bot played on: the game did not move
    assert _fingerprint(bot) != before_bot

    after_bot = _fingerprint(bot)
    game.apply(EndTurn())
    assert _fingerprint(bot) == after_bot  # the game played on: the bot's copy did not move


def test_a_board_refuses_to_copy_a_field_it_has_no_rule_for():
    """A field of a type `copy` has no rule for (a set, say) is an error naming the field,
    not silently shared between a game and its copies: the copy plan is made from the
    declared types, so the error comes at import."""

    @dataclass(slots=True)
    class Grown:
        queued: list[str]
        turn: int
        rng: random.Random
        ending: str | None
        before: tuple[float, ...]
        tags: set[str]

    with pytest.raises(TypeError, match=r"Grown\.tags: no rule to copy a set\[str\]"):
        copy_plan(Grown)
    assert copy_plan(Board)  # the board's own fields all have a rule


def test_a_copy_plays_on_exactly_as_its_game_would():
    game = _played(8, 3)
    copy = game.copy()
    for g in (game, copy):
        for action in g.legal_actions():
            if isinstance(action, Allocate):
                g.apply(action)
        g.apply(EndTurn())
    assert _fingerprint(game) == _fingerprint(copy)
