"""Where Accord's own files are, whether it runs from a source checkout or was installed with pip.

A wheel carries the shipped scenarios inside the package (`game/shipped/`, copied there from the
checkout's top-level `scenarios/` when the wheel is built: see setup.py). Saves go to the
checkout's `saves/` when Accord runs from a checkout, else to the user's data folder
(platformdirs: `~/.local/share/accord/saves` on Linux), unless `--saves` or `$ACCORD_SAVES`
say otherwise.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
IN_PACKAGE = PACKAGE / "shipped"


def checkout() -> Path | None:
    """The source checkout Accord runs from, or None when it is an installed package."""
    if (ROOT / "pyproject.toml").is_file() and (ROOT / "scenarios").is_dir():
        return ROOT
    return None


def shipped_scenarios() -> Path:
    """The folder of the scenarios that come with Accord."""
    return IN_PACKAGE if IN_PACKAGE.is_dir() else ROOT / "scenarios"


def default_saves() -> Path:
    """The save folder when neither --saves nor $ACCORD_SAVES names one."""
    root = checkout()
    if root is not None:
        return root / "saves"
    from platformdirs import user_data_path

    return user_data_path("accord", appauthor=False) / "saves"
