"""Exporting a list: at once when it is small, by a background job when it is large; running
the job a chunk at a time; and deleting jobs and files after the retention days.

Settings: EXPORT_INLINE_MAX_ROWS (the largest list written during the request),
EXPORT_MAX_ACTIVE_JOBS (jobs waiting or running per user), EXPORT_RETENTION_DAYS (how long a
job and its file are kept).
"""

from __future__ import annotations

import io
import logging
import secrets
import tempfile
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citizen_portal.accounts.models import User
from citizen_portal.audit.models import AuditAction
from citizen_portal.audit.services.records import record
from citizen_portal.core import clock
from citizen_portal.core.db_router import reading_from_replica
from citizen_portal.exports.models import ACTIVE_STATUSES, ExportJob, Failure, Format, JobStatus
from citizen_portal.exports.services.sources import ExportRefused, Listing, source_named
from citizen_portal.exports.services.writing import CONTENT_TYPES, listing_write

logger = logging.getLogger(__name__)

# A running job whose worker has not recorded progress for this long has died.
STALE_AFTER = timedelta(minutes=30)
# The page's own paging parameters: an export is always of the whole list.
PAGING_PARAMS = ("cursor", "page")
QUERY_MAX = 2000


@dataclass(frozen=True)
class Download:
    """A file written during the request."""

    content: bytes
    filename: str
    content_type: str


def _download_name(listing: Listing, file_format: str) -> str:
    return f"{listing.stem}-{clock.today().isoformat()}.{file_format}"


def _query_of(params: QueryDict) -> str:
    query = params.copy()
    for name in PAGING_PARAMS:
        query.pop(name, None)
    return query.urlencode()


def export_request(
    *, user: User, source_name: str, params: QueryDict, file_format: str
) -> Download | ExportJob:
    """The user's export of a list as the page shows it to them: the file itself when the
    list is small, otherwise a queued job. Raises UnknownSource, or ExportRefused (a user who
    may not see the list, a filter the page refuses, too many jobs at once)."""
    if file_format not in Format.values:
        raise ExportRefused(_("Choose CSV or Excel."))
    query = _query_of(params)
    if len(query) > QUERY_MAX:
        raise ExportRefused(_("These filters are too long to export."))
    source = source_named(source_name)
    # The rows are read from the read replica when there is one (core/db_router.py).
    with reading_from_replica():
        listing = source.listing(user, QueryDict(query))
        if listing.complaints.count() <= settings.EXPORT_INLINE_MAX_ROWS:
            out = io.BytesIO()
            listing_write(
                listing, out, file_format=file_format, chunk_size=settings.EXPORT_CHUNK_ROWS
            )
            download = Download(
                content=out.getvalue(),
                filename=_download_name(listing, file_format),
                content_type=CONTENT_TYPES[file_format],
            )
            _audit_export(user, source.name, file_format, query, delivery="inline")
            return download
    job = _job_create(
        user=user,
        source_name=source.name,
        query=query,
        file_format=file_format,
        download_name=_download_name(listing, file_format),
    )
    _audit_export(user, source.name, file_format, query, delivery="job", job=job)
    return job


def _audit_export(
    user: User,
    source: str,
    file_format: str,
    query: str,
    *,
    delivery: str,
    job: ExportJob | None = None,
) -> None:
    """Who took which list out of the portal, filtered how (ASVS V16: exports are logged)."""
    details = {"source": source, "format": file_format, "filters": query, "delivery": delivery}
    record(AuditAction.EXPORT_STARTED, actor=user, target=job, target_label=source, details=details)


def export_downloaded(*, user: User, job: ExportJob) -> None:
    """A finished job's file handed to its owner: recorded each time it is fetched."""
    details = {"source": job.source, "format": job.format}
    record(
        AuditAction.EXPORT_DOWNLOADED,
        actor=user,
        target=job,
        target_label=job.download_name,
        details=details,
    )


def _job_create(
    *, user: User, source_name: str, query: str, file_format: str, download_name: str
) -> ExportJob:
    from citizen_portal.exports.tasks import run_export

    limit = settings.EXPORT_MAX_ACTIVE_JOBS
    with transaction.atomic():
        # The user's row is the lock: two clicks at once cannot both pass the count.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        now = clock.now()
        # A job silent for STALE_AFTER has lost its worker: it no longer holds a place (the
        # sweep marks it failed).
        active = ExportJob.objects.filter(
            owner=user, status__in=ACTIVE_STATUSES, heartbeat_at__gte=now - STALE_AFTER
        ).count()
        if active >= limit:
            raise ExportRefused(
                ngettext(
                    "You already have %(n)d export being written. Wait for it to finish, "
                    "then try again.",
                    "You already have %(n)d exports being written. Wait for one to finish, "
                    "then try again.",
                    active,
                )
                % {"n": active},
                code="busy",
            )
        job = ExportJob.objects.create(
            owner=user,
            source=source_name,
            query=query,
            format=file_format,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            download_name=download_name,
            created_at=now,
            heartbeat_at=now,
        )
        job_id = job.pk
        transaction.on_commit(lambda: run_export(job_id))
    return job


def _fail(job_id: int, failure: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, failure=failure, finished_at=clock.now()
    )


def export_job_run(job_id: int) -> timedelta | None:
    """The worker's side of a job. Returns None when the job is settled (done, failed, or
    written by this call), or how long to wait before looking again when another worker seems
    to hold it. Steps:

    1. Claim the job (queued → running, one row changed). A job left running by a worker that
       has been silent for EXPORT_TAKEOVER_SECONDS is claimed too: its worker died part-way
       (the task queue gives a dead consumer's tasks to another, core/task_queue.py), and the
       job starts again from the first row. A job running and recently heard from belongs to
       a live worker (or to one that has just died): look again once the silence would count.
    2. Rebuild the list with the owner's permissions as they are now, in the owner's language.
    3. Write it to a temporary file a chunk at a time, recording progress after each chunk.
       Steps 2 and 3 read from the read replica when there is one; the job's row is always
       written on the primary.
    4. Store the file under a random name in the default storage, and mark the job done.
    A failure marks the job failed (the owner is told on the job page) and never leaves a
    half-written file in the storage."""
    now = clock.now()
    takeover = timedelta(seconds=settings.EXPORT_TAKEOVER_SECONDS)
    claimable = Q(status=JobStatus.QUEUED) | Q(
        status=JobStatus.RUNNING, heartbeat_at__lt=now - takeover
    )
    claimed = ExportJob.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RUNNING, heartbeat_at=now
    )
    if not claimed:
        heard = (
            ExportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING)
            .values_list("heartbeat_at", flat=True)
            .first()
        )
        if heard is None:
            return None
        return max(heard + takeover - now, timedelta(seconds=1))
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    with translation.override(job.language), reading_from_replica():
        try:
            listing = source_named(job.source).listing(job.owner, QueryDict(job.query))
        except (ExportRefused, LookupError):
            _fail(job_id, Failure.REFUSED)
            return None
        try:
            name = _write_and_store(job, listing)
        except Exception:
            logger.exception("export %s failed", job_id)
            _fail(job_id, Failure.ERROR)
            return None
    ExportJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, file=name, finished_at=clock.now(), heartbeat_at=clock.now()
    )
    return None


def _write_and_store(job: ExportJob, listing: Listing) -> str:
    total = listing.complaints.count()
    ExportJob.objects.filter(pk=job.pk).update(total_rows=total)

    def progress(done: int) -> None:
        # Rows that arrive while the job runs can make the list longer than first counted.
        ExportJob.objects.filter(pk=job.pk).update(
            rows_done=done, total_rows=max(total, done), heartbeat_at=clock.now()
        )

    with tempfile.TemporaryFile() as scratch:
        done = listing_write(
            listing,
            scratch,
            file_format=job.format,
            chunk_size=settings.EXPORT_CHUNK_ROWS,
            progress=progress,
        )
        scratch.seek(0)
        name = f"exports/{secrets.token_urlsafe(24)}.{job.format}"
        name = default_storage.save(name, File(scratch, name=name))
    ExportJob.objects.filter(pk=job.pk).update(rows_done=done, total_rows=max(total, done))
    return name


def exports_purge() -> int:
    """The daily sweep. Steps:

    1. Jobs whose worker has been silent for STALE_AFTER are marked failed, so that they stop
       counting against their owner's limit.
    2. Jobs older than EXPORT_RETENTION_DAYS lose their file, then their row (a file the
       storage could not delete keeps its row, and is tried again next time).
    Returns the number of jobs deleted."""
    now = clock.now()
    ExportJob.objects.filter(status__in=ACTIVE_STATUSES, heartbeat_at__lt=now - STALE_AFTER).update(
        status=JobStatus.FAILED, failure=Failure.ERROR, finished_at=now
    )
    cutoff = now - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    deleted = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).only("pk", "file").iterator():
        if job.file.name:
            try:
                default_storage.delete(job.file.name)
            except OSError:
                logger.exception("export %s: the file could not be deleted", job.pk)
                continue
        job.delete()
        deleted += 1
    return deleted
