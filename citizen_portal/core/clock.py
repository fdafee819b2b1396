"""The portal's idea of "now". Deadlines, sweeps and timelines read the time here, so that
tests can move it forward by days (the `travel` fixture) and watch escalation happen."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

_shift = timedelta(0)


def now() -> datetime:
    return timezone.now() + _shift


def today() -> date:
    return timezone.localdate(now())


def travel(by: timedelta) -> None:
    """Move the clock forward (tests only)."""
    global _shift
    _shift += by


def reset() -> None:
    global _shift
    _shift = timedelta(0)
