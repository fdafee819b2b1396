"""An export job's file in S3-compatible object storage (STORAGE_S3_BUCKET), against moto's
S3 server on localhost: written to the bucket, downloaded whole by its owner only, and deleted
from the bucket after the retention days."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from citizen_portal.exports.models import ExportJob, JobStatus
from citizen_portal.exports.services.jobs import exports_purge
from citizen_portal.exports.tests.conftest import csv_rows, lodge_many

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.EXPORT_RETENTION_DAYS = 7
    settings.EXPORT_CHUNK_ROWS = 2


def test_an_export_file_is_written_to_the_bucket_and_downloads_whole_for_its_owner_only(
    se_client, world, object_store, django_capture_on_commit_callbacks, travel
):
    complaints = lodge_many(world, 5)
    with django_capture_on_commit_callbacks(execute=True):
        se_client.post(reverse("exports:start", args=["inbox"]), {"format": "csv"})
    job = ExportJob.objects.get()
    assert job.status == JobStatus.DONE
    assert object_store.keys("exports/") == [job.file.name]

    response = se_client.get(reverse("exports:download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    assert content == object_store.read(job.file.name)
    assert sorted(row[0] for row in csv_rows(content)[1:]) == sorted(
        c.reference for c in complaints
    )
    other = Client()
    other.force_login(world.officers.ceo)
    assert other.get(reverse("exports:download", args=[job.pk])).status_code == 404

    travel(days=8)
    assert exports_purge() == 1
    assert object_store.keys("exports/") == []
