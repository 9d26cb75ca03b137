"""The wheel carries the shipped scenarios inside the package as `game.shipped`.

The repository keeps them at the top level (`scenarios/`), where instructors look for them; this
maps that folder to the package `game.shipped` so that `pip install .` (or pipx) gives an
`accord` that finds them anywhere, with the earlier versions kept in `scenarios/earlier/` (games
saved on them replay exactly). Everything else is configured in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["game", "game.*"]), "game.shipped"],
    package_dir={"game.shipped": "scenarios"},
    package_data={"game": ["tui/*.tcss", "py.typed"], "game.shipped": ["*.yaml", "earlier/*.yaml"]},
)
