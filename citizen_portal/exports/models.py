"""An export written in the background: whose it is, what list and filters it reads, how far
it has got, and the file it produced."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")


class Failure(models.TextChoices):
    REFUSED = "refused", _("You can no longer see this list.")
    ERROR = "error", _("Something went wrong while writing the file.")


# The states that count against a user's limit of jobs at a time.
ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class ExportJob(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    # The registered source (services/sources.py) and the list's query string, exactly as the
    # page had it: the worker rebuilds the list from them with the owner's permissions.
    source = models.CharField(max_length=40)
    query = models.TextField(max_length=4000, blank=True, default="")
    format = models.CharField(max_length=4, choices=Format.choices)
    # The language the owner asked in: the file's headings and labels are written in it.
    language = models.CharField(max_length=5, default="en")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    failure = models.CharField(max_length=10, choices=Failure.choices, blank=True, default="")
    total_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # A generated name in the default storage (exports/<random>.<ext>); never the user's input.
    file = models.FileField(upload_to="exports/", max_length=200, blank=True, default="")
    # What the browser saves it as, e.g. inbox-2026-05-01.xlsx.
    download_name = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    # Moved on each chunk written: a job silent for long is a worker that died (services/jobs).
    heartbeat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            # "My exports", newest first, and the count of a user's active jobs.
            models.Index(fields=["owner", "-created_at"], name="export_owner"),
            # The retention sweep: everything older than the retention days.
            models.Index(fields=["created_at"], name="export_created"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.format} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.rows_done * 100 // self.total_rows)
