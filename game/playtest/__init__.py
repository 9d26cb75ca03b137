"""Automated playtesting: bots (policies), Monte Carlo batches, coverage, paths to endings,
and the playthrough scripts of `accord run` (`game.playtest.script`)."""

from game.playtest.policies import (
    Policy,
    PolicyError,
    make_policy,
    play_game,
    policy_names,
)
from game.playtest.runner import PlaytestError, batches, find_path, run_batch

__all__ = [
    "PlaytestError",
    "Policy",
    "PolicyError",
    "batches",
    "find_path",
    "make_policy",
    "play_game",
    "policy_names",
    "run_batch",
]
