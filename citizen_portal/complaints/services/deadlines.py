"""Deadlines count working days: weekends (and, later, public holidays) do not count."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (a deadline of 0 days is `start` itself)."""
    weekend = set(settings.PORTAL_WEEKEND_DAYS)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() not in weekend:
            remaining -= 1
    return current
