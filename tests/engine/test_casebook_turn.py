"""Rules casebook, part 1: the order of a turn (scenario-format.md, "A turn, in order").

Each test quotes the rule it checks in its docstring, in the manner of the DATC cases.
"""

from __future__ import annotations

import random

from game.engine import Activate, Allocate, Choose, EndStrategy, EndTurn, Game, Unallocate

# ---- 1. Income -----------------------------------------------------------------------


def test_income_resets_non_carry_stock_and_adds_per_turn(make):
    """Each resource: non-carry stock resets to 0; add per_turn; ... clamp to max."""
    game = Game.new(make(stakeholders={"un": {"provides": {}}}))
    assert game.state.resources == {"funding": 10, "capital": 2}
    game.apply(EndTurn())
    # funding (non-carry) is back to 10; capital (carry, max 5) accumulates: 2 + 2.
    assert game.state.resources == {"funding": 10, "capital": 4}
    game.apply(EndTurn())
    assert game.state.resources["capital"] == 5  # 6 clamped to max 5


def test_contribution_default_formula_scales_with_trust(make):
    """Add every present partner's contribution(base, trust), rounded down, partner by partner.
    Default: base * clamp((trust - 20) / 40, 0, 1.25)."""
    game = Game.new(make(stakeholders={"un": {"trust": 41}}))
    # 20 * (41 - 20) / 40 = 10.5 -> 10, plus per_turn 10.
    assert game.state.resources["funding"] == 20
    assert game.state.contributions["un"]["funding"] == 10


def test_custom_contribution_expression(make):
    """contribution: optional expression of base and trust."""
    game = Game.new(make(contribution="base * trust / 100"))
    assert game.state.resources["funding"] == 10 + 12  # 20 * 60 / 100


def test_resolution_resource_effect_is_queued_to_next_income(make):
    """A resource effect made during resolution is queued: it arrives at the next turn's income
    ("arrives next turn" in the report)."""
    scenario = make(
        rules=[{"label": "Donor top-up", "effects": [{"resource": "funding", "add": 7}]}]
    )
    game = Game.new(scenario)
    before = game.state.resources["funding"]
    report = game.apply(EndTurn()).report
    assert report is not None
    queued = report.changes_for("resource", "funding")
    assert [(c.amount, c.note) for c in queued if c.cause == "Donor top-up"] == [
        (7, "arrives next turn")
    ]
    assert game.state.resources["funding"] == before + 7


def test_upkeep_is_paid_from_the_next_turn(make):
    """Then pay each active strategy's upkeep, in file order."""
    scenario = make(
        strategies={
            "pact": {
                "label": "Pact",
                "kind": "bilateral",
                "partners": ["un"],
                "upkeep": {"funding": 5},
            }
        }
    )
    game = Game.new(scenario)
    game.apply(Activate("pact"))
    assert game.state.resources["funding"] == 30  # no upkeep on the activation turn
    game.apply(EndTurn())
    assert game.state.resources["funding"] == 25
    # The ledger names it ("<strategy>: upkeep"), and the stock's lines add up (issue 21).
    assert (-5, "Pact: upkeep") in [(c.amount, c.cause) for c in game.changes_now]
    report = game.apply(EndTurn()).report
    assert report is not None
    assert (-5, "Pact: upkeep") in [
        (c.amount, c.cause) for c in report.moved_now("resource", "funding")
    ]
    moved = sum(c.amount for c in report.moved_now("resource", "funding"))
    assert report.resources_before["funding"] + moved == report.resources_after["funding"]


def test_unpaid_upkeep_ends_the_strategy_with_early_end(make):
    """A strategy whose upkeep cannot be paid ends, with on_early_end when it ran fewer than
    min_turns."""
    scenario = make(
        stakeholders={"un": {"provides": {}}},
        strategies={
            "pact": {
                "label": "Pact",
                "kind": "bilateral",
                "partners": ["un"],
                "upkeep": {"funding": 50},
                "min_turns": 3,
                "on_early_end": [{"trust": "un", "add": -10}],
            }
        },
    )
    game = Game.new(scenario)
    game.apply(Activate("pact"))
    report = game.apply(EndTurn()).report
    assert report is not None
    assert "pact" not in game.state.active
    assert game.state.trust["un"] == 50  # 60 - 10, applied at the next income
    assert any("upkeep could not be paid" in w for w in game.warnings_now)


# ---- 2. Openings ---------------------------------------------------------------------


def test_event_fires_on_its_turn_only_when_condition_holds(make):
    """Events fire, in file order, when their turn (if given) and when (if given) both match."""
    scenario = make(
        events={
            "audit": {
                "title": "Audit",
                "turn": 2,
                "when": "stability < 60",
                "effects": [{"metric": "support", "add": -3}],
            },
            "never": {
                "title": "Never",
                "turn": 2,
                "when": "stability > 90",
                "effects": [{"metric": "support", "add": -50}],
            },
        }
    )
    game = Game.new(scenario)
    assert "audit" not in game.state.fired
    game.apply(EndTurn())
    assert game.state.fired == {"audit"}
    assert game.state.metrics["support"] == 37


def test_once_false_event_fires_again(make):
    """once: default true; false: may fire again on later turns."""
    scenario = make(
        events={
            "again": {
                "title": "Again",
                "once": False,
                "effects": [{"metric": "support", "add": 1}],
            },
            "one": {"title": "One", "effects": [{"metric": "stability", "add": 1}]},
        }
    )
    game = Game.new(scenario)
    game.apply(EndTurn())
    game.apply(EndTurn())
    assert game.state.metrics["support"] == 43  # fired on turns 1, 2 and 3
    assert game.state.metrics["stability"] == 51  # fired once


def test_chance_rolls_use_the_seeded_generator_in_file_order(make):
    """Each event whose other conditions hold and whose chance is below 1 draws one random(),
    in file order, and fires when the draw is below its chance."""
    scenario = make(
        events={
            "a": {"title": "A", "chance": 0.5, "effects": [{"flag": "a", "set": 1}]},
            "sure": {"title": "Sure", "effects": [{"flag": "sure", "set": 1}]},
            "b": {"title": "B", "chance": 0.5, "effects": [{"flag": "b", "set": 1}]},
        }
    )
    for seed in range(20):
        rng = random.Random(seed)
        first, second = rng.random(), rng.random()
        game = Game.new(scenario, seed)
        assert game.value("fired.a") == (first < 0.5)
        assert game.value("fired.b") == (second < 0.5)
        assert game.value("fired.sure") is True


def test_event_with_choices_blocks_the_turn_until_answered(make):
    """Every pending event must be answered before the turn can end; choice effects apply at
    once."""
    scenario = make(
        events={
            "raid": {
                "title": "Raid",
                "choices": {
                    "hold": {
                        "label": "Hold course",
                        "effects": [{"metric": "stability", "add": -4}],
                    },
                    "talk": {
                        "label": "Talk",
                        "requires": "trust.au >= 55",
                        "effects": [{"metric": "support", "add": 5}],
                    },
                },
            }
        }
    )
    game = Game.new(scenario)
    assert game.state.pending == ("raid",)
    refused = game.apply(EndTurn())
    assert not refused.ok and "Raid" in refused.reason
    talk = game.apply(Choose("raid", "talk"))
    assert not talk.ok
    assert talk.reason == "Talk needs trust with African Union of at least 55, now 50."
    # A value as a trainee reads it, one decimal; more only where fewer would read as met.
    for trust, now in ((51.8371, "51.8"), (54.96, "54.96"), (54.9993, "54.999"), (40.0, "40")):
        game.board.values["trust.au"] = trust
        said = game.apply(Choose("raid", "talk")).reason
        assert said == f"Talk needs trust with African Union of at least 55, now {now}."
    game.board.values["trust.au"] = 50.0
    assert game.apply(Choose("raid", "hold")).ok
    assert game.state.metrics["stability"] == 46  # at once, before resolution
    assert game.value("chose.raid.hold") is True
    assert game.apply(EndTurn()).ok


def test_event_whose_choices_are_all_closed_lapses(make):
    """(Project rule) An event none of whose choices can be taken lapses at the end of the turn
    instead of blocking it."""
    scenario = make(
        events={
            "raid": {
                "title": "Raid",
                "choices": {
                    "talk": {"label": "Talk", "requires": "trust.au >= 90", "effects": []},
                },
            }
        }
    )
    game = Game.new(scenario)
    report = game.apply(EndTurn()).report
    assert report is not None and any("lapsed" in w for w in report.warnings)


# ---- 3. Decisions --------------------------------------------------------------------


def test_allocation_never_exceeds_stock_and_a_refusal_changes_nothing(make):
    """Allocate (never more than the stock). An illegal action is refused with a reason and
    changes nothing."""
    game = Game.new(make())
    before = game.state.to_json()
    outcome = game.apply(Allocate("security", "funding", 31))
    assert not outcome.ok
    assert outcome.reason == "Not enough Funding: 30 left, 31 asked."
    assert game.state.to_json() == before
    assert game.actions == ()
    assert game.apply(Allocate("security", "funding", 30)).ok
    assert game.state.resources["funding"] == 0
    assert game.apply(Unallocate("security", "funding", 10)).ok
    assert game.state.allocations["security"]["funding"] == 20


def test_malformed_actions_are_refused_not_raised(make):
    """An illegal action is refused with a reason; it never raises for a player's mistake."""
    game = Game.new(make())
    for action in (
        Allocate("nowhere", "funding", 1),
        Allocate("security", "gold", 1),
        Allocate("security", "funding", 0),
        Allocate("security", "funding", 2.5),  # type: ignore[arg-type]
        Activate("ghost"),
        EndStrategy("ghost"),
        Choose("x", "y"),
        "not an action",
    ):
        outcome = game.apply(action)  # type: ignore[arg-type]
        assert not outcome.ok and outcome.reason


def test_strategy_requirements_costs_exclusivity_and_limits(make):
    """Activate or end a strategy (requirements and costs checked); exclusive_with;
    max_active_strategies."""
    scenario = make(
        max_active_strategies=1,
        strategies={
            "hybrid": {
                "label": "Hybrid framework",
                "kind": "multilateral",
                "partners": ["un", "au"],
                "requires": "trust.un >= 40 and trust.au >= 55",
                "cost": {"capital": 2},
            },
            "solo": {
                "label": "Solo deal",
                "kind": "bilateral",
                "partners": ["un"],
                "cost": {"capital": 3},
                "exclusive_with": ["hybrid"],
            },
            "extra": {"label": "Extra", "kind": "ngo", "partners": ["un"]},
        },
    )
    game = Game.new(scenario)
    assert game.check(Activate("hybrid")) == (
        "Hybrid framework needs trust with African Union of at least 55, now 50."
    )
    assert game.check(Activate("solo")) == "Not enough Capital for Solo deal: 2 left, 3 needed."
    assert game.apply(Activate("extra")).ok
    game.apply(EndStrategy("extra"))
    game.apply(EndTurn())
    assert game.apply(Activate("solo")).ok
    assert game.state.resources["capital"] == 1
    assert game.check(Activate("hybrid")) == "Hybrid framework cannot run alongside Solo deal."
    assert game.check(Activate("extra")) == "At most 1 strategies can be active at once."


def test_ending_a_strategy_early_applies_on_early_end(make):
    """min_turns: ending it earlier angers partners (on_early_end); min_turns counts
    active_turns, which is 1 on the turn of activation."""
    scenario = make(
        strategies={
            "pact": {
                "label": "Pact",
                "kind": "bilateral",
                "partners": ["un"],
                "min_turns": 2,
                "on_early_end": [{"trust": "un", "add": -10}],
            }
        }
    )
    game = Game.new(scenario)
    game.apply(Activate("pact"))
    assert game.value("active_turns.pact") == 1
    game.apply(EndStrategy("pact"))
    assert game.state.trust["un"] == 50
    game.apply(EndTurn())
    assert game.apply(Activate("pact")).ok
    game.apply(EndTurn())
    assert game.value("active_turns.pact") == 2
    game.apply(EndStrategy("pact"))
    assert game.state.trust["un"] == 50  # ran its min_turns: no penalty


def test_a_strategy_ended_this_turn_waits_for_the_next_to_be_activated_again(make):
    """(Format extension) A strategy may be activated again after it ended, from the next
    turn: activating and ending it over and over in one turn would repeat its on_activate."""
    scenario = make(
        strategies={
            "pact": {
                "label": "Pact",
                "kind": "bilateral",
                "partners": ["un"],
                "on_activate": [{"trust": "un", "add": 4}],
            }
        }
    )
    game = Game.new(scenario)
    game.apply(Activate("pact"))
    game.apply(EndStrategy("pact"))
    before = game.state.to_json()
    again = game.apply(Activate("pact"))
    assert not again.ok
    assert again.reason == "Pact ended this turn; it can be activated again from the next one."
    assert Activate("pact") not in game.legal_actions()
    assert game.state.to_json() == before and game.state.trust["un"] == 64
    game.apply(EndTurn())
    assert game.apply(Activate("pact")).ok and game.state.trust["un"] == 68


# ---- 4. Resolution -------------------------------------------------------------------


def test_resolution_order(make):
    """Resolution, in this fixed order: line-of-effort effects; active strategies' each_turn;
    agreed outcomes with each_turn; pressure of open disagreements; rules in file order."""
    scenario = make(
        lines_of_effort={"security": {"effects": [{"metric": "stability", "add": 1, "note": "L"}]}},
        strategies={
            "pact": {
                "label": "Pact",
                "kind": "bilateral",
                "partners": ["un"],
                "each_turn": [{"metric": "stability", "add": 1, "note": "S"}],
            }
        },
        disagreements={
            "talks": {
                "label": "Talks",
                "parties": ["un", "au"],
                "deadline": 5,
                "pressure": {"metric": "stability", "add": -1, "note": "P"},
                "issues": {"x": {"label": "X", "options": {"a": "A", "b": "B"}}},
                "preferences": {
                    p: {"weights": {"x": 1}, "values": {"x": {"a": 1, "b": 0}}, "reservation": 0.5}
                    for p in ("un", "au")
                },
            }
        },
        rules=[
            {"label": "R1", "effects": [{"metric": "stability", "add": 1}]},
            {"label": "R2", "effects": [{"metric": "stability", "add": 1}]},
        ],
    )
    game = Game.new(scenario)
    game.apply(Activate("pact"))
    report = game.apply(EndTurn()).report
    assert report is not None
    causes = [c.cause for c in report.changes_for("metric", "stability")]
    assert causes == ["L", "S", "P", "R1", "R2"]


def test_a_stock_is_held_within_ten_to_the_fifteen(make):
    """Flags and resource stocks stay within 10^15, the largest number a scenario may write: a
    stock that income would take beyond it is held there, a "limit reached" change of its own."""
    funding = {"label": "Funding", "per_turn": 10**15, "carry": True}
    game = Game.new(make(resources={"funding": funding}, stakeholders={"un": {"provides": {}}}))
    game.apply(EndTurn())  # turn 2's income would double it
    assert game.state.resources["funding"] == 10**15
    report = game.apply(EndTurn()).report  # turn 2's ledger has its income and the limit
    assert report is not None
    funding = [(c.amount, c.cause, c.note) for c in report.changes_for("resource", "funding")]
    assert funding == [
        (10**15, "Funding: income", ""),
        (-(10**15), "Funding: at most 10^15", "limit reached"),
    ]


def test_clamping_is_a_change_of_its_own_and_ledger_sums(make):
    """Clamp every metric and trust to its bounds; clamping is a change of its own, "limit
    reached"; the signed changes add up exactly to each metric's movement."""
    scenario = make(
        rules=[
            {
                "label": "Surge",
                "effects": [{"metric": "stability", "add": 80}, {"trust": "all", "add": 70}],
            }
        ]
    )
    game = Game.new(scenario)
    report = game.apply(EndTurn()).report
    assert report is not None
    assert game.state.metrics["stability"] == 100
    limits = [c for c in report.changes if c.note == "limit reached"]
    assert {(c.kind, c.target) for c in limits} == {
        ("metric", "stability"),
        ("trust", "un"),
        ("trust", "au"),
    }
    for metric, after in report.metrics_after.items():
        moved = sum(c.amount for c in report.changes_for("metric", metric))
        assert abs(report.metrics_before[metric] + moved - after) < 1e-9


def test_partner_under_threshold_withdraws_and_its_strategies_end(make):
    """Partners under withdraws_below withdraw (their strategies end). A withdrawn partner
    contributes nothing."""
    scenario = make(
        stakeholders={"un": {"withdraws_below": 30}},
        strategies={"pact": {"label": "Pact", "kind": "bilateral", "partners": ["un"]}},
        rules=[{"label": "Scandal", "when": "turn == 1", "effects": [{"trust": "un", "add": -40}]}],
    )
    game = Game.new(scenario)
    game.apply(Activate("pact"))
    report = game.apply(EndTurn()).report
    assert report is not None and report.withdrawn == ("un",)
    assert "un" in game.state.withdrawn and "pact" not in game.state.active
    assert game.state.resources["funding"] == 10  # per_turn only
    assert game.check(Activate("pact")) == "Pact needs United Nations, who has left the mission."


def test_runtime_division_by_zero_gives_zero_and_a_warning(make):
    """Division by zero: the result is 0 and the turn report says so."""
    scenario = make(
        rules=[
            {
                "label": "Ratio",
                "effects": [{"metric": "support", "add": "10 / alloc.security.funding"}],
            }
        ]
    )
    report = Game.new(scenario).apply(EndTurn()).report
    assert report is not None
    assert report.metrics_after["support"] == 40
    assert any("division by zero" in w for w in report.warnings)


def test_flags_and_stocks_stay_within_ten_to_the_fifteen(make):
    """Very large numbers: flags and stocks stay within 10^15; a flag effect that would take a
    flag beyond it is skipped with a warning (squaring a flag each turn never crashes)."""
    scenario = make(
        turns=14,
        rules=[
            {"label": "Grow", "effects": [{"flag": "x", "add": "flag.x * flag.x + 2"}]},
            {"label": "Copy", "effects": [{"flag": "y", "set": "flag.x * 1000"}]},
            {"label": "Hoard", "effects": [{"resource": "funding", "set": "res.funding * 1e9"}]},
        ],
    )
    game = Game.new(scenario)
    warned = []
    while not game.finished:
        report = game.apply(EndTurn()).report
        assert report is not None
        warned += report.warnings
    assert 0 < game.state.flags["x"] <= 10**15 and 0 < game.state.flags["y"] <= 10**15
    assert game.state.resources["funding"] <= 10**15
    assert any(w.startswith("Grow: flag x would go beyond 10^15") for w in warned)
    assert any(w.startswith("Copy: flag y would go beyond 10^15") for w in warned)


# ---- 5. Endings, score, grades -------------------------------------------------------


def test_each_turn_endings_first_match_and_ending_grade_overrides(make):
    """each_turn endings in file order; first match ends the game; an ending's grade replaces
    the grade from scoring.grades."""
    scenario = make(
        endings={
            "collapse": {
                "check": "each_turn",
                "when": "stability <= 45",
                "grade": "F",
                "text": "Lost.",
            },
            "also": {"check": "each_turn", "when": "stability <= 45", "text": "Never chosen."},
            "done": {"check": "at_end", "when": "true", "text": "Over."},
        },
        rules=[{"label": "Decay", "effects": [{"metric": "stability", "add": -3}]}],
    )
    game = Game.new(scenario)
    game.apply(EndTurn())
    assert not game.finished
    game.apply(EndTurn())
    assert game.finished and game.ending == "collapse" and game.grade == "F"
    assert not game.apply(EndTurn()).ok
    assert game.legal_actions() == []


def test_at_end_endings_after_last_turn_and_score_clamped(make):
    """After the last turn, at_end endings in file order. The score is clamped to 0..100;
    grades from scoring.grades, else F."""
    scenario = make(turns=2, scoring={"score": "mean(stability) * 3", "grades": {"A": 90}})
    game = Game.new(scenario)
    game.apply(EndTurn())
    assert not game.finished
    game.apply(EndTurn())
    assert game.finished and game.ending == "done"
    assert game.score == 100.0 and game.grade == "A"


def test_lessons_use_history_functions(make):
    """lessons: teaching points; mean/final/min/max/turns_above over a metric's history."""
    scenario = make(
        turns=2,
        lessons=[
            {"when": "max(support) < 45", "text": "Support never rose."},
            {"when": "turns_above(stability, 49) == 2", "text": "Stable."},
            {"when": "final(stability) > 90", "text": "Never."},
        ],
    )
    game = Game.new(scenario)
    game.apply(EndTurn())
    game.apply(EndTurn())
    assert game.lessons() == ["Support never rose.", "Stable."]


def test_queued_resource_set_arrives_as_a_set(make):
    """(Project rule) A `set` on a resource during resolution is queued as a set: the stock
    becomes that amount when it arrives at the next income."""
    scenario = make(
        rules=[{"label": "Budget freeze", "effects": [{"resource": "funding", "set": 5}]}]
    )
    game = Game.new(scenario)
    game.apply(EndTurn())
    assert game.state.resources["funding"] == 5
