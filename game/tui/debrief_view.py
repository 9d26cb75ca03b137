"""The UI's optional door to game.debrief: shown and exported when that module exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine import Game


def module() -> ModuleType | None:
    try:
        mod = importlib.import_module("game.debrief")
    except ImportError:
        return None
    if not callable(getattr(mod, "build_debrief", None)):
        return None
    if not callable(getattr(mod, "render_text", None)):
        return None
    return mod


def available() -> bool:
    return module() is not None


def render(game: Game) -> tuple[str, str]:
    """(plain text, Markdown) of the debrief; Markdown falls back to the text."""
    mod = module()
    if mod is None:
        raise RuntimeError("The debrief is not available in this version of Accord.")
    debrief = mod.build_debrief(game)
    text = str(mod.render_text(debrief))
    markdown = getattr(mod, "render_markdown", None)
    md = str(markdown(debrief)) if callable(markdown) else text
    return text, md


def export(markdown: str, folder: Path, scenario: str, slot: str | None) -> Path:
    """Write the debrief beside the saves; the file name is generated, never user-given."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9_-]", "_", f"debrief-{scenario}-{slot or 'game'}".lower())
    path = folder / f"{stem}.md"
    path.write_text(markdown, encoding="utf-8")
    return path
