"""An officer's performance score for a period, adjusted for how hard their work is.

The figures of an officer's scorecard (complaints/selectors/performance.py) say what they did;
they do not say whether it was good *for that work*: over-billing complaints may be resolved on
time nine times in ten everywhere, land disputes one time in three. So each part of the score
compares what the officer achieved with what **peers** achieved on the same mix of work:

1. For each category the officer handled, the peers' rate is counted over **the same category
   at every other office** (other districts, other circles) in the same period. The officer's
   own offices are left out, so no officer is their own benchmark.
2. **The area**: a district can be hard for every department (distance, security, floods).
   The offices of *other departments* in the officer's area (the district of the office's
   jurisdiction, or the division or province for an office above districts) are measured the
   same way: what they achieved against what the national rates of their own categories
   predicted. That ratio, shrunk towards 1 by `AREA_PRIOR` imaginary expected successes, is
   the area's factor: 0.8 means offices there achieve 80% of what the same work achieves
   elsewhere. The officer's own department is left out, so that a department's own management
   is not excused as "the district".
3. The officer's *expected* count is the sum, over their categories, of their own number of
   complaints times the peers' rate times the area's factor (at most 100%): an indirectly
   standardised ratio, as hospital mortality and school value-added figures are computed. A
   category nobody else handled counts as expected (there is nothing to compare with).
4. **Shrinkage**: `PRIOR_WEIGHT` imaginary complaints, handled exactly at the peers' rate, are
   added to the officer's own. Three complaints then move the score a little, a hundred a lot:
   a small sample makes neither a hero nor a villain.
5. Each component becomes points from 0 to 100: 50 is "as expected"; above, the share of the
   way from the expected rate to perfection; below, the share of the expected rate achieved.
6. The score is the weighted mean of the components that have something to measure
   (`WEIGHTS`), so a page can show each component's observed and expected values and its
   contribution: docs/performance.md explains it with a worked example.

Cost: three aggregate queries for the officer (resolutions, arrivals, misses, each grouped by
category), three for the peers (the same, grouped by category and office) and two for the
offices' areas, whatever the number of complaints. `peer_counts` and `Areas` are computed once
for a list of officers and shared; each officer's own offices are then subtracted in Python.
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
from citizen_portal.directory.models import AdminUnit, Category, Office, Position

# Imaginary complaints at the peers' rate added to the officer's own (step 4).
PRIOR_WEIGHT = 10
# Imaginary expected successes, achieved exactly, added to the area's offices' own (step 2):
# an area with little work stays near a factor of 1.
AREA_PRIOR = 20
# Points for "exactly as expected" (step 5).
PAR = 50.0


class Component(StrEnum):
    ON_TIME = "on_time"
    SATISFIED = "satisfied"
    KEPT = "kept"


# How much each component counts (step 6). Resolving on time is the portal's first promise;
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
    # The peers' rate; None without peers (then the category counts as expected: `expected`
    # equals `successes`).
    peer_rate: float | None
    expected: float
    # The rate the officer's complaints are measured against: the peers' rate times the area's
    # factor, at most 100%.
    area_rate: float | None = None

    @property
    def peer_percent(self) -> float | None:
        return _percent(self.peer_rate)

    @property
    def area_percent(self) -> float | None:
        return _percent(self.area_rate)


@dataclass(frozen=True)
class AreaFactor:
    """How the offices of other departments in the officer's area did on one component,
    against what the national rates of their categories predicted (step 2)."""

    offices: int
    trials: int
    observed: int
    expected: float
    factor: float

    @property
    def ratio(self) -> float | None:
        """Observed ÷ expected, before shrinkage."""
        return self.observed / self.expected if self.expected else None


NO_AREA = AreaFactor(offices=0, trials=0, observed=0, expected=0.0, factor=1.0)


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
    area: AreaFactor = NO_AREA
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
    area: AreaFactor = NO_AREA,
) -> ComponentScore:
    """Steps 3 to 5 for one component: the officer's counts per category against the peers',
    in the light of the area."""
    lines: list[CategoryLine] = []
    for category_id, counts in own.items():
        trials, successes = counts.tally(component)
        if not trials:
            continue
        peer_trials, peer_successes = peers.get(category_id, Counts()).tally(component)
        rate = peer_successes / peer_trials if peer_trials else None
        in_area = min(1.0, rate * area.factor) if rate is not None else None
        lines.append(
            CategoryLine(
                category_id=category_id,
                category=names.get(category_id, str(category_id)),
                trials=trials,
                successes=successes,
                peer_trials=peer_trials,
                peer_successes=peer_successes,
                peer_rate=rate,
                expected=trials * in_area if in_area is not None else float(successes),
                area_rate=in_area,
            )
        )
    lines.sort(key=lambda line: (-line.trials, line.category))
    trials = sum(line.trials for line in lines)
    observed = sum(line.successes for line in lines)
    expected = sum(line.expected for line in lines)
    base = ComponentScore(component, WEIGHTS[component], trials, observed, expected, lines, area)
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
        area,
        observed_rate=observed / trials,
        expected_rate=expected_rate,
        adjusted_rate=adjusted,
        points=points_for(adjusted, expected_rate),
    )


def score_of(
    own: Mapping[int, Counts],
    peers: Mapping[int, Counts],
    names: Mapping[int, str],
    areas: Mapping[Component, AreaFactor] | None = None,
) -> OfficerScore:
    """Step 6: the weighted mean of the components that measured something."""
    parts = [
        component_score(c, own, peers, names, (areas or {}).get(c, NO_AREA)) for c in Component
    ]
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


def area_factor(
    component: Component, table: PeerTable, rates_from: Mapping[int, Counts], offices: set[int]
) -> AreaFactor:
    """Step 2 for one component: the offices' achievement against the national rates of their
    own categories (`rates_from`: every office but the officer's), shrunk towards 1."""
    trials = observed = 0
    expected = 0.0
    counted: set[int] = set()
    for (category_id, office_id), counts in table.items():
        if office_id not in offices:
            continue
        n, done = counts.tally(component)
        national_n, national_done = rates_from.get(category_id, Counts()).tally(component)
        if not n or not national_n:
            continue
        counted.add(office_id)
        trials += n
        observed += done
        expected += n * national_done / national_n
    factor = (observed + AREA_PRIOR) / (expected + AREA_PRIOR)
    return AreaFactor(len(counted), trials, observed, expected, factor)


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


def peer_counts(period: Period, categories: Iterable[int] | None = None) -> PeerTable:
    """Everyone's counts in the period, per category and office of the post (so that any
    officer's own offices can be subtracted): for these categories, or (None) for all, which
    the areas' factors need. Three queries; the rows are the categories times the offices that
    handled them."""
    found: dict[tuple[int, int], dict[str, int]] = {}
    in_period = Q(created_at__gte=period.start, created_at__lt=period.end)
    in_period_missed = Q(
        recorded_at__gte=period.start, recorded_at__lt=period.end, holder__isnull=False
    )
    if categories is not None:
        wanted = sorted(set(categories))
        if not wanted:
            return {}
        in_period &= Q(complaint__category_id__in=wanted)
        in_period_missed &= Q(complaint__category_id__in=wanted)
    resolved = Event.objects.filter(in_period, action=Action.RESOLVE)
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
        Event.objects.filter(in_period, ARRIVAL)
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
        DeadlineMiss.objects.filter(in_period_missed)
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


class Areas:
    """Every office's department and area: the district its jurisdiction lies in, or the
    jurisdiction itself when it is above districts (a division, a province). Two queries."""

    def __init__(self) -> None:
        units = {
            pk: (parent, level)
            for pk, parent, level in AdminUnit.objects.values_list("pk", "parent_id", "level")
        }
        self.office_department: dict[int, int] = {}
        self.office_area: dict[int, int] = {}
        for pk, department_id, unit_id in Office.objects.values_list(
            "pk", "department_id", "jurisdiction_id"
        ):
            self.office_department[pk] = department_id
            self.office_area[pk] = self._area(unit_id, units)

    @staticmethod
    def _area(unit_id: int, units: Mapping[int, tuple[int | None, str]]) -> int:
        node: int | None = unit_id
        while node is not None and node in units:
            parent, level = units[node]
            if level == AdminUnit.Level.DISTRICT:
                return node
            node = parent
        return unit_id  # above districts: the jurisdiction is the area

    def neighbours(self, offices: Iterable[int]) -> set[int]:
        """The offices of other departments in the same areas as these offices."""
        own = set(offices)
        areas = {self.office_area[o] for o in own if o in self.office_area}
        departments = {self.office_department[o] for o in own if o in self.office_department}
        return {
            office
            for office, area in self.office_area.items()
            if area in areas
            and office not in own
            and self.office_department[office] not in departments
        }


@dataclass(frozen=True)
class OfficerWork:
    """An officer's own side of the comparison for a period."""

    officer: User
    period: Period
    held: list[Holding]
    offices: list[int]
    counts: dict[int, Counts]
    # The offices of other departments in the officer's areas (step 2).
    neighbours: set[int] = field(default_factory=set)


def officer_work(user: User, period: Period, areas: Areas | None = None) -> OfficerWork:
    held = holdings_in(user, period)
    offices = offices_of_holdings(held)
    return OfficerWork(
        officer=user,
        period=period,
        held=held,
        offices=offices,
        counts=officer_counts(user, period, held),
        neighbours=(areas or Areas()).neighbours(offices),
    )


def score_for_work(work: OfficerWork, table: PeerTable, names: Mapping[int, str]) -> OfficerScore:
    peers = peers_outside(table, work.offices)
    factors = {c: area_factor(c, table, peers, work.neighbours) for c in Component}
    return score_of(work.counts, peers, names, factors)


def officer_score(user: User, period: Period) -> OfficerScore:
    """The officer's score for the period: about nine queries, whatever their workload, with
    the peers' counts kept for the period (services/peer_tables.py)."""
    from citizen_portal.analytics.services.peer_tables import peer_table

    work = officer_work(user, period)
    table = peer_table(period)
    return score_for_work(work, table, category_names(work.counts))
