"""The dashboards' figures are brought up to date every minute (services/rollups.py)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from citizen_portal.analytics.services.peer_tables import peer_tables_refresh
from citizen_portal.analytics.services.rollups import rollups_refresh


@db_periodic_task(crontab(minute="*"))
@lock_task("analytics-refresh")
def refresh_rollups() -> None:
    # The lock spares a second consumer the wait; correctness does not depend on it (the
    # refresh locks its own row, and takes changes away only once applied).
    rollups_refresh()


@db_periodic_task(crontab(minute="17"))
@lock_task("analytics-peer-tables")
def refresh_peer_tables() -> None:
    """Every hour: the peers' counts for the officers' scores over the usual periods."""
    peer_tables_refresh()
