"""The public transparency page and open data: national, per government and per district
figures, from the rollups, with small counts suppressed so that no figure can point to a
person (a district with three complaints about one office says too much).

A count from 1 to OPEN_DATA_MIN_COUNT − 1 is published as "fewer than N" (None here); a rate
is published only when what it divides by is at least OPEN_DATA_MIN_COUNT."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from citizen_portal.analytics.models import Flow, FlowMonth, Scope, Slice
from citizen_portal.analytics.selectors.figures import Figures, table_for, whole_months
from citizen_portal.complaints.selectors.performance import Period
from citizen_portal.directory.models import AdminUnit, Tier

PUBLISHED = ("lodged", "resolved", "on_time", "lodged_resolved", "feedback", "satisfied")


def minimum() -> int:
    return int(getattr(settings, "OPEN_DATA_MIN_COUNT", 10))


def shown(count: int) -> int | None:
    """The count, or None where it is too small to publish (zero is published)."""
    return count if count == 0 or count >= minimum() else None


def rate(part: int, whole: int) -> float | None:
    if whole < minimum():
        return None
    return round(100 * part / whole, 1)


@dataclass(frozen=True)
class PublicRow:
    """One published line: a month (or the whole period), a place or government, figures."""

    month: date | None
    level: str  # "nation", "government" or "district"
    code: str
    name_en: str
    name_ur: str
    lodged: int | None
    resolved: int | None
    on_time_rate: float | None
    resolution_rate: float | None
    satisfaction: float | None
    per_100k: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month.isoformat()[:7] if self.month else None,
            "level": self.level,
            "code": self.code,
            "name_en": self.name_en,
            "name_ur": self.name_ur,
            "lodged": self.lodged,
            "resolved": self.resolved,
            "on_time_rate": self.on_time_rate,
            "resolution_rate": self.resolution_rate,
            "satisfaction": self.satisfaction,
            "complaints_per_100k": self.per_100k,
        }


def _row(
    values: dict[str, int],
    *,
    month: date | None,
    level: str,
    code: str,
    name_en: str,
    name_ur: str,
    population: int | None = None,
) -> PublicRow:
    lodged = values.get("lodged", 0)
    per_100k = None
    if population and lodged >= minimum():
        per_100k = round(100_000 * lodged / population, 1)
    return PublicRow(
        month=month,
        level=level,
        code=code,
        name_en=name_en,
        name_ur=name_ur,
        lodged=shown(lodged),
        resolved=shown(values.get("resolved", 0)),
        on_time_rate=rate(values.get("on_time", 0), values.get("resolved", 0)),
        resolution_rate=rate(values.get("lodged_resolved", 0), lodged),
        satisfaction=rate(values.get("satisfied", 0), values.get("feedback", 0)),
        per_100k=per_100k,
    )


def _sums(queryset: Any, *keys: str) -> list[dict[str, Any]]:
    return list(queryset.values(*keys).annotate(**{m: Sum(m) for m in PUBLISHED}))


def public_rows(period: Period, *, monthly: bool) -> list[PublicRow]:
    """The nation, each government (tier) and each district, for the period or per month
    (the month rows, for a period of whole months; else the day rows, summed per month)."""
    table = table_for(period)
    if monthly and table is Flow and whole_months(period):
        table = FlowMonth
    base = table.objects.filter(day__gte=period.since, day__lte=period.until)
    if monthly:
        base = base.annotate(month=TruncMonth("day"))
    month_key = ("month",) if monthly else ()
    rows: list[PublicRow] = []
    pakistan = AdminUnit.objects.filter(level=AdminUnit.Level.COUNTRY).first()
    for found in _sums(base.filter(scope=Scope.NATION, slice=Slice.ALL), *month_key):
        rows.append(
            _row(
                found,
                month=found.get("month"),
                level="nation",
                code="PK",
                name_en="Pakistan",
                name_ur="پاکستان",
                population=pakistan.population if pakistan else None,
            )
        )
    tiers = {t.pk: t for t in Tier.objects.all()}
    for found in _sums(base.filter(scope=Scope.TIER, slice=Slice.ALL), "scope_id", *month_key):
        tier = tiers.get(found["scope_id"])
        if tier is not None:
            rows.append(
                _row(
                    found,
                    month=found.get("month"),
                    level="government",
                    code=tier.code,
                    name_en=tier.name_en,
                    name_ur=tier.name_ur,
                )
            )
    district_rows = _sums(
        base.filter(scope=Scope.NATION, slice=Slice.DISTRICT).exclude(slice_id=0),
        "slice_id",
        *month_key,
    )
    units = AdminUnit.objects.in_bulk([r["slice_id"] for r in district_rows])
    for found in district_rows:
        unit = units.get(found["slice_id"])
        if unit is not None:
            rows.append(
                _row(
                    found,
                    month=found.get("month"),
                    level="district",
                    code=unit.code,
                    name_en=unit.name_en,
                    name_ur=unit.name_ur,
                    population=unit.population,
                )
            )
    order = {"nation": 0, "government": 1, "district": 2}
    rows.sort(key=lambda r: (r.month or date.min, order[r.level], r.name_en))
    return rows


def national(period: Period) -> Figures:
    values = (
        table_for(period)
        .objects.filter(
            scope=Scope.NATION, slice=Slice.ALL, day__gte=period.since, day__lte=period.until
        )
        .aggregate(**{m: Sum(m) for m in PUBLISHED})
    )
    figures = Figures()
    for name in PUBLISHED:
        figures.values[name] = values.get(name) or 0
    return figures
