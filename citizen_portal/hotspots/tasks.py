"""The daily detection, early in the morning (HOTSPOT_HOUR:HOTSPOT_MINUTE local time, 03:40 by
default), after the night's sweeps and before officers start work."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from citizen_portal.core.schedule import crontab_time

_HOUR, _MINUTE = crontab_time(settings.HOTSPOT_HOUR, settings.HOTSPOT_MINUTE)


@db_periodic_task(crontab(hour=_HOUR, minute=_MINUTE))
@lock_task("hotspot-detection")
def detect_hotspots() -> None:
    # The lock spares a second consumer the work; the unique constraint keeps alerts single
    # whatever the lock (services/detection.py).
    from citizen_portal.hotspots.services.detection import hotspots_detect

    hotspots_detect()
