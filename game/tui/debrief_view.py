"""The UI's optional door to game.debrief: shown and exported when that module exists."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

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


def build(game: Game, player: str | None, benchmark: Any = None) -> Any:
    mod = module()
    if mod is None:
        raise RuntimeError("The debrief is not available in this version of Accord.")
    try:
        return mod.build_debrief(game, player=player, benchmark=benchmark)
    except TypeError:  # an older build_debrief(game)
        return mod.build_debrief(game)


def render(debrief: Any, width: int | None = None) -> tuple[str, str]:
    """(plain text, Markdown) of a debrief, the text wrapped to `width` columns when given;
    Markdown falls back to the text."""
    mod = module()
    assert mod is not None
    try:
        text = str(mod.render_text(debrief) if width is None else mod.render_text(debrief, width))
    except TypeError:  # an older render_text(debrief)
        text = str(mod.render_text(debrief))
    markdown = getattr(mod, "render_markdown", None)
    return text, (str(markdown(debrief)) if callable(markdown) else text)


def benchmark(game: Game, progress: Callable[[int, int], None] | None = None) -> Any:
    """The bot games every debrief plays on the trainee's scenario and seeds (`accord debrief`
    plays the same ones); None when bots are not available here."""
    mod = module()
    run = getattr(mod, "bot_benchmark", None)
    try:
        from game.playtest.policies import play_game
    except ImportError:
        return None
    if run is None:
        return None
    return run(game, play_game, progress=progress)


def benchmark_notice(bench: Any) -> str:
    """A one-sentence notice of a finished comparison with bots."""
    mod = module()
    notice = getattr(mod, "benchmark_notice", None)
    if callable(notice):
        return str(notice(bench))
    return "Compared with bot games."


def split_at_benchmark(text: str) -> tuple[str, str]:
    """The review's text cut at the benchmark heading: (before it, from it on), so the
    screen can scroll to the comparison; the second part is empty when there is none."""
    heading = getattr(module(), "BENCHMARK_HEADING", "BENCHMARK")
    lines = text.splitlines()
    if heading not in lines:
        return text, ""
    start = lines.index(heading)
    return "\n".join(lines[:start]), "\n".join(lines[start:])


def export(markdown: str, folder: Path, scenario: str, slot: str | None) -> Path:
    """Write the debrief beside the saves; the file name is generated, never user-given."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9_-]", "_", f"debrief-{scenario}-{slot or 'game'}".lower())
    path = folder / f"{stem}.md"
    path.write_text(markdown, encoding="utf-8")
    return path
