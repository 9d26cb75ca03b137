"""The after-action review as immutable values: what the renderers and the terminal UI read."""

from __future__ import annotations

from dataclasses import dataclass

from game.numbers import shown_amounts

Package = tuple[tuple[str, str], ...]  # (issue, option) pairs, in the disagreement's issue order


@dataclass(frozen=True, slots=True)
class Cause:
    """One cause of a movement, summed over the ledger lines that name it."""

    cause: str
    change: float
    line: int = 0  # the scenario file line of the first ledger entry with this cause
    note: str = ""


@dataclass(frozen=True, slots=True)
class Goal:
    """An ending, read as an objective to reach (or a failure to avoid)."""

    id: str
    title: str
    check: str  # "each_turn" or "at_end"
    condition: str  # the ending's `when`, as the instructor wrote it
    grade: str | None
    reached: bool
    condition_text: str  # the same in the trainee's words: 'Mission stability ≥ 65'


@dataclass(frozen=True, slots=True)
class Intent:
    """What was intended: the scenario's summary and the endings to aim for or avoid."""

    summary: str
    aim: tuple[Goal, ...]  # at_end endings with a real condition, best first as written
    avoid: tuple[Goal, ...]  # each_turn endings (collapses, exits)


@dataclass(frozen=True, slots=True)
class ScoreTerm:
    """One added or subtracted part of the score expression and its value."""

    text: str  # as written in the scenario: '0.4 * mean(stability)'
    value: float
    label: str  # in the trainee's words: '0.4 × mean(Mission stability)'


@dataclass(frozen=True, slots=True)
class Outcome:
    """How the game ended and how its score and grade were computed."""

    finished: bool
    ending: str | None
    ending_title: str
    ending_text: str
    score: float  # clamped to 0..100
    raw_score: float  # the expression's value before clamping
    expression: str
    terms: tuple[ScoreTerm, ...]  # empty when the expression is not a plain sum
    grades: tuple[tuple[str, float], ...]  # thresholds, best first
    score_grade: str  # the grade the score alone earns
    ending_grade: str | None  # the ending's own grade, which replaces the score's
    grade: str
    expression_text: str  # the score expression in the trainee's words


@dataclass(frozen=True, slots=True)
class MetricSeries:
    """A metric over the game: its start and its value after each turn."""

    id: str
    label: str
    headline: bool
    start: float
    values: tuple[float, ...]
    low: float  # the metric's declared bounds
    high: float

    @property
    def final(self) -> float:
        return self.values[-1] if self.values else self.start


@dataclass(frozen=True, slots=True)
class Move:
    """A metric's movement in one turn, with the ledger's causes, largest first."""

    turn: int
    metric: str
    before: float
    after: float
    causes: tuple[Cause, ...]

    @property
    def change(self) -> float:
        return self.after - self.before

    def shown(self) -> tuple[float, ...]:
        """Each cause's change as a trainee reads it, to one decimal and adding up to the
        movement as shown (as the turn report shows them): a lone 3.556 beside -3 and -0.5
        of a movement of 0 reads +3.5, not +3.6."""
        return tuple(shown_amounts([c.change for c in self.causes], self.before, self.after))


@dataclass(frozen=True, slots=True)
class TurnSummary:
    """What happened in one turn, in the trainee's words."""

    turn: int
    moves: tuple[Move, ...]  # every metric that moved
    events: tuple[str, ...]  # titles
    choices: tuple[str, ...]  # "event title: choice label"
    proposals: tuple[str, ...]  # "Label: package (accepted|refused by ...)"
    agreed: tuple[str, ...]
    failed: tuple[str, ...]
    withdrawn: tuple[str, ...]
    started: tuple[str, ...]  # strategies activated
    stopped: tuple[str, ...]  # strategies that ended, with why
    warnings: tuple[str, ...]
    trust: tuple[str, ...] = ()  # "Name 60 → 100" for each partner whose trust moved


@dataclass(frozen=True, slots=True)
class StrategyUse:
    """One run of a strategy: when it started, how many resolutions it ran, and how it ended."""

    strategy: str
    label: str
    partners: tuple[str, ...]
    started: int
    last: int | None  # the last turn it was in effect; None when it never ran a turn
    turns: int
    ended: str  # "by you", "partner withdrew", "upkeep unpaid", "still active at the end"
    ended_turn: int | None  # the turn it ended in; None while still active
    early: bool  # ended before its min_turns (its on_early_end applied)
    min_turns: int


@dataclass(frozen=True, slots=True)
class Partnership:
    """A stakeholder over the game: trust after each turn, withdrawal, strategies with it."""

    id: str
    name: str
    kind: str
    start: float
    trust: tuple[float, ...]
    withdrawn_turn: int | None
    withdraws_below: float | None
    strategies: tuple[str, ...]  # labels of the strategy runs it took part in

    @property
    def final(self) -> float:
        return self.trust[-1] if self.trust else self.start


@dataclass(frozen=True, slots=True)
class PartyAnswerView:
    party: str
    accepts: bool
    utility: float
    objection: str | None


@dataclass(frozen=True, slots=True)
class PartyMoment:
    """A party when a proposal was put to it: its trust, the least it accepted then (its
    threshold at that turn and trust), and what the package was worth to it."""

    party: str
    trust: float
    lowest: float  # the lowest value it accepted then
    value: float  # its value of the package proposed
    accepts: bool

    @property
    def short(self) -> float:
        """By how much the package fell short of what it accepted then (0 when accepted)."""
        return max(0.0, self.lowest - self.value)


# The packages weighed per proposal when looking for one that would have passed, nearest
# first (one issue changed, then two...): the whole of a small disagreement, a bounded
# neighbourhood of a huge one.
PACKAGES_JUDGED = 2_000
# Refused proposals of one disagreement judged at their turn and trust; later ones are listed
# without a judgement, and the review says so.
PROPOSALS_JUDGED = 20


@dataclass(frozen=True, slots=True)
class Judgement:
    """A refused proposal judged at the turn and trust it was made, by the engine's rule."""

    tau: float  # how far the talks had run towards their deadline: 0 at opening, 1 at it
    parties: tuple[PartyMoment, ...]  # the parties present then, in file order
    passing: Package | None  # a package that would have passed then, nearest to the proposal
    changed: int  # how many issues it changes from the proposal (0 when none found)
    weighed: int  # packages weighed
    complete: bool  # every package of the disagreement was weighed
    passing_count: int | None  # packages that would have passed then (None when not complete)


@dataclass(frozen=True, slots=True)
class ProposalView:
    turn: int
    package: Package
    agreed: bool
    answers: tuple[PartyAnswerView, ...]
    judgement: Judgement | None = None  # for a refused proposal (None past PROPOSALS_JUDGED)


@dataclass(frozen=True, slots=True)
class PartyStake:
    """A party's side of a negotiation: its reservation and what each package gives it."""

    party: str
    name: str
    reservation: float
    utility: float | None  # of the agreed package; None without an agreement
    nash_utility: float | None  # of the Nash package; None when no package clears every reservation
    withdrawn: bool

    @property
    def surplus(self) -> float | None:
        return None if self.utility is None else self.utility - self.reservation


@dataclass(frozen=True, slots=True)
class SidePayment:
    """Units of a resource paid to a party with an agreed package."""

    turn: int
    party: str
    resource: str
    units: int


@dataclass(frozen=True, slots=True)
class BreachView:
    """An agreement that broke: when, whose condition failed (None: the disagreement's own),
    the condition in words, and the reopened talks' deadline (None: they stayed closed)."""

    turn: int
    party: str | None
    condition: str
    reopened_deadline: int | None


# The most packages of one disagreement the debrief compares (some 0.3 s at most): 30
# two-option issues make a billion.
PACKAGES_ANALYSED = 20_000


@dataclass(frozen=True, slots=True)
class NegotiationReview:
    """A disagreement after the game: what was agreed, and whether a better deal existed."""

    id: str
    label: str
    status: str  # "agreed", "failed", "open", "not_open", "broken"
    opened_turn: int | None
    deadline: int
    agreed_turn: int | None
    failed_turn: int | None
    package: Package | None
    proposals: tuple[ProposalView, ...]
    parties: tuple[PartyStake, ...]
    # The "best package" analysis assumes every party at its reservation value, i.e. as at the
    # deadline with trust 50 (its threshold then), and every party present.
    nash_package: Package | None  # largest Nash product among packages all accept at reservation
    nash_product: float | None  # of the Nash package
    agreed_product: float | None  # of the agreed package (None when below a reservation)
    acceptable: int  # packages the agreement rule (needs, vetoes) passes at reservation values
    packages: int  # packages in all
    better_package: Package | None  # better for every party than the agreement (or no deal)
    analysed: bool = True  # False past PACKAGES_ANALYSED: no Nash, acceptable or better package
    rule: str = "every party"  # the agreement rule in words: 'every party', '2 of 3, with X'
    unjudged: int = 0  # refused proposals past PROPOSALS_JUDGED, listed without a judgement
    side_payments: tuple[SidePayment, ...] = ()  # paid with agreed packages, in order
    offered: int = 0  # proposals that offered side payments (agreed or not)
    breaches: tuple[BreachView, ...] = ()  # the agreement broke, in order

    @property
    def agreed(self) -> bool:
        return self.status == "agreed"

    @property
    def better_exists(self) -> bool:
        return self.better_package is not None


@dataclass(frozen=True, slots=True)
class PolicyScores:
    """The scores of one bot policy's games."""

    policy: str
    scores: tuple[float, ...]
    percentile: float  # the trainee's percentile among this policy's games

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0


@dataclass(frozen=True, slots=True)
class Benchmark:
    """Where the trainee's score falls among bots playing the same scenario."""

    score: float
    seeds: tuple[int, ...]
    policies: tuple[PolicyScores, ...]
    percentile: float  # among every bot game: the share scoring below, ties counted half


@dataclass(frozen=True, slots=True)
class Debrief:
    """The after-action review of one game: intended, happened, why, sustain and improve."""

    scenario: str
    title: str
    turn_label: str
    seed: int
    player: str | None
    turns_played: int
    turns_total: int
    headline: str
    labels: tuple[tuple[str, str], ...]  # every id the review mentions -> its label
    intent: Intent
    outcome: Outcome
    metrics: tuple[MetricSeries, ...]
    timeline: tuple[TurnSummary, ...]
    turning_points: tuple[Move, ...]
    partnerships: tuple[Partnership, ...]
    strategies: tuple[StrategyUse, ...]
    negotiations: tuple[NegotiationReview, ...]
    lessons: tuple[str, ...]
    sustain: tuple[str, ...]
    improve: tuple[str, ...]
    benchmark: Benchmark | None = None
    turn: int = 0  # the turn the game is at: for an unfinished game, the one in progress

    @property
    def finished(self) -> bool:
        return self.outcome.finished

    @property
    def in_progress(self) -> bool:
        """Not over yet: no ending, no grade, no lessons, no comparison with whole games."""
        return not self.outcome.finished

    def metric(self, metric_id: str) -> MetricSeries:
        """The series of one metric (KeyError when the scenario has no such metric)."""
        for series in self.metrics:
            if series.id == metric_id:
                return series
        raise KeyError(metric_id)

    def label(self, key: str) -> str:
        """The label of an id the review mentions (the id itself when it has none)."""
        return dict(self.labels).get(key, key)
