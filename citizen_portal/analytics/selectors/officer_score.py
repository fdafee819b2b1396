"""An officer's performance score for a period, adjusted for how hard their work is.

The figures of an officer's scorecard (complaints/selectors/performance.py) say what they did;
they do not say whether it was good *for that work*: over-billing complaints may be resolved on
time nine times in ten everywhere, land disputes one time in three. So each part of the score
compares what the officer achieved with what **peers** achieved on the same mix of work:

1. For each category the officer handled, the peers' rate is counted over **the same category
   at every other office** (other districts, other circles) in the same period. The officer's
   own offices are left out, so no officer is their own benchmark.
2. The officer's *expected* count is the sum, over their categories, of their own number of
   complaints times the peers' rate: an indirectly standardised ratio, as hospital mortality
   and school value-added figures are computed. A category nobody else handled counts as
   expected (there is nothing to compare with).
3. **Shrinkage**: `PRIOR_WEIGHT` imaginary complaints, handled exactly at the peers' rate, are
   added to the officer's own. Three complaints then move the score a little, a hundred a lot:
   a small sample makes neither a hero nor a villain.
4. Each component becomes points from 0 to 100: 50 is "as expected"; above, the share of the
   way from the expected rate to perfection; below, the share of the expected rate achieved.
5. The score is the weighted mean of the components that have something to measure
   (`WEIGHTS`), so a page can show each component's observed and expected values and its
   contribution: docs/performance.md explains it with a worked example.

Cost: three aggregate queries for the officer (resolutions, arrivals, misses, each grouped by
category) and three for the peers (the same, grouped by category and office, for the officer's
categories only), whatever the number of complaints. `peer_counts` is computed once for a list
of officers and shared; each officer's own offices are then subtracted in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, DeadlineMiss, Event
from citizen_portal.complaints.selectors.performance import (
    ARRIVAL,
    Holding,
    Period,
    arrivals,
    holdings_in,
    misses,
    resolution_figures_by,
    resolutions,
)
from citizen_portal.directory.models import Category, Position

# Imaginary complaints at the peers' rate added to the officer's own (step 3).
PRIOR_WEIGHT = 10
# Points for "exactly as expected" (step 4).
PAR = 50.0


class Component(StrEnum):
    ON_TIME = "on_time"
    SATISFIED = "satisfied"
    KEPT = "kept"


# How much each component counts (step 5). Resolving on time is the portal's first promise;
# the citizen's verdict and deadlines kept across everything received share the rest.
WEIGHTS: dict[Component, int] = {Component.ON_TIME: 40, Component.SATISFIED: 30, Component.KEPT: 30}

LABELS: dict[Component, StrOrPromise] = {
    Component.ON_TIME: _("Resolved on time"),
    Component.SATISFIED: _("Citizens satisfied (not disputed)"),
    Component.KEPT: _("Deadlines kept (not escalated)"),
}
# What is counted: "successes of trials".
COUNTS: dict[Component, StrOrPromise] = {
    Component.ON_TIME: _("resolutions on or before the due date, of all resolutions"),
    Component.SATISFIED: _("feedback “satisfied”, of all feedback on the resolutions"),
    Component.KEPT: _("complaints received whose deadline was not missed, of all received"),
}


@dataclass(frozen=True)
class Counts:
    """What was done with one category's complaints (at one office, or by one officer)."""

    resolved: int = 0
    on_time: int = 0
    feedback: int = 0
    satisfied: int = 0
    received: int = 0
    missed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return (
            self.resolved,
            self.on_time,
            self.feedback,
            self.satisfied,
            self.received,
            self.missed,
        )

    def tally(self, component: Component) -> tuple[int, int]:
        """(trials, successes) for the component. Deadlines: the complaints received, or the
        misses if more (a complaint received before the period can be missed in it)."""
        if component == Component.ON_TIME:
            return self.resolved, self.on_time
        if component == Component.SATISFIED:
            return self.feedback, self.satisfied
        trials = max(self.received, self.missed)
        return trials, trials - self.missed


@dataclass(frozen=True)
class CategoryLine:
    """One category of the officer's work, for one component: the "why" of the expected
    value."""

    category_id: int
    category: str
    trials: int
    successes: int
    peer_trials: int
    peer_successes: int
    # The rate the officer's complaints are measured against; None without peers (then the
    # category counts as expected: `expected` equals `successes`).
    peer_rate: float | None
    expected: float

    @property
    def peer_percent(self) -> float | None:
        return _percent(self.peer_rate)


def _percent(rate: float | None) -> float | None:
    return None if rate is None else 100 * rate


@dataclass(frozen=True)
class ComponentScore:
    component: Component
    weight: int
    trials: int
    observed: int
    expected: float
    lines: list[CategoryLine] = field(default_factory=list)
    # Filled when there are trials.
    observed_rate: float | None = None
    expected_rate: float | None = None
    adjusted_rate: float | None = None
    points: float | None = None
    # Points × weight ÷ the weights of the components scored: the components' contributions
    # add up to the score.
    contribution: float | None = None

    @property
    def label(self) -> StrOrPromise:
        return LABELS[self.component]

    @property
    def counts(self) -> StrOrPromise:
        return COUNTS[self.component]

    @property
    def observed_percent(self) -> float | None:
        return _percent(self.observed_rate)

    @property
    def expected_percent(self) -> float | None:
        return _percent(self.expected_rate)

    @property
    def adjusted_percent(self) -> float | None:
        return _percent(self.adjusted_rate)

    @property
    def ratio(self) -> float | None:
        """Observed ÷ expected (1 is as expected), before shrinkage."""
        return self.observed / self.expected if self.expected else None


@dataclass(frozen=True)
class OfficerScore:
    # 0–100; None when no component had anything to measure.
    score: float | None
    components: list[ComponentScore]
    prior_weight: int = PRIOR_WEIGHT

    def component(self, which: Component) -> ComponentScore:
        return next(c for c in self.components if c.component == which)


# The pure arithmetic: steps 2 to 5.


def points_for(adjusted: float, expected: float) -> float:
    """Step 4: 0–100 points, 50 when the (shrunk) rate equals the expected one."""
    if adjusted >= expected:
        room = 1.0 - expected
        return PAR if room <= 0 else PAR + PAR * (adjusted - expected) / room
    return PAR * adjusted / expected


def component_score(
    component: Component,
    own: Mapping[int, Counts],
    peers: Mapping[int, Counts],
    names: Mapping[int, str],
) -> ComponentScore:
    """Steps 2 to 4 for one component: the officer's counts per category against the peers'."""
    lines: list[CategoryLine] = []
    for category_id, counts in own.items():
        trials, successes = counts.tally(component)
        if not trials:
            continue
        peer_trials, peer_successes = peers.get(category_id, Counts()).tally(component)
        rate = peer_successes / peer_trials if peer_trials else None
        lines.append(
            CategoryLine(
                category_id=category_id,
                category=names.get(category_id, str(category_id)),
                trials=trials,
                successes=successes,
                peer_trials=peer_trials,
                peer_successes=peer_successes,
                peer_rate=rate,
                expected=trials * rate if rate is not None else float(successes),
            )
        )
    lines.sort(key=lambda line: (-line.trials, line.category))
    trials = sum(line.trials for line in lines)
    observed = sum(line.successes for line in lines)
    expected = sum(line.expected for line in lines)
    base = ComponentScore(component, WEIGHTS[component], trials, observed, expected, lines)
    if not trials:
        return base
    expected_rate = expected / trials
    adjusted = (observed + PRIOR_WEIGHT * expected_rate) / (trials + PRIOR_WEIGHT)
    return ComponentScore(
        component,
        WEIGHTS[component],
        trials,
        observed,
        expected,
        lines,
        observed_rate=observed / trials,
        expected_rate=expected_rate,
        adjusted_rate=adjusted,
        points=points_for(adjusted, expected_rate),
    )


def score_of(
    own: Mapping[int, Counts], peers: Mapping[int, Counts], names: Mapping[int, str]
) -> OfficerScore:
    """Step 5: the weighted mean of the components that measured something."""
    parts = [component_score(c, own, peers, names) for c in Component]
    scored = [p for p in parts if p.points is not None]
    total_weight = sum(p.weight for p in scored)
    if not total_weight:
        return OfficerScore(score=None, components=parts)
    finished = [
        _with_contribution(p, p.points * p.weight / total_weight if p.points is not None else None)
        for p in parts
    ]
    score = sum(p.contribution or 0.0 for p in finished)
    return OfficerScore(score=score, components=finished)


def _with_contribution(part: ComponentScore, contribution: float | None) -> ComponentScore:
    values = {name: getattr(part, name) for name in part.__dataclass_fields__}
    values["contribution"] = contribution
    return ComponentScore(**values)


# The counting: step 1.

PeerTable = dict[tuple[int, int], Counts]


def officer_counts(user: User, period: Period, held: Sequence[Holding]) -> dict[int, Counts]:
    """The officer's counts per category: the same resolutions, arrivals and misses as their
    scorecard, grouped by the complaint's category. Three queries."""
    found: dict[int, dict[str, int]] = {}
    for (category_id,), figures in resolution_figures_by(
        resolutions(user, period), "complaint__category_id"
    ).items():
        found.setdefault(category_id, {}).update(
            resolved=figures.resolved,
            on_time=figures.on_time,
            feedback=figures.feedback,
            satisfied=figures.satisfied,
        )
    if held:
        rows = (
            arrivals(held)
            .order_by()
            .values("complaint__category_id")
            .annotate(n=Count("complaint", distinct=True))
        )
        for row in rows:
            found.setdefault(row["complaint__category_id"], {})["received"] = row["n"]
    missed = (
        misses(user, period).order_by().values("complaint__category_id").annotate(n=Count("pk"))
    )
    for row in missed:
        found.setdefault(row["complaint__category_id"], {})["missed"] = row["n"]
    return {category_id: Counts(**values) for category_id, values in found.items()}


def peer_counts(period: Period, categories: Iterable[int]) -> PeerTable:
    """Everyone's counts for these categories in the period, per category and office of the
    post (so that any officer's own offices can be subtracted). Three queries; the rows are
    the categories times the offices that handled them."""
    wanted = sorted(set(categories))
    if not wanted:
        return {}
    found: dict[tuple[int, int], dict[str, int]] = {}
    in_period = Q(created_at__gte=period.start, created_at__lt=period.end)
    resolved = Event.objects.filter(
        in_period, action=Action.RESOLVE, complaint__category_id__in=wanted
    )
    grouped = resolution_figures_by(resolved, "complaint__category_id", "to_position__office_id")
    for key, figures in grouped.items():
        found.setdefault(key, {}).update(
            resolved=figures.resolved,
            on_time=figures.on_time,
            feedback=figures.feedback,
            satisfied=figures.satisfied,
        )
    # Each complaint once per office, as an officer's "received" counts it once.
    arrived = (
        Event.objects.filter(in_period, ARRIVAL, complaint__category_id__in=wanted)
        .order_by()
        .values("complaint__category_id", office_id=F("to_position__office_id"))
        .annotate(n=Count("complaint", distinct=True))
    )
    for row in arrived:
        found.setdefault((row["complaint__category_id"], row["office_id"]), {})["received"] = row[
            "n"
        ]
    # Misses at vacant posts are on nobody's scorecard, so not on the peers' either.
    missed = (
        DeadlineMiss.objects.filter(
            recorded_at__gte=period.start,
            recorded_at__lt=period.end,
            holder__isnull=False,
            complaint__category_id__in=wanted,
        )
        .order_by()
        .values("complaint__category_id", office_id=F("position__office_id"))
        .annotate(n=Count("pk"))
    )
    for row in missed:
        found.setdefault((row["complaint__category_id"], row["office_id"]), {})["missed"] = row["n"]
    return {key: Counts(**values) for key, values in found.items() if key[1] is not None}


def peers_outside(table: PeerTable, offices: Iterable[int]) -> dict[int, Counts]:
    """The peers of an officer: every office's counts but those of the officer's offices."""
    own = set(offices)
    result: dict[int, Counts] = {}
    for (category_id, office_id), counts in table.items():
        if office_id not in own:
            result[category_id] = result.get(category_id, Counts()) + counts
    return result


def offices_of_holdings(held: Sequence[Holding]) -> list[int]:
    return sorted(
        set(
            Position.objects.filter(pk__in=[h.position_id for h in held]).values_list(
                "office_id", flat=True
            )
        )
    )


def category_names(category_ids: Iterable[int]) -> dict[int, str]:
    return {c.pk: c.name for c in Category.objects.filter(pk__in=set(category_ids))}


@dataclass(frozen=True)
class OfficerWork:
    """An officer's own side of the comparison for a period."""

    officer: User
    period: Period
    held: list[Holding]
    offices: list[int]
    counts: dict[int, Counts]


def officer_work(user: User, period: Period) -> OfficerWork:
    held = holdings_in(user, period)
    return OfficerWork(
        officer=user,
        period=period,
        held=held,
        offices=offices_of_holdings(held),
        counts=officer_counts(user, period, held),
    )


def score_for_work(work: OfficerWork, table: PeerTable, names: Mapping[int, str]) -> OfficerScore:
    return score_of(work.counts, peers_outside(table, work.offices), names)


def officer_score(user: User, period: Period) -> OfficerScore:
    """The officer's score for the period: about nine queries, whatever their workload."""
    work = officer_work(user, period)
    table = peer_counts(period, work.counts)
    return score_for_work(work, table, category_names(work.counts))
