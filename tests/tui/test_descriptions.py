"""What an instructor writes beyond labels reaches the trainee: the descriptions of meters,
resources, lines of effort and disagreements, and the text of an event's choices."""

from __future__ import annotations

import yaml
from tuitools import SCENARIOS, SIZE, area_text, flat, press, quiet, until

from game.engine import Game
from game.scenario import Scenario, parse_scenario
from game.tui.app import AccordApp
from game.tui.saving import LoadedGame
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.event import EventModal

WORDS = {
    "metric": "How safe the roads and villages are, 0 to 100.",
    "resource": "Money for contracts, fuel and salaries, in millions of dollars.",
    "line": "Patrols and checkpoints around Umm Sidra and Bir Hasan.",
    "talks": "Who may use force, where, and with whose consent.",
    "choice": "The UN asks the AU to hand over its patrol logs.",
}


def described() -> Scenario:
    """Hybrid Mandate with descriptions, and an event on the first month whose choices say
    what they mean."""
    data = yaml.safe_load((SCENARIOS / "hybrid_mandate.yaml").read_text(encoding="utf-8"))
    data["metrics"]["stability"]["description"] = WORDS["metric"]
    data["resources"]["funding"]["description"] = WORDS["resource"]
    data["lines_of_effort"]["security_ops"]["description"] = WORDS["line"]
    data["disagreements"]["mandate_scope"]["description"] = WORDS["talks"]
    data["events"] = {
        "joint_review": {
            "title": "Joint review",
            "text": "Headquarters wants a joint review of the first patrols.",
            "turn": 1,
            "choices": {
                "share_logs": {
                    "label": "Share the patrol logs",
                    "text": WORDS["choice"],
                    "effects": [{"trust": "un", "add": 2}],
                },
                "decline": {"label": "Decline", "effects": [{"trust": "au", "add": 1}]},
            },
        },
        **data["events"],
    }
    return parse_scenario(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "d.yaml")


async def test_descriptions_and_choice_texts_are_shown() -> None:
    s = described()
    briefing = AccordApp(scenario=s, scenario_path=SCENARIOS / "hybrid_mandate.yaml")
    async with briefing.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        text = flat(area_text(briefing, "#briefing-objective"))
        assert f"Meters • Mission stability: {WORDS['metric']}" in text
        assert f"Resources • Funding: {WORDS['resource']}" in text

    game = Game.new(s)
    app = AccordApp(loaded=LoadedGame(game, SCENARIOS / "hybrid_mandate.yaml", None, None, ()))
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot)
        await until(pilot, lambda: isinstance(app.screen, EventModal))
        choices = flat(area_text(app, "#event-choices"))
        assert f"Share the patrol logs {WORDS['choice']} Decline" in choices
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await press(pilot, "home")
        assert WORDS["line"] in flat(area_text(app, "#alloc-preview"))
        await press(pilot, "n")
        await quiet(pilot)
        assert f"Mandate scope · not open yet {WORDS['talks']}" in flat(
            area_text(app, "#negotiations-panel")
        )
