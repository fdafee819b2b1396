"""Background work of exports: thin wrappers around services/jobs.py."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task
from huey.exceptions import RetryTask

from citizen_portal.exports.services.jobs import export_job_run, exports_purge


@db_task()
def run_export(job_id: int) -> None:
    # No retries of a failure: a failed job is marked failed for its owner to see, and asked
    # for again. Looked at again later only while another worker seems to hold the job (it
    # may have died: services/jobs.py).
    recheck_in = export_job_run(job_id)
    if recheck_in is not None:
        raise RetryTask(delay=recheck_in.total_seconds())


@db_periodic_task(crontab(hour="*/6", minute="23"))
@lock_task("exports-purge")
def purge_exports() -> None:
    """Every six hours: files are gone within a quarter day of their retention."""
    exports_purge()
