"""Background housekeeping of the portal itself."""

from __future__ import annotations

from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="3", minute="41"))
@lock_task("clear-sessions")
def clear_sessions() -> None:
    """Every night: sessions past their expiry leave the database (logins are rows of it, and
    nothing else removes them)."""
    call_command("clearsessions")
