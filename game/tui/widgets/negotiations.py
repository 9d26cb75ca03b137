"""The Negotiations tab: disagreements, a package per issue, proposals and the parties' answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from game.debrief.conditions import condition_text
from game.debrief.deals import condition_words, transfer_words
from game.engine import ProposalRecord, Propose
from game.engine.explain import refusal_words
from game.scenario.names import BROKEN
from game.tui.markup import Shown, hung, markup, plain
from game.tui.markup import lines as joined
from game.tui.messages import Act, Say
from game.tui.text import (
    amounts,
    breach_turn_words,
    condition,
    effect_text,
    forecast,
    signed,
    target_label,
    turn_name,
)
from game.tui.widgets import put
from game.tui.widgets.rowtable import Column, RowTable

if TYPE_CHECKING:
    from game.engine import Game
    from game.scenario.compiled import Scenario
    from game.tui.session import Session


class DisagreementTable(RowTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", "Edit the package"),
        Binding("o", "offer", "Load an offer"),
    ]

    def action_pick(self) -> None:
        self.screen.query_one(NegotiationsPanel).focus_package()

    def action_offer(self) -> None:
        self.screen.query_one(NegotiationsPanel).load_offer()


class PackageTable(RowTable):
    """One row per issue, then one per side payment a party takes; ←/→ (or a click) changes
    the option or the units, Enter proposes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "cycle(-1)", "Previous option", key_display="←"),
        Binding("right", "cycle(1)", "Next option", key_display="→"),
        Binding("enter", "propose", "Propose"),
        Binding("o", "offer", "Load an offer"),
    ]

    def action_offer(self) -> None:
        self.screen.query_one(NegotiationsPanel).load_offer()

    def action_cycle(self, step: int) -> None:
        self.screen.query_one(NegotiationsPanel).cycle(self.cursor_row, step)

    def action_propose(self) -> None:
        self.screen.query_one(NegotiationsPanel).propose()


def status_words(session: Session, did: str) -> str:
    game = session.game
    st = game.state.disagreements[did]
    label = game.s.model.turn_label
    if st.status == "open":
        return f"open · {st.open_turns} {label}{'s' if st.open_turns != 1 else ''}"
    if st.status == "agreed":
        at_risk = not all(ok for _, _, ok in game.holds_now(did))
        return f"agreed in {turn_name(game.s, st.agreed_turn)}" + (" · AT RISK" if at_risk else "")
    if st.status == "broken":
        return "broken"
    return "failed" if st.status == "failed" else "not open yet"


def package_words(scenario: Scenario, did: str, package: tuple[tuple[str, str], ...]) -> str:
    issues = scenario.model.disagreements[did].issues
    return " / ".join(issues[i].options.get(o, o) for i, o in package if i in issues)


class NegotiationsPanel(VerticalScroll):
    """Pick one option per issue, propose, read each party's answer and the history."""

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self._ids = list(session.game.s.disagreements)
        # Each package starts as the last one proposed (a resumed game included).
        self._picks: dict[str, dict[str, int]] = {did: {} for did in self._ids}
        game = session.game
        for record in [p for r in game.reports for p in r.proposals] + [*game.proposals_now]:
            options = game.s.disagreements[record.disagreement].issues
            self._picks[record.disagreement] = {
                issue: options[issue].index(option)
                for issue, option in record.package
                if option in options.get(issue, ())
            }
        # Side payments being prepared, by disagreement: units by (party, resource).
        self._units: dict[str, dict[tuple[str, str], int]] = {did: {} for did in self._ids}
        self._shown: str | None = None
        # The turn and the party whose offer `o` loaded last, by disagreement: the next press
        # in that turn loads the next party's; in a new turn (new offers) the first party's.
        self._offer_of: dict[str, tuple[int, str]] = {}

    def compose(self) -> ComposeResult:
        columns = [Column("Disagreement"), Column("Status"), Column("Deadline")]
        yield DisagreementTable(columns, id="disagreement-table")
        yield Static(id="disagreement-detail")
        # The last answers sit just above the package: read them, change it, propose again.
        yield Static(id="negotiation-answers")
        yield PackageTable([Column("Issue"), Column("Option")], id="package-table")
        with Horizontal(id="package-controls"):
            yield Button("Propose", id="propose", compact=True, tooltip="Enter in the package")
        yield Static(id="package-preview", classes="preview")
        yield Static(id="negotiation-offers")
        yield Static(id="negotiation-knowledge")
        yield Static(id="negotiation-history")

    def on_mount(self) -> None:
        s = self.session.game.s
        rows = [
            (did, (d.label, "", turn_name(s, d.deadline))) for did, d in s.disagreements.items()
        ]
        table = self.query_one(DisagreementTable)
        table.set_rows(rows)
        # At once, not on the Highlighted message: the detail comes in the cursor's frame.
        table.on_move = self._detail

    def current(self) -> str | None:
        table = self.query_one(DisagreementTable)
        if not self._ids or not 0 <= table.cursor_row < len(self._ids):
            return None
        return self._ids[table.cursor_row]

    def package(self, did: str) -> dict[str, str]:
        """The package being prepared: one option per issue."""
        d = self.session.game.s.disagreements[did]
        picks = self._picks[did]
        return {
            issue: options[picks.get(issue, 0) % len(options)]
            for issue, options in d.issues.items()
        }

    def slots(self, did: str) -> list[tuple[str, str, int]]:
        """The side payments the parties take, (party, resource, most units), in file order."""
        d = self.session.game.s.disagreements[did]
        return [
            (party, rid, most)
            for party in d.parties
            for rid, (_, most) in d.preferences[party].side_payments.items()
        ]

    def transfers(self, did: str) -> dict[str, dict[str, int]]:
        """The side payments being prepared (none of 0 units)."""
        out: dict[str, dict[str, int]] = {}
        for (party, rid), units in self._units[did].items():
            if units:
                out.setdefault(party, {})[rid] = units
        return out

    def proposal(self, did: str) -> Propose:
        return Propose.of(did, self.package(did), self.transfers(did))

    def show(self, session: Session) -> None:
        self.session = session
        table = self.query_one(DisagreementTable)
        for did in self._ids:
            table.set_cell(did, 1, status_words(session, did))
            # A breach may have reopened the talks with a deadline of their own.
            table.set_cell(did, 2, turn_name(session.game.s, session.game.deadline_of(did)))
        self._detail()

    def _detail(self) -> None:
        did = self.current()
        detail = self.query_one("#disagreement-detail", Static)
        package_table = self.query_one(PackageTable)
        if did is None:
            put(detail, markup("[dim]No disagreements in this scenario.[/]"))
            package_table.display = False
            self.query_one("#package-controls").display = False
            return
        game = self.session.game
        st = game.state.disagreements[did]
        put(detail, self._describe(did))
        is_open = st.status == "open"
        package_table.display = is_open
        self.query_one("#package-controls").display = is_open
        if is_open:
            self._fill_package(did)
        self._show_preview(did if is_open else None)
        self._show_answers(did)
        put(self.query_one("#negotiation-offers", Static), joined(offer_lines(game, did)))
        put(self.query_one("#negotiation-knowledge", Static), joined(knowledge_lines(game, did)))

    def _describe(self, did: str) -> Content:
        game = self.session.game
        s = game.s
        d = s.disagreements[did]
        model = s.model.disagreements[did]
        st = game.state.disagreements[did]
        names = {p: s.model.stakeholders[p].name for p in d.parties}
        status = status_words(self.session, did)
        lines: list[Shown] = [markup("[b]$label[/b] · $status", label=d.label, status=status)]
        if model.description:
            lines.append(markup("[dim]$about[/]", about=model.description))
        lines.append(f"Parties: {', '.join(names.values())}")
        if d.needs is None:
            lines.append("Agreement needs: every party")
        else:
            vetoes = ", ".join(names[v] for v in d.vetoes)
            rule = f"{d.needs} parties" + (f", including {vetoes}" if vetoes else "")
            lines.append(f"Agreement needs: {rule}")
        if st.status == "not_open":
            opens = model.opens
            when = []
            if opens.turn is not None:
                when.append(f"in {turn_name(s, opens.turn)}")
            if opens.when is not None:
                when.append(f"when {condition(s, opens.when)}")
            lines.append("Opens " + " and ".join(when))
        # The turns in which a proposal can still be made: this one and the deadline's included
        # (a reopened agreement's new deadline after a breach).
        deadline = game.deadline_of(did)
        left = deadline - game.state.turn + 1
        if st.status == "open":
            label = s.model.turn_label
            due = (
                f"this {label} is the last to propose"
                if left <= 1
                else f"{left} {label}s to propose, this one included"
            )
            again = " (reopened after a breach)" if game.value(BROKEN(did)) else ""
            lines.append(f"Deadline: end of {turn_name(s, deadline)} ({due}){again}")
            for party, rid, most in self.slots(did):
                lines.append(
                    f"{names[party]} takes {amounts(s, {rid: most}, units=False)} at most "
                    "per proposal as a side payment (paid only if agreed)"
                )
        elif st.status == "agreed":
            lines.append(f"Agreed package: {package_words(s, did, st.package)}")
        if st.status == "agreed":
            for whose, source, ok in game.holds_now(did):
                words = condition_words(s, whose, source)
                held = condition_text(s, source)
                if whose is None:
                    said = f"The agreement holds while {held}"
                else:
                    said = f"{s.model.stakeholders[whose].name} keeps it while {held}"
                if ok:
                    lines.append(plain(f"{said} · holds now"))
                else:
                    lines.append(
                        markup(
                            "[$warning]AT RISK: $words fails now; the agreement breaks at "
                            "$when's resolution unless it holds again by then[/]",
                            words=words,
                            when=breach_turn_words(game, did),
                        )
                    )
        elif st.status == "broken":
            lines.append("The agreement broke; the talks stay closed.")
        if st.status in ("open", "not_open"):
            lines.append(f"Each proposal costs {amounts(s, dict(d.proposal_cost))}")
            each = "; ".join(effect_text(s, e) for e in model.pressure)
            if each:
                lines.append(f"Pressure: {each}, each {s.model.turn_label} while open")
        felt = self._pressure_so_far(did)
        if felt:
            lines.append(f"Pressure so far: {felt}")
        return joined(lines)

    def _pressure_so_far(self, did: str) -> str:
        """What this disagreement's pressure has cost so far, from the past turns' ledgers."""
        s = self.session.game.s
        pressure_lines = {e.line for e in s.disagreements[did].pressure}
        per_target: dict[str, float] = {}
        for report in self.session.game.reports:
            for change in report.changes:
                if change.line in pressure_lines:
                    key = f"{change.kind}:{change.target}"
                    per_target[key] = per_target.get(key, 0.0) + change.amount
        return ", ".join(f"{target_label(s, k)} {signed(v)}" for k, v in per_target.items() if v)

    def _fill_package(self, did: str) -> None:
        table = self.query_one(PackageTable)
        issues = self.session.game.s.model.disagreements[did].issues
        package = self.package(did)
        rows = [
            (issue, (issues[issue].label, f"‹ {issues[issue].options[option]} ›"))
            for issue, option in package.items()
        ]
        s = self.session.game.s
        for party, rid, _ in self.slots(did):
            units = self._units[did].get((party, rid), 0)
            who = s.model.stakeholders[party].name
            shown = amounts(s, {rid: units}, units=False)
            # "Pay <partner>": short enough that a long name is not cut (the rows give way first).
            rows.append((f"pay:{party}:{rid}", (f"Pay {who}", f"‹ {shown} ›")))
        if self._shown != did:
            table.cursor_row = 0
        table.set_rows(rows)
        self._shown = did

    def _show_preview(self, did: str | None) -> None:
        out = self.query_one("#package-preview", Static)
        if did is None:
            put(out, Content())
            return
        game = self.session.game
        action = self.proposal(did)
        reason = game.check(action)
        if reason:
            put(out, markup("[$warning]✗ $reason[/]", reason=reason))
            return
        head = f"If agreed, this {game.s.model.turn_label}"
        put(out, plain(forecast(game.s, game.preview(action), self.session.difficulty, head)))

    def _show_answers(self, did: str) -> None:
        s = self.session.game.s
        records = self.session.proposals(did)
        answers = self.query_one("#negotiation-answers", Static)
        history = self.query_one("#negotiation-history", Static)
        if not records:
            put(answers, markup("[dim]No proposal yet.[/]"))
            put(history, Content())
            return
        put(answers, joined(answer_text(s, records[-1])))
        lines: list[Shown] = [markup("[b]History[/b]")]
        for record in records:
            result = (
                "agreed"
                if record.agreed
                else "refused by "
                + ", ".join(
                    s.model.stakeholders[a.party].name for a in record.answers if not a.accepts
                )
            )
            words = package_words(s, did, record.package)
            # An entry wrapped goes on two cells in: its rows never read as another entry.
            lines.append(hung(f"{turn_name(s, record.turn)}: {words} → {result}", 2))
        put(history, joined(lines))

    def cycle(self, row: int, step: int) -> None:
        """Move the option (or the units) of a row by `step`; it stops at the first and the
        last option, at 0 and at the most a party takes (a bell there): going past the maximum
        never brings a payment back to 0 unnoticed."""
        did = self.current()
        if did is None or self.session.game.state.disagreements[did].status != "open":
            return
        issues = list(self.session.game.s.disagreements[did].issues)
        slots = self.slots(did)
        if len(issues) <= row < len(issues) + len(slots):
            party, rid, most = slots[row - len(issues)]
            units = self._units[did]
            now = units.get((party, rid), 0)
            if not 0 <= now + step <= most:
                self.app.bell()
                return
            units[party, rid] = now + step
            self._fill_package(did)
            self._show_preview(did)
            return
        if not 0 <= row < len(issues):
            return
        issue = issues[row]
        count = len(self.session.game.s.disagreements[did].issues[issue])
        picks = self._picks[did]
        now = picks.get(issue, 0) % count
        if not 0 <= now + step < count:
            self.app.bell()
            return
        picks[issue] = now + step
        self._fill_package(did)
        self._show_preview(did)

    @on(RowTable.Clicked, "#package-table")
    def _clicked(self, event: RowTable.Clicked) -> None:
        """A click on the ‹ of the Option cell goes back, elsewhere on the row forward."""
        table = self.query_one(PackageTable)
        self.cycle(event.row, -1 if event.x in table.column_span(1, 2) else 1)

    def load_offer(self) -> None:
        """Load the next party's offer (in party order) as the package: Enter proposes it as
        it stands, ←/→ make it the start of the trainee's own."""
        did = self.current()
        if did is None or self.session.game.state.disagreements[did].status != "open":
            return
        game = self.session.game
        offers = {p: pkg for p, pkg in game.offers(did).items() if pkg}
        if not offers:
            self.post_message(Say("No party has an offer on the table.", warning=True))
            return
        parties = list(offers)
        turn, last = self._offer_of.get(did, (None, None))
        if turn == game.state.turn and last in offers:
            party = parties[(parties.index(last) + 1) % len(parties)]
        else:
            party = parties[0]
        self._offer_of[did] = (game.state.turn, party)
        options = game.s.disagreements[did].issues
        self._picks[did] = {issue: options[issue].index(o) for issue, o in offers[party]}
        self._fill_package(did)
        self._show_preview(did)
        self.focus_package()
        name = game.s.model.stakeholders[party].name
        self.post_message(Say(f"Loaded the offer of {name}: Enter proposes it, ←/→ change it."))

    def propose(self) -> None:
        did = self.current()
        if did is None:
            return
        self.post_message(Act(self.proposal(did)))

    @on(Button.Pressed, "#propose")
    def _propose_button(self) -> None:
        self.propose()

    def reveal_answers(self) -> None:
        """Scroll the parties' answers into view (after a proposal)."""
        answers = self.query_one("#negotiation-answers")
        self.scroll_to_widget(answers, top=True, animate=False, immediate=True)

    def focus_package(self) -> None:
        table = self.query_one(PackageTable)
        if table.display:
            table.focus()

    def focus_main(self) -> None:
        self.query_one(DisagreementTable).focus()


def offer_lines(game: Game, did: str) -> list[Shown]:
    """Each party's offer this turn, or why there is none ("o" loads one into the package)."""
    s = game.s
    d = s.disagreements[did]
    if game.state.disagreements[did].status != "open":
        return []
    names = s.model.stakeholders
    if d.offers == "none":
        return [markup("[dim]The parties make no offers in these talks.[/]")]
    offers = game.offers(did)
    lines: list[Shown] = [
        markup("[b]Offers this $turn[/b] [dim](o loads one as the package)[/]",
               turn=s.model.turn_label)
    ]  # fmt: skip
    for party in d.parties:
        name = names[party].name
        if party not in offers:
            if d.offers == "after_refusal" and party in game.present(d.parties):
                lines.append(
                    hung(markup("  $name: [dim]no offer until it refuses one[/]", name=name), 4)
                )
            continue
        package = offers[party]
        if package:
            words = package_words(s, did, package)
            lines.append(hung(markup("  $name offers: $words", name=name, words=words), 4))
        else:
            lines.append(
                hung(markup("  $name: [dim]no offer: it accepts no package now[/]", name=name), 4)
            )
    return lines


def knowledge_lines(game: Game, did: str) -> list[Shown]:
    """What the trainee knows of each party's position: its priorities (issue weights) and
    preferred options, as far as the briefing, offers, refusals and reveals have told."""
    s = game.s
    d = s.disagreements[did]
    issues = s.model.disagreements[did].issues
    lines: list[Shown] = [markup("[b]What you know of each party[/b]")]
    for party, known in game.knowledge(did).items():
        pref = d.preferences.get(party)
        name = s.model.stakeholders[party].name
        if pref is None or (not known.weights and not known.options):
            lines.append(markup("  $name: [dim]nothing yet[/]", name=name))
            continue
        parts = []
        if known.weights:
            ranked = sorted(pref.weights.items(), key=lambda kv: -kv[1])
            parts.append(
                "priorities " + ", ".join(f"{issues[i].label} {round(100 * w)}%" for i, w in ranked)
            )
        if known.options:
            prefers = []
            for issue in d.issues:
                if issue in known.options:
                    values = pref.values[issue]
                    best = max(values, key=lambda o: values[o])
                    prefers.append(f"{issues[issue].label} {issues[issue].options[best]}")
            parts.append("prefers " + ", ".join(prefers))
        lines.append(hung(markup("  $name: $known", name=name, known="; ".join(parts)), 4))
    return lines


def answer_text(scenario: Scenario, record: ProposalRecord) -> list[Content]:
    """Each party's answer to a proposal and, for a refusal, which way it wants the package to
    move (by the scenario's difficulty: game.engine.explain.refusal_words), one line each."""
    model = scenario.model
    words = package_words(scenario, record.disagreement, record.package)
    verdict = "agreed" if record.agreed else "not agreed"
    lines = [
        markup(
            "Proposal of $turn: $words — [b]$verdict[/b]",
            turn=turn_name(scenario, record.turn), words=words, verdict=verdict,
        )
    ]  # fmt: skip
    if record.transfers:
        paid = "paid" if record.agreed else "offered, not paid"
        lines.append(
            markup(
                "  Side payments ($paid): $what",
                paid=paid,
                what=transfer_words(scenario, record.transfers),
            )
        )
    for answer in record.answers:
        name = model.stakeholders[answer.party].name
        if answer.accepts:
            lines.append(markup("  [$success]✓[/] $name accepts", name=name))
        else:
            why = refusal_words(scenario, record.disagreement, answer, str(model.difficulty))
            lines.append(markup("  [$error]✗[/] $name refuses · $why", name=name, why=why))
    return lines
