"""Finding unusual rises: each (category, district)'s complaints in the last seven days against
the same seven-day windows of the eight weeks before.

1. One grouped query over the last nine weeks of complaints (kind complaint): counts per
   category, area and week, the week worked out in SQL. It reads one range of the
   `complaint_created` index; its rows are at most categories × areas × 9, whatever the
   number of complaints (docs/hotspots.md has the measured time).
2. Areas are folded into their district in Python (a tehsil counts towards its district;
   complaints filed against a province or the country belong to no district and are left out).
3. Each (category, district) is judged by `is_unusual` (the rule in docs/hotspots.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone

from citizen_portal.complaints.models import Complaint, Kind
from citizen_portal.directory.selectors.areas import districts_of_units

WINDOW_DAYS = 7
BASELINE_WEEKS = 8


@dataclass(frozen=True)
class Rule:
    """The alerting rule's thresholds (settings HOTSPOT_MIN_COUNT, HOTSPOT_RATIO, HOTSPOT_P,
    HOTSPOT_BASELINE_FLOOR)."""

    min_count: int = 8
    ratio: float = 3.0
    p: float = 0.001
    # A category that usually has no complaints in a district is taken to have this many a
    # week: a handful of complaints is then no surprise (with the minimum count).
    baseline_floor: float = 1.0

    @classmethod
    def from_settings(cls) -> Rule:
        return cls(
            min_count=settings.HOTSPOT_MIN_COUNT,
            ratio=settings.HOTSPOT_RATIO,
            p=settings.HOTSPOT_P,
            baseline_floor=settings.HOTSPOT_BASELINE_FLOOR,
        )


@dataclass(frozen=True)
class Window:
    """The seven days counted: `start` to `end`, both inclusive."""

    start: date
    end: date

    @classmethod
    def before(cls, today: date) -> Window:
        """The seven full days before `today` (the job runs early in the morning)."""
        return cls(today - timedelta(days=WINDOW_DAYS), today - timedelta(days=1))


@dataclass(frozen=True)
class Judgement:
    category_id: int
    district_id: int
    count: int
    baseline: float
    ratio: float
    p_value: float
    unusual: bool


def poisson_upper_tail(count: int, mean: float) -> float:
    """P(X ≥ count) for X ~ Poisson(mean), summed from `count` upwards in log space, so that
    a tiny probability is not lost to 1 − (almost 1)."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    total = 0.0
    i = count
    log_mean = math.log(mean)
    while True:
        term = math.exp(-mean + i * log_mean - math.lgamma(i + 1))
        total += term
        # Past the mean the terms shrink faster than geometrically: stop when negligible.
        if i > mean and term < total * 1e-12:
            break
        i += 1
        if i > count + 100_000:
            break
    return min(total, 1.0)


def judge(category_id: int, district_id: int, weeks: list[int], rule: Rule) -> Judgement:
    """`weeks[0]` is the last seven days, `weeks[1:]` the eight windows before."""
    count = weeks[0]
    baseline = max(sum(weeks[1:]) / BASELINE_WEEKS, rule.baseline_floor)
    p_value = poisson_upper_tail(count, baseline)
    unusual = count >= rule.min_count and count >= rule.ratio * baseline and p_value < rule.p
    return Judgement(
        category_id=category_id,
        district_id=district_id,
        count=count,
        baseline=baseline,
        ratio=count / baseline,
        p_value=p_value,
        unusual=unusual,
    )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def weekly_counts(today: date) -> dict[tuple[int, int], list[int]]:
    """Steps 1–2: per (category, district), complaints in the last seven days and in each of
    the eight seven-day windows before (index 0 the latest)."""
    window = Window.before(today)
    end = window.end + timedelta(days=1)
    starts = [window.start - timedelta(days=WINDOW_DAYS * k) for k in range(BASELINE_WEEKS + 1)]
    week = Case(
        *[When(created_at__gte=_midnight(s), then=Value(k)) for k, s in enumerate(starts)],
        default=Value(BASELINE_WEEKS),
        output_field=IntegerField(),
    )
    rows = (
        Complaint.objects.filter(
            kind=Kind.COMPLAINT,
            created_at__gte=_midnight(starts[-1]),
            created_at__lt=_midnight(end),
        )
        .annotate(week=week)
        .values_list("category_id", "area_id", "week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    districts = districts_of_units()
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * (BASELINE_WEEKS + 1))
    for category_id, area_id, k, n in rows:
        district_id = districts.get(area_id)
        if district_id is not None:
            counts[(category_id, district_id)][k] += n
    return dict(counts)


def judgements(today: date, rule: Rule | None = None) -> list[Judgement]:
    """Step 3: every (category, district) with a complaint in the nine weeks, judged."""
    rule = rule or Rule.from_settings()
    return [
        judge(category_id, district_id, weeks, rule)
        for (category_id, district_id), weeks in weekly_counts(today).items()
    ]
