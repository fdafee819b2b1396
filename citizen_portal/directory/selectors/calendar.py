"""Working days: weekends and public holidays do not count towards a deadline."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from citizen_portal.directory.models import Holiday, Tier

FEDERAL = "federal"
# Longest deadline (working days) the arithmetic reads holidays for, with room for a long
# holiday season; a category deadline beyond this still works, it just reads more holidays.
HOLIDAY_WINDOW_DAYS = 400


def add_working_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The date `days` working days after `start` (0 days is `start` itself)."""
    weekend = set(settings.PORTAL_WEEKEND_DAYS)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() not in weekend and current not in holidays:
            remaining -= 1
    return current


def holidays_for(tier: Tier, start: date, end: date) -> set[date]:
    """Holidays the offices of `tier` observe between start and end: its own and the federal
    ones (one query)."""
    return set(
        Holiday.objects.filter(
            Q(tier=tier) | Q(tier__code=FEDERAL), date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    )


def due_date(*, tier: Tier, start: date, working_days: int) -> date:
    end = start + timedelta(days=max(HOLIDAY_WINDOW_DAYS, working_days * 3))
    return add_working_days(start, working_days, holidays_for(tier, start, end))


def working_days_between(*, tier: Tier, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end is not after start)."""
    if end <= start:
        return 0
    weekend = set(settings.PORTAL_WEEKEND_DAYS)
    holidays = holidays_for(tier, start, end)
    days = (end - start).days
    return sum(
        1
        for offset in range(1, days + 1)
        if (d := start + timedelta(days=offset)).weekday() not in weekend and d not in holidays
    )
