"""Periodic tasks set in local time."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings


def crontab_time(hour: int, minute: int = 0) -> tuple[str, str]:
    """`hour`:`minute` local time (TIME_ZONE) as huey's crontab wants it: huey reads its
    crontabs in UTC unless told otherwise. A zone with summer time would shift by an hour twice
    a year until the worker restarts; Pakistan has none."""
    if not settings.HUEY.get("utc", True):
        return str(hour), str(minute)
    local = datetime.combine(datetime.now().date(), time(hour, minute))
    utc = local.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(ZoneInfo("UTC"))
    return str(utc.hour), str(utc.minute)
