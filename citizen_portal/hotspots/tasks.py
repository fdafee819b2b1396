"""The daily detection, early in the morning (HOTSPOT_HOUR:HOTSPOT_MINUTE local time, 03:40 by
default), after the night's sweeps and before officers start work."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


def _run_time() -> tuple[str, str]:
    """Local time to huey's crontab, which reads UTC unless told otherwise (as the officers'
    digest does, notifications/tasks.py). Pakistan has no summer time."""
    hour = settings.HOTSPOT_HOUR
    minute = settings.HOTSPOT_MINUTE
    if not settings.HUEY.get("utc", True):
        return str(hour), str(minute)
    local = datetime.combine(datetime.now().date(), time(hour, minute))
    utc = local.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(ZoneInfo("UTC"))
    return str(utc.hour), str(utc.minute)


_HOUR, _MINUTE = _run_time()


@db_periodic_task(crontab(hour=_HOUR, minute=_MINUTE))
@lock_task("hotspot-detection")
def detect_hotspots() -> None:
    # The lock spares a second consumer the work; the unique constraint keeps alerts single
    # whatever the lock (services/detection.py).
    from citizen_portal.hotspots.services.detection import hotspots_detect

    hotspots_detect()
