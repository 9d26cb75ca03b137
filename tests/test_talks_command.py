"""`accord talks`: the instructor's negotiation calculator, as an instructor runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from game.engine import Choose, EndTurn, Game, Propose
from game.library import SHIPPED, load_scenario
from game.negotiation import pareto_better
from game.talks import table
from tests.test_bounded_work import wide

ACCORD = [sys.executable, "-m", "game", "talks"]


def talks(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ACCORD, *args], capture_output=True, text=True, timeout=300)


def test_the_calculator_agrees_with_the_engine_at_a_turn_and_trust() -> None:
    """Every package the calculator says would be agreed at a turn and trust is agreed by the
    engine in a game at that turn and trust, and no other; each party accepts its own offer."""
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    game = Game.new(scenario, 1)
    while game.turn < 6:
        for event in game.state.pending:
            for choice in scenario.events[event].choices:
                if game.apply(Choose(event, choice)):
                    break
        game.apply(EndTurn())
    assert game.state.disagreements["mandate_scope"].status == "open"
    trust = [f"--trust={p}={v:g}" for p, v in game.state.trust.items()]
    done = talks("hybrid_mandate", "mandate_scope", "--turn", "6", *trust, "--json")
    assert done.returncode == 0, done.stderr
    (found,) = json.loads(done.stdout)["talks"]
    d = scenario.disagreements["mandate_scope"]
    assert found["packages"] == found["looked_at"] == 9
    for row in found["rows"]:
        outcome = game.copy().apply(Propose.of("mandate_scope", row["package"]))
        assert outcome.proposal is not None
        assert outcome.proposal.agreed == row["agreed"], row
        answers = {a.party: a.accepts for a in outcome.proposal.answers}
        assert answers == row["accepts"]
    for party, offered in found["offers"].items():
        assert offered is not None
        assert dict(game.offers("mandate_scope")[party]) == offered  # the engine's own offer
        row = next(r for r in found["rows"] if r["package"] == offered)
        assert row["accepts"][party]
    assert any(r["pareto"] for r in found["rows"]) and set(found["trust"]) == set(d.parties)


def test_the_calculator_prints_a_table_with_verdicts_blockers_and_offers() -> None:
    done = talks("hybrid_mandate", "mandate_scope", "--turn", "3", "--top", "3")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Mandate scope (mandate_scope) at month 3" in out
    assert "Offers (among the packages it accepts now, the one the others value most):" in out
    assert "The best 3 (agreed first, then by joint value; --top N for more):" in out
    assert "blocked by African Union" in out


def test_bad_input_is_one_sentence_with_exit_status_2() -> None:
    for args, words in [
        (("hybrid_mandate", "nope"), "has no disagreement 'nope' (it has: mandate_scope"),
        (("hybrid_mandate", "--trust", "un=200"), "trust is a number from 0 to 100"),
        (("hybrid_mandate", "--trust", "zz=5"), "no stakeholder 'zz'"),
        (("hybrid_mandate", "--turn", "99"), "after the last turn"),
    ]:
        done = talks(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert words in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_a_billion_packages_are_capped_and_said_so(tmp_path: Path) -> None:
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(wide(30)), encoding="utf-8")
    done = talks(str(path), "patrol_plan", "--top", "2")
    assert done.returncode == 0, done.stderr
    assert "Capped: 6,442,450,944 packages, more than 4,096: looked at" in done.stdout


def test_the_frontier_matches_the_debriefs_pareto_check() -> None:
    """A package is marked on the Pareto frontier exactly when game.negotiation.pareto_better
    (the debrief's check, over every package) finds none better for one and no worse for all:
    three parties (Hybrid Mandate) and two (the tutorial, swept)."""
    for name, did in (("hybrid_mandate", "mandate_scope"), ("tutorial", "patrol_plan")):
        scenario = load_scenario(SHIPPED / f"{name}.yaml")
        d = scenario.disagreements[did]
        found = table(scenario, did, 1, {})
        assert found.pareto_complete and found.looked == found.total
        for row in found.rows:
            better = pareto_better(d, list(d.parties), dict(row.package))
            assert row.pareto == (better is None), (name, row.package)
        assert any(r.pareto for r in found.rows) and not all(r.pareto for r in found.rows)


def test_the_frontier_search_is_capped_and_says_so(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Beyond PARETO_CHECKS comparisons the frontier search stops, and the table says so."""
    import game.talks

    monkeypatch.setattr(game.talks, "PARETO_CHECKS", 3)
    scenario = load_scenario(SHIPPED / "hybrid_mandate.yaml")
    found = table(scenario, "mandate_scope", 1, {})
    assert not found.pareto_complete
    assert "at most 3 comparisons" in game.talks.capped_words(found)


def test_the_figures_shown_agree_with_each_verdict() -> None:
    """Each party's shown value of a package is at least the value it is shown to accept
    exactly when the package is marked ✓: a refused value just under a threshold gets more
    decimal places rather than reading "0.58 ✗" beside "0.58 or more"."""
    checked = 0
    for turn in range(2, 8):
        for trust in ("40", "50", "60"):  # the African Union at its start trust, 55
            done = talks("hybrid_mandate", "mandate_scope", "--turn", str(turn),
                         f"--trust=host_gov={trust}")  # fmt: skip
            assert done.returncode == 0, done.stderr
            lines = done.stdout.splitlines()
            accepts = lines[2].removeprefix("Each accepts now: ").split(", ")
            floors = [float(part.split()[-3]) for part in accepts]
            for line in lines:
                marks = [w for w in line.split() if w in ("✓", "✗")]
                if not marks:
                    continue
                words = line.split()
                shown = [float(words[k - 1]) for k, w in enumerate(words) if w in ("✓", "✗")]
                for value, mark, floor in zip(shown, marks, floors, strict=True):
                    assert (value >= floor) == (mark == "✓"), line
                    checked += 1
    assert checked >= 6 * 3 * 9 * 3


def test_a_turn_outside_the_talks_and_a_trust_for_no_party_are_said() -> None:
    """Verdicts past the deadline or before the talks open carry a note; a --trust without
    '=' is refused with one sentence and exit status 2; one for someone who is not a party is
    said not to be used."""
    late = talks("tutorial", "--turn", "6")
    assert late.returncode == 0, late.stderr
    assert "past their deadline at week 6: no proposal can be made then" in late.stdout
    early = talks("tutorial", "--turn", "1")
    assert early.returncode == 0, early.stderr
    assert "not open yet at week 1" in early.stdout
    on_time = talks("tutorial", "--turn", "4")
    assert "Note:" not in on_time.stdout
    bare = talks("hybrid_mandate", "mandate_scope", "--trust", "un")
    assert bare.returncode == 2 and "write PARTY=V" in bare.stderr
    stranger = talks("hybrid_mandate", "mandate_scope", "--trust", "ngo=50")
    assert stranger.returncode == 0  # a pasted list of every partner's trust still works
    assert stranger.stderr.strip() == (
        "accord talks: note: --trust ngo=50: 'ngo' is not a party of mandate_scope; not used"
    )
    assert "Traceback" not in bare.stderr + stranger.stderr


def test_the_json_gives_thresholds_and_values_as_written() -> None:
    """`accepts_from` is the threshold itself (0.47, not the floor a hair below, 0.469999999),
    and no figure carries floating-point noise."""
    done = talks("tutorial", "--json")
    assert done.returncode == 0, done.stderr
    (found,) = json.loads(done.stdout)["talks"]
    figures = [*found["accepts_from"].values()]
    figures += [v for row in found["rows"] for v in row["values"].values()]
    assert figures and not [x for x in figures if "99999" in repr(x) or "00000" in repr(x)]


def test_the_side_payments_named_see_the_package_agreed_by_the_engine_and_no_fewer() -> None:
    """A blocked package the calculator says side payments would pass is agreed by the engine
    with those units, and refused with one unit fewer (the Harbour Truce: the militia takes
    Funding)."""
    path = Path(__file__).resolve().parent / "fixtures" / "harbour_truce.yaml"
    done = talks(str(path), "--json")
    assert done.returncode == 0, done.stderr
    (found,) = json.loads(done.stdout)["talks"]
    bought = [r for r in found["rows"] if r["side_payments"]]
    assert bought and all(not r["agreed"] for r in bought)
    game = Game.new(load_scenario(path))
    for row in bought:
        paid = {p["party"]: {p["resource"]: p["units"]} for p in row["side_payments"]}
        fewer = {p: {r: n - 1 for r, n in units.items()} for p, units in paid.items()}
        outcome = game.copy().apply(Propose.of(found["disagreement"], row["package"], paid))
        assert outcome.proposal is not None and outcome.proposal.agreed, outcome.reason
        short = game.copy().apply(Propose.of(found["disagreement"], row["package"], fewer))
        assert short.proposal is None or not short.proposal.agreed
    shown = talks(str(path)).stdout
    assert "1 more with side payments" in shown
    assert "(agreed with 6 Funding to Dock Militia)" in shown
