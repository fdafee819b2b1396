"""When things happen: a year of days ending at the anchor, busier on weekdays and in office
hours, and officers who only act in office hours.

The generator works in naive local time (settings.TIME_ZONE, where offices keep their hours)
and converts to UTC only when it writes, because the events' hashes are computed over the UTC
timestamps that the database gives back.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from random import Random
from zoneinfo import ZoneInfo

from django.conf import settings

from citizen_portal.directory.selectors.calendar import add_working_days

DAYS = 365
# Complaints lodged per weekday, Monday first: Friday prayers and the weekend are quieter.
WEEKDAY_SHAPE = (1.15, 1.10, 1.05, 1.00, 0.85, 0.65, 0.55)
# Complaints lodged per hour of the day: a morning peak at the office, an evening peak on phones.
HOUR_SHAPE = (
    0.15, 0.08, 0.05, 0.04, 0.05, 0.10, 0.25, 0.50, 0.90, 1.30, 1.60, 1.70,
    1.60, 1.40, 1.30, 1.20, 1.10, 1.00, 1.00, 1.10, 1.25, 1.20, 0.80, 0.40,
)  # fmt: skip
# The portal grows: the last day of the year sees this many times the first day's complaints.
GROWTH = 1.5
OFFICE_OPENS = 9
OFFICE_CLOSES = 17
ONE_MS = timedelta(milliseconds=1)


def seeded(seed: int, stream: str) -> Random:
    """A random stream of its own per purpose, so that asking for more citizens does not
    change which days complaints fall on. Reproducible data, not secrets: hence no `secrets`."""
    return Random(f"{seed}:{stream}")  # noqa: S311


class Clock:
    """The generator's calendar. Nothing happens at or after `horizon` (the anchor's midnight)."""

    def __init__(self, *, anchor: date, days: int = DAYS) -> None:
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.horizon = datetime.combine(anchor, time.min)
        self.first_day = anchor - timedelta(days=days)
        self.days = days
        self.weekend = frozenset(settings.PORTAL_WEEKEND_DAYS)
        self._hour_cum = list(accumulate(HOUR_SHAPE))
        self._due: dict[tuple[date, int], date] = {}

    def daily_counts(self, total: int, rng: Random) -> list[int]:
        """How many complaints each day gets: weekday shape × growth × day-to-day noise,
        rounded by largest remainder so that they add up to exactly `total`."""
        weights = []
        for index in range(self.days):
            day = self.first_day + timedelta(days=index)
            growth = 1 + (GROWTH - 1) * index / max(self.days - 1, 1)
            weights.append(WEEKDAY_SHAPE[day.weekday()] * growth * rng.uniform(0.85, 1.15))
        scale = total / sum(weights)
        shares = [w * scale for w in weights]
        counts = [math.floor(s) for s in shares]
        short = total - sum(counts)
        by_remainder = sorted(range(self.days), key=lambda i: (counts[i] - shares[i], i))
        for index in by_remainder[:short]:
            counts[index] += 1
        return counts

    def moment(self, day_index: int, rng: Random) -> datetime:
        """A time on that day, shaped by the hour of day. A second before the horizon at the
        latest, so that the routing that follows lodging still happens before it."""
        hour = bisect_right(self._hour_cum, rng.random() * self._hour_cum[-1])
        at = datetime.combine(self.first_day + timedelta(days=day_index), time(hour))
        at += timedelta(microseconds=rng.randrange(3_600_000_000))
        return min(at, self.horizon - timedelta(seconds=1))

    def office_time(self, at: datetime, rng: Random) -> datetime:
        """`at`, or the next moment an office is open when it falls outside office hours."""
        if at.weekday() not in self.weekend and OFFICE_OPENS <= at.hour < OFFICE_CLOSES:
            return at
        day = at.date()
        if at.hour >= OFFICE_CLOSES or at.weekday() in self.weekend:
            day += timedelta(days=1)
        while day.weekday() in self.weekend:
            day += timedelta(days=1)
        opening = datetime.combine(day, time(OFFICE_OPENS))
        return opening + timedelta(seconds=rng.randrange((OFFICE_CLOSES - OFFICE_OPENS) * 3600))

    def after(self, at: datetime, rng: Random, *, median_days: float, sigma: float) -> datetime:
        """`at` plus a log-normal delay: most are short, a few are very long."""
        days = rng.lognormvariate(math.log(median_days), sigma)
        return at + timedelta(days=min(days, 3 * DAYS))

    def due(self, start: date, working_days: int) -> date:
        """The deadline, without public holidays: a few dates and deadlines cover a year, so
        the answers are cached."""
        key = (start, working_days)
        if key not in self._due:
            self._due[key] = add_working_days(start, working_days)
        return self._due[key]

    def utc(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.zone).astimezone(UTC)
