"""Periodic work on complaints: thin wrappers around the sweeps."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from citizen_portal.complaints.services.lodge_drafts import lodge_drafts_purge
from citizen_portal.complaints.services.sweeps import sweep_all


@db_periodic_task(crontab(minute="7"))
@lock_task("complaint-sweeps")
def sweep_complaints() -> None:
    # The lock spares a second consumer the work; correctness does not depend on it (each
    # complaint is re-checked under its row lock).
    sweep_all()


@db_periodic_task(crontab(minute="37"))
@lock_task("lodge-drafts-purge")
def purge_lodge_drafts() -> None:
    """Files attached to lodge-form drafts that were given up (services.lodge_drafts)."""
    lodge_drafts_purge()
