"""Accord as a package: a wheel built from the checkout works outside it.

The wheel is built from a copy of the sources (so that no build/ folder is left in the checkout),
unpacked into a folder outside any checkout, and run with this interpreter (which has the
dependencies) from yet another folder, as `pip install` would lay it out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import game

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("game", "scenarios", "setup.py", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(base / "dist"),
         str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (path,) = (base / "dist").glob("accord-*.whl")
    return path


def test_the_wheel_carries_every_shipped_scenario_and_one_version(wheel: Path) -> None:
    assert wheel.name.startswith(f"accord-{game.__version__}-")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        shipped = {n for n in names if n.startswith("game/shipped/")}
        folder = ROOT / "scenarios"
        files = {f"game/shipped/{p.relative_to(folder)}": p for p in folder.glob("*.yaml")}
        files |= {f"game/shipped/{p.relative_to(folder)}": p for p in folder.glob("earlier/*.yaml")}
        assert any("/earlier/" in name for name in files)
        assert shipped == set(files)
        for name, path in files.items():
            assert archive.read(name) == path.read_bytes()
        assert "game/tui/accord.tcss" in names
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        assert f"\nVersion: {game.__version__}\n" in archive.read(metadata).decode()


def accord(site: Path, home: Path, *words: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "XDG_"))}
    env |= {"PYTHONPATH": str(site), "HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from game.cli import main; sys.exit(main())", *words],
        capture_output=True, text=True, cwd=home, env=env, timeout=120,
    )  # fmt: skip


@pytest.mark.skipif(sys.platform != "linux", reason="the data folder is Linux's here")
def test_installed_outside_a_checkout_it_plays_shipped_scenarios_and_saves_in_the_data_folder(
    wheel: Path, tmp_path: Path
) -> None:
    site, home = tmp_path / "site-packages", tmp_path / "home"
    home.mkdir()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    version = accord(site, home, "--version")
    assert version.stdout == f"accord {game.__version__}\n", version.stderr
    # The scenario is found by its id, from inside the installed package, not from the checkout.
    played = accord(site, home, "playtest", "tutorial", "--runs", "3", "--json")
    assert played.returncode == 0, played.stderr
    assert json.loads(played.stdout)["scenario"] == "tutorial"
    script = ROOT / "tests" / "playthroughs" / "tutorial_careless.play.yaml"
    ran = accord(site, home, "run", str(script), "--save", str(home / "game.json"))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    saved = json.loads((home / "game.json").read_text(encoding="utf-8"))["payload"]["scenario"]
    assert saved["path"] == str(site / "game" / "shipped" / "tutorial.yaml")
    debrief = accord(site, home, "debrief", str(home / "game.json"), "--format", "json")
    assert debrief.returncode == 0, debrief.stderr
    assert json.loads(debrief.stdout)["scenario"] == "tutorial"
    listed = accord(site, home, "saves", "--json")
    assert json.loads(listed.stdout)["folder"] == str(home / ".local/share/accord/saves")
    chosen = accord(site, home, "saves", "--json", "--saves", str(home / "class"))
    assert chosen.returncode == 2  # a folder named by the user is never created by listing it


def test_from_a_checkout_saves_go_to_its_saves_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from game.paths import checkout, default_saves, shipped_scenarios

    assert checkout() == ROOT
    assert default_saves() == ROOT / "saves"
    assert shipped_scenarios() == ROOT / "scenarios"
