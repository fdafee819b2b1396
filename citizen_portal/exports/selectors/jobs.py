"""Reads of export jobs: only ever the owner's own, and only while they are kept.

A job past its retention is treated as gone (404) even before the sweep deletes it, so that
the retention promised in the guide holds to the hour whatever the sweep's schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from citizen_portal.accounts.models import User
from citizen_portal.core import clock
from citizen_portal.exports.models import ExportJob, JobStatus

RECENT_JOBS = 50


def _kept_since() -> datetime:
    return clock.now() - timedelta(days=settings.EXPORT_RETENTION_DAYS)


def jobs_of(user: User) -> QuerySet[ExportJob]:
    """The user's jobs still kept, newest first."""
    return ExportJob.objects.filter(owner=user, created_at__gte=_kept_since()).order_by(
        "-created_at", "-pk"
    )[:RECENT_JOBS]


def job_of(user: User, pk: int) -> ExportJob:
    """The user's job `pk`; ExportJob.DoesNotExist for anyone else's, or one past its
    retention."""
    return ExportJob.objects.get(pk=pk, owner=user, created_at__gte=_kept_since())


def job_file_of(user: User, pk: int) -> ExportJob:
    """The user's finished job `pk` with its file; ExportJob.DoesNotExist otherwise."""
    job = job_of(user, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise ExportJob.DoesNotExist
    return job


def job_expires_at(job: ExportJob) -> datetime:
    return job.created_at + timedelta(days=settings.EXPORT_RETENTION_DAYS)
