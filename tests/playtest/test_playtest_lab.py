"""The balance lab: what a playtest explains, the expert, coverage, dominance against the
expert, --compare, --workers by default, and bounds on huge scenarios."""

from __future__ import annotations

import json
import statistics
import subprocess
from pathlib import Path

import pytest
from playtest_scenarios import ACCORD, COVERAGE, HEADER

from game.engine import Game
from game.library import SHIPPED, load_scenario
from game.playtest import batches, play_game, policy_names
from game.playtest.deals import MOST_PACKAGES, options
from game.playtest.policies import ExpertPolicy
from game.playtest.runner import combined_json, dominance, games_per_second
from game.playtest.search import PlanPlayer, plan_value
from game.playtest.text import WIDTH, wrap
from game.scenario import Scenario, parse_scenario


def _accord(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACCORD), *map(str, args)], capture_output=True, text=True)


# ---- what a batch explains -------------------------------------------------------------


def test_means_at_the_end_are_the_games_own(tiny: Scenario) -> None:
    result = batches(tiny, ["random"], 20, seed=3, workers=1)[0]
    data = result.to_json()["explain"]
    games = [play_game(tiny, "random", 3 + i) for i in range(20)]
    calm = statistics.fmean(g.state.metrics["calm"] for g in games)
    trust = statistics.fmean(g.state.trust["rival"] for g in games)
    assert data["at_end"]["calm"] == pytest.approx(calm, abs=0.01)
    assert data["at_end"]["trust.rival"] == pytest.approx(trust, abs=0.01)
    assert set(data["metrics_by_turn"]) == {"1", "2", "3"}
    # The score is final(calm): one term, worth the mean score.
    assert data["score_terms"] == {"final(calm)": pytest.approx(result.mean, abs=0.01)}


def test_talks_say_who_refused_on_which_issue(tiny: Scenario) -> None:
    data = batches(tiny, ["random"], 30, seed=1, workers=1)[0].to_json()["explain"]
    deal = data["negotiations"]["deal"]
    assert deal["agreement_rate"] == 0
    assert deal["refusals"] and all(who.endswith(" on terms") for who in deal["refusals"])
    assert data["negotiations"]["accord"]["agreement_rate"] > 0


def test_never_reached_says_which_clause_never_held(tiny: Scenario) -> None:
    results = batches(tiny, ["random", "greedy"], 10, seed=1, workers=1)
    why = combined_json(results)["why_never_reached"]
    assert "'trust.rival >= 99' never held" in why["strategies.dream"]
    assert "closest: trust.rival reached" in why["strategies.dream"]
    assert "'calm < 0' never held" in why["endings.calm_end"]
    assert "never proposed" in why["agreements.deal"] or "none agreed" in why["agreements.deal"]


def test_never_reached_says_how_close_each_side_of_an_or_came() -> None:
    """An instructor's `or` condition that never held got no closest value: each comparison of
    it now says its own (calm never fell below 0, trust with the rival never reached 99)."""
    either = COVERAGE.replace(
        'when: "calm < 0", grade: F', 'when: "calm < 0 or trust.rival >= 99", grade: F'
    )
    scenario = parse_scenario(either, "either.yaml")
    results = batches(scenario, ["random"], 10, seed=1, workers=1)
    why = combined_json(results)["why_never_reached"]["endings.calm_end"]
    assert why.startswith("'calm < 0 or trust.rival >= 99' never held (closest: calm reached ")
    assert "; trust.rival reached " in why
    low = min(r.after[0] for g in range(10) for r in play_game(scenario, "random", 1 + g).reports)
    assert f"calm reached {round(low, 1):g}" in why


def test_never_reached_says_what_the_talks_did_for_agreed_and_broken() -> None:
    """`agreed.<d>` and `broken.<d>` have no closest value: the report says instead whether
    the talks were ever agreed (and who refused them) and whether an agreement ever broke."""
    never = '  - {when: "calm < 0", text: "Never."}\n'
    talks = COVERAGE.replace(
        never,
        never
        + '  - {when: "agreed.deal", text: "The hopeless deal."}\n'
        + '  - {when: "broken.accord", text: "An accord that cannot break."}\n',
    )
    scenario = parse_scenario(talks, "talks.yaml")
    results = batches(scenario, ["random"], 20, seed=1, workers=1)
    why = combined_json(results)["why_never_reached"]
    games = [[p for r in play_game(scenario, "random", 1 + g).reports for p in r.proposals]
             for g in range(20)]  # fmt: skip
    deal = [p for game in games for p in game if p.disagreement == "deal"]
    assert deal and not any(p.agreed for p in deal)
    assert why["lessons.2"].startswith(
        f"'agreed.deal' never held (deal was never agreed: {len(deal)} proposals, none agreed; "
        "refused most by "
    )
    agreed = sum(any(p.disagreement == "accord" and p.agreed for p in game) for game in games)
    assert 0 < agreed < 20
    assert why["lessons.3"] == (
        f"'broken.accord' never held (accord was agreed in {agreed} of 20 games and never broke)"
    )


GRADED = (
    HEADER.format(id="graded", title="Graded", turns=2)
    + """
metrics:
  calm: {label: Calm, start: 90, headline: true}
resources:
  effort: {label: Effort, per_turn: 1}
stakeholders:
  ally: {name: Ally, kind: nation, trust: 50, provides: {}}
lines_of_effort:
  patrol: {label: Patrol, accepts: [effort], effects: [{metric: calm, add: 0}]}
endings:
  gloom: {check: at_end, when: "true", grade: F, text: "Graded F whatever the score."}
scoring:
  score: "final(calm)"
  grades: {A: 80, B: 65, C: 50, D: 35}
"""
)


def test_an_ending_that_overrides_the_grade_is_said(tmp_path: Path) -> None:
    path = tmp_path / "graded.yaml"
    path.write_text(GRADED, encoding="utf-8")
    done = _accord("playtest", path, "--runs", "5", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "gloom (grade F): random 5/5 (mean score 90.0)" in done.stdout
    data = json.loads(_accord("playtest", path, "--runs", "5", "--json").stdout)
    assert data["explain"]["grade_overridden"] == {"gloom": {"games": 5, "mean_score": 90.0}}


def test_the_explanation_is_the_same_whatever_the_workers(tiny: Scenario) -> None:
    one = [r.to_json()["explain"] for r in batches(tiny, ["random", "greedy"], 40, 1, 1)]
    two = [r.to_json()["explain"] for r in batches(tiny, ["random", "greedy"], 40, 1, 2)]
    assert one == two


def test_detail_file_holds_every_policy_turn_by_turn(lopsided_file: Path, tmp_path: Path) -> None:
    detail = tmp_path / "detail.txt"
    done = _accord("playtest", lopsided_file, "--policy", "all", "--runs", "4",
                   "--expert-runs", "1", "--detail", detail)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = detail.read_text(encoding="utf-8")
    assert "Why fixed:line=bad scores" in text and "Why fixed:line=bad scores" not in done.stdout
    assert "mean at the end of each turn" in text


# ---- the expert, coverage and dominance ------------------------------------------------


def test_the_expert_plays_the_plan_it_found_at_least_as_well_as_its_seeds(
    lopsided: Scenario,
) -> None:
    player = PlanPlayer(lopsided)
    for seed in (1, 2):
        start = Game.new(lopsided, seed)
        seeds = [player.line_plan(lid, lopsided.model.turns) for lid in lopsided.lines]
        floor = max(plan_value(player.play(start, plan)) for plan in seeds)
        game = play_game(lopsided, ExpertPolicy(lopsided), seed)
        assert plan_value(game) >= floor


def test_the_expert_is_never_below_the_greedy_bots_own_game_on_a_seed() -> None:
    """The ceiling is at least what greedy reaches: on the Harbour Truce (an agreement bought
    with a side payment that breaks), the expert's search finds no plan as good as greedy's
    game on seeds 1 and 2 (71.9 against 72.3 and 74.7 before), so it plays that game again."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "harbour_truce.yaml"
    scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    for seed in (1, 2):
        expert = play_game(scenario, ExpertPolicy(scenario), seed)
        greedy = play_game(scenario, "greedy", seed)
        assert plan_value(expert) >= plan_value(greedy)


def test_the_expert_has_its_own_budget(lopsided: Scenario) -> None:
    results = {r.policy: r for r in batches(lopsided, ["random", "expert"], 6, 1, 1, None, 2)}
    assert results["random"].runs == 6 and len(results["random"].scores) == 6
    assert results["expert"].runs == 2 and len(results["expert"].scores) == 2


def test_a_fixed_plan_near_the_expert_is_dominant(lopsided: Scenario) -> None:
    results = batches(lopsided, policy_names(lopsided), 6, 1, 1, None, 2)
    d = dominance(results)
    assert d["against"] == "expert" and d["margin"] == 5.0
    assert "fixed:line=good" in d["dominant"] and "fixed:line=bad" not in d["dominant"]
    row = d["fixed"]["fixed:line=bad"]
    means = {r.policy: round(r.mean, 2) for r in results}
    assert row["to_random"] == pytest.approx(means["fixed:line=bad"] - means["random"], abs=0.01)


def test_coverage_reaches_what_random_play_does_not(tiny: Scenario) -> None:
    results = {r.policy: r for r in batches(tiny, ["random", "coverage"], 6, 1, 1, None, 3)}
    assert results["coverage"].runs == 3
    assert results["coverage"].reached["agreements.accord"] == 3  # every game it plays


# ---- answers before spending -----------------------------------------------------------

THRIFTY = (
    HEADER.format(id="thrifty", title="Thrifty", turns=3)
    + """
metrics:
  calm: {label: Calm, start: 50, headline: true}
resources:
  funds: {label: Funds, per_turn: 4}
stakeholders:
  ally: {name: Ally, kind: nation, trust: 50, provides: {}}
lines_of_effort:
  patrol: {label: Patrol, accepts: [funds], effects: [{metric: calm, add: "alloc.patrol.funds"}]}
events:
  appeal:
    title: Appeal
    text: "Pay for it, or not."
    turn: 1
    choices:
      pay:
        label: Pay
        requires: "res.funds >= 4"
        effects: [{resource: funds, add: -4}, {metric: calm, add: 1}]
      refuse: {label: Refuse, effects: []}
endings:
  done: {check: at_end, when: "true", text: "Done."}
scoring:
  score: "final(calm)"
  grades: {A: 80, B: 65, C: 50, D: 35}
"""
)


def test_bots_answer_before_spending_the_stock_an_answer_needs() -> None:
    s = parse_scenario(THRIFTY, "thrifty.yaml")
    result = batches(s, ["random"], 40, 1, 1)[0]
    assert result.reached["choices.appeal.pay"] > 0  # every unit was spent before, always


# ---- bounds ----------------------------------------------------------------------------


def _huge() -> str:
    issues = ", ".join(f"i{k}: {{label: I{k}, options: {{a: A, b: B}}}}" for k in range(30))
    values = ", ".join(f"i{k}: {{a: 1.0, b: 0.0}}" for k in range(30))
    weights = ", ".join(f"i{k}: 1" for k in range(30))
    return (
        HEADER.format(id="huge", title="Huge", turns=3)
        + f"""
metrics:
  calm: {{label: Calm, start: 50, headline: true}}
resources:
  effort: {{label: Effort, per_turn: 2}}
stakeholders:
  ally: {{name: Ally, kind: nation, trust: 50, provides: {{}}}}
  rival: {{name: Rival, kind: nation, trust: 50, provides: {{}}}}
lines_of_effort:
  patrol: {{label: Patrol, accepts: [effort], effects: [{{metric: calm, add: 1}}]}}
disagreements:
  vast:
    label: Vast
    parties: [ally, rival]
    opens: {{turn: 1}}
    deadline: 3
    issues: {{{issues}}}
    preferences:
      ally: {{weights: {{{weights}}}, values: {{{values}}}, reservation: 0.5}}
      rival: {{weights: {{{weights}}}, values: {{{values}}}, reservation: 0.5}}
    on_agree: [{{metric: calm, add: 5}}]
endings:
  done: {{check: at_end, when: "true", text: "Done."}}
scoring:
  score: "final(calm)"
  grades: {{A: 80, B: 65, C: 50, D: 35}}
"""
    )


def test_a_huge_negotiation_is_weighed_on_a_bounded_subset_and_said_so(tmp_path: Path) -> None:
    s = parse_scenario(_huge(), "huge.yaml")
    found = options(s, "vast")
    assert found.capped and found.total == 2**30
    assert 0 < len(found.proposals) <= MOST_PACKAGES
    # The best joint package (every issue at a) is weighed, so greedy agrees on turn 1.
    game = play_game(s, "greedy", 1)
    assert game.state.disagreements["vast"].status == "agreed"
    path = tmp_path / "huge.yaml"
    path.write_text(_huge(), encoding="utf-8")
    done = _accord("playtest", path, "--policy", "all", "--runs", "3", "--expert-runs", "1")
    assert done.returncode == 0, done.stderr
    weighed = f"{len(found.proposals):,}"
    said = " ".join(done.stdout.split())
    assert f"disagreement vast has 1,073,741,824 packages; bots weighed {weighed}" in said
    assert "the expert and coverage bots weigh the 256 packages of vast" in said


# ---- --compare and --workers -----------------------------------------------------------


def test_compare_says_what_moved(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    path = tmp_path / "tiny.yaml"
    path.write_text(COVERAGE, encoding="utf-8")
    done = _accord("playtest", path, "--runs", "30", "--json")
    old.write_text(done.stdout, encoding="utf-8")
    # The same playtest again: nothing moved, and the interval says so.
    same = json.loads(_accord("playtest", path, "--runs", "30", "--json", "--compare", old).stdout)
    moved = same["compare"]["policies"]["random"]
    low, high = moved["ci95"]
    assert moved["change"] == 0 and low < 0 < high and not moved["significant"]
    # A version where calm starts 10 higher: random's mean moves up by 10, surely.
    path.write_text(COVERAGE.replace("start: 50, headline", "start: 60, headline"), "utf-8")
    text = _accord("playtest", path, "--runs", "30", "--compare", old).stdout
    line = next(x for x in text.splitlines() if x.strip().startswith("random ") and "->" in x)
    assert "+10.0" in line and "within chance" not in line
    assert "coverage lost:   nothing" in text


def test_compare_refuses_a_file_that_is_not_a_playtest(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(COVERAGE, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    done = _accord("playtest", path, "--runs", "2", "--compare", bad)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "not the JSON of accord playtest --json" in done.stderr
    missing = _accord("playtest", path, "--runs", "2", "--compare", tmp_path / "none.json")
    assert missing.returncode == 2 and "cannot read it" in missing.stderr


def test_workers_default_to_the_cores(lopsided_file: Path) -> None:
    import os

    cores = len(os.sched_getaffinity(0))
    done = _accord("playtest", lopsided_file, "--runs", "2")
    assert f"{cores} worker{'s' * (cores != 1)}:" in done.stdout
    assert (
        _accord("playtest", lopsided_file, "--workers", "1", "--runs", "2").stdout.count(
            "1 worker:"
        )
        == 1
    )


# ---- bots' games replay from their scripts ---------------------------------------------


@pytest.mark.parametrize("policy", ["random", "greedy", "expert", "coverage"])
def test_every_bots_game_replays_from_its_script(
    policy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bots act in the order a script replays a turn, answers last (their stock set aside
    first), so a game they play, written down, plays again the same on a shipped scenario."""
    from game.library import SHIPPED, load_scenario
    from game.playtest.paths import script_text
    from game.playtest.script import read_script, run_script

    s = load_scenario(SHIPPED / "tutorial.yaml")
    monkeypatch.setattr(ExpertPolicy, "plays", 200)  # a short search: the replay is tested
    game = play_game(s, policy, 4)
    text = script_text(game, "tutorial", game.ending or "none", "t", "d")
    result = run_script(read_script(text, "x.play.yaml"), lambda _name: s)
    assert result.ok, result.failures
    assert result.game is not None and result.game.score == game.score
    assert result.game.state.to_json() == game.state.to_json()


def test_compare_escapes_what_the_old_file_says(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(COVERAGE, encoding="utf-8")
    old = json.loads(_accord("playtest", path, "--runs", "5", "--json").stdout)
    old["policy"] = "random"
    old["grades"]["\x1b[2J"] = 3
    bad = tmp_path / "old.json"
    bad.write_text(json.dumps(old), encoding="utf-8")
    done = _accord("playtest", path, "--runs", "5", "--compare", bad)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\\x1b[2J" in done.stdout


def test_talks_say_how_often_an_agreement_broke_and_on_which_condition() -> None:
    """The ceasefire playthrough agrees on turn 1 and breaks on turn 5 (the militia's trust
    under 35): a tally of that game says it broke, in every game, on that condition."""
    from game.playtest.explain import Tally
    from game.playtest.script import run_file

    root = Path(__file__).resolve().parents[1]
    played = run_file(root / "playthroughs" / "ceasefire_deal.play.yaml")
    assert played.ok and played.game is not None
    tally = Tally()
    tally.add(played.game.s, played.game, 0)
    tally.add(played.game.s, Game.new(played.game.s), 1)  # a game that never agreed
    deal = tally.to_json(played.game.s)["negotiations"]["ceasefire"]
    # Agreed in the game that broke it (not in force at its end): an agreement all the same.
    assert deal["agreement_rate"] == 0.5 and deal["mean_agreement_turn"] == 1
    assert deal["in_force_rate"] == 0.0
    assert deal["broken_rate"] == 0.5
    assert deal["broken_by"] == {"militia: trust.militia >= 35": 1}


def test_an_instructors_easy_answer_is_named() -> None:
    """Waters of the Delta, a tester's scenario balanced with playtest alone: running the joint
    operations centre throughout earns grade A in every game, and the report says so (as an
    easy answer, and as dominant against greedy), where before it compared the plan with
    itself."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "waters_delta.yaml"
    scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    plan = "fixed:strategy=joint_ops_centre"
    d = dominance(batches(scenario, ["random", "greedy", plan], 40, 1, 1))
    assert d["against"] == "greedy" and d["dominant"] == [plan]
    assert d["easy"][plan]["all_grade_a"]


def test_talks_say_what_agreeing_goes_with_and_how_often_it_was_bought() -> None:
    """An instructor asked whether agreeing raises scores: each disagreement's mean score in the
    games where it was agreed and in the others, worked out here from the games themselves;
    and how often an agreement came with side payments (the Harbour Truce's greedy bot buys
    the militia's consent in every game)."""
    hybrid = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    data = batches(hybrid, ["random"], 40, seed=5, workers=2)[0].to_json()["explain"]
    games = [play_game(hybrid, "random", 5 + i) for i in range(40)]
    mixed = 0
    for did, talks in data["negotiations"].items():
        agreed = [
            g.score for g in games if any(p.agreed for r in g.reports for p in r.proposals
                                          if p.disagreement == did)
        ]  # fmt: skip
        if agreed and len(agreed) < len(games):
            mixed += 1
            assert talks["mean_score_agreed"] == pytest.approx(statistics.fmean(agreed), abs=0.01)
            assert talks["mean_score_not_agreed"] == pytest.approx(
                (sum(g.score for g in games) - sum(agreed)) / (len(games) - len(agreed)), abs=0.01
            )
        assert talks["side_payment_rate"] == 0  # the random bot offers none
    assert mixed >= 2
    path = Path(__file__).resolve().parents[1] / "fixtures" / "harbour_truce.yaml"
    truce = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    result = batches(truce, ["greedy"], 10, seed=1, workers=1)[0]
    talks = result.to_json()["explain"]["negotiations"]["truce"]
    assert talks["side_payment_rate"] == 1.0 and talks["mean_score_not_agreed"] is None
    assert talks["mean_score_agreed"] == pytest.approx(result.mean, abs=0.01)


def test_long_lines_of_the_explanation_wrap_between_parts_within_the_width() -> None:
    parts = ["agreed in 36% of games", "first on turn 6.3 on average", "in force in 27%"] * 4
    lines = wrap("  talks mandate_scope: ", parts)
    # The first part follows its head; every line fits; the parts come back whole, in order.
    assert lines[0].startswith("  talks mandate_scope: agreed in 36% of games,")
    assert all(len(line) <= WIDTH for line in lines)
    assert " ".join(line.strip() for line in lines) == "talks mandate_scope: " + ", ".join(parts)
    # A head as long as a 64-character id stands alone, its parts under it, not pushed to the
    # right edge one by one.
    long_head = "  talks " + "x" * 64 + ": "
    lines = wrap(long_head, parts)
    assert lines[0] == long_head.rstrip()
    assert len(lines) <= 5  # twelve parts of about 25 characters: four lines under the head
    assert all(len(line) <= WIDTH and line.startswith("      ") for line in lines[1:])


def test_a_slow_batchs_rate_never_reads_zero() -> None:
    assert games_per_second(1, 40.0) == 0.025  # one expert game in 40 s
    assert games_per_second(3, 7.0) == 0.429
    assert games_per_second(2000, 1.7) == 1176.5
    assert games_per_second(5, 0.0) == 0.0
