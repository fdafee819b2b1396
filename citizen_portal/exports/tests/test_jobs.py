"""Large exports go through a background job: the owner follows its progress on the job
page, downloads the whole list, and nobody else can; a user has a few jobs at a time; jobs and
files are deleted after the retention days."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from citizen_portal.core import clock
from citizen_portal.exports.models import ExportJob, Format, JobStatus
from citizen_portal.exports.services import jobs as job_service
from citizen_portal.exports.services import writing
from citizen_portal.exports.services.jobs import exports_purge
from citizen_portal.exports.tests.conftest import csv_rows, lodge_many, xlsx_rows


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.EXPORT_MAX_ACTIVE_JOBS = 2
    settings.EXPORT_RETENTION_DAYS = 7
    settings.EXPORT_CHUNK_ROWS = 2


def start(client, query="", file_format="csv"):
    url = reverse("exports:start", args=["inbox"]) + (f"?{query}" if query else "")
    return client.post(url, {"format": file_format})


def download(client, job):
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_large_export_is_written_by_a_job_and_downloads_whole(
    se_client, world, django_capture_on_commit_callbacks
):
    complaints = lodge_many(world, 5)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(se_client, "sort=oldest")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.rows_done == job.total_rows == 5
    assert re.fullmatch(r"exports/[\w-]{32}\.csv", str(job.file.name))  # a name nobody can guess

    page = se_client.get(response["Location"]).content.decode()
    assert "Your file is ready: 5 complaints." in page
    assert reverse("exports:download", args=[job.pk]) in page
    assert 'hx-trigger="every 2s"' not in page  # finished: the page stops asking

    rows = csv_rows(download(se_client, job))
    assert [row[0] for row in rows[1:]] == [c.reference for c in complaints]
    listed = se_client.get(reverse("exports:jobs")).content.decode()
    assert job.download_name in listed


def test_progress_is_recorded_a_chunk_at_a_time(
    se_client, world, django_capture_on_commit_callbacks, monkeypatch
):
    lodge_many(world, 5)
    seen: list[tuple[int, int, str]] = []
    write = writing.listing_write

    def watched(listing, out, *, progress, **options):
        def observe(done):
            progress(done)
            job = ExportJob.objects.get()  # what the job page shows at that moment
            seen.append((job.rows_done, job.total_rows, job.status))

        return write(listing, out, progress=observe, **options)

    monkeypatch.setattr(job_service, "listing_write", watched)
    with django_capture_on_commit_callbacks(execute=True):
        start(se_client, file_format="xlsx")
    assert seen == [(2, 5, "running"), (4, 5, "running"), (5, 5, "running")]
    rows = xlsx_rows(download(se_client, ExportJob.objects.get()))
    assert len(rows) == 6


def test_the_job_page_polls_while_the_file_is_written(se_client, world):
    now = clock.now()
    job = ExportJob.objects.create(
        owner=world.officers.se,
        source="inbox",
        format=Format.CSV,
        status=JobStatus.RUNNING,
        total_rows=4000,
        rows_done=1000,
        download_name="inbox.csv",
        created_at=now,
        heartbeat_at=now,
    )
    url = reverse("exports:job", args=[job.pk])
    page = se_client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<progress max="4000" value="1000">' in page
    part = se_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<div id="export-job"')
    assert "1000 of 4000 complaints written" in part
    assert se_client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_another_user_gets_404_for_the_job_and_its_file(
    se_client, world, client, django_capture_on_commit_callbacks
):
    lodge_many(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        start(se_client)
    job = ExportJob.objects.get()
    se_client.logout()
    client.force_login(world.officers.ceo)  # the engineer's own supervisor
    assert client.get(reverse("exports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    client.force_login(world.citizen)
    assert client.get(reverse("exports:job", args=[job.pk])).status_code == 403
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 403


def test_a_user_has_only_a_few_exports_running_at_a_time(se_client, world):
    lodge_many(world, 3)
    # Without the commit callbacks the jobs stay queued, as behind a busy worker.
    assert start(se_client).status_code == 302
    assert start(se_client).status_code == 302
    refused = start(se_client)
    assert refused.status_code == 429
    assert "You already have 2 exports being written" in refused.content.decode()
    assert ExportJob.objects.count() == 2
    small = start(se_client, "channel=phone")  # nothing to wait for: still allowed
    assert small.status_code == 200


def test_jobs_and_files_are_deleted_after_the_retention_days(
    se_client, world, travel, django_capture_on_commit_callbacks
):
    lodge_many(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        start(se_client)
    job = ExportJob.objects.get()
    name = str(job.file.name)
    assert default_storage.exists(name)

    travel(days=6)
    assert exports_purge() == 0
    assert se_client.get(reverse("exports:job", args=[job.pk])).status_code == 200

    travel(days=1, minutes=1)
    # Past the retention the file is gone for its owner at once, whenever the sweep runs.
    assert se_client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    assert exports_purge() == 1
    assert not default_storage.exists(name)
    assert not ExportJob.objects.exists()


def test_a_job_whose_worker_died_stops_counting_against_the_limit(se_client, world, travel):
    lodge_many(world, 3)
    start(se_client)
    start(se_client)
    travel(minutes=31)
    exports_purge()
    assert set(ExportJob.objects.values_list("status", flat=True)) == {JobStatus.FAILED}
    died = ExportJob.objects.earliest("pk")
    page = se_client.get(reverse("exports:job", args=[died.pk]))
    assert "Something went wrong while writing the file." in page.content.decode()
    assert start(se_client).status_code == 302


def test_a_job_left_running_by_a_worker_that_died_is_written_by_the_next_delivery(
    se_client, world, travel, settings
):
    settings.EXPORT_TAKEOVER_SECONDS = 120
    complaints = lodge_many(world, 3)
    start(se_client)  # queued: the worker is busy
    job = ExportJob.objects.get()
    # A worker claims it, writes a chunk and is killed: the job is left running.
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, rows_done=2)

    # The task queue gives the task to another worker soon after (core/task_queue.py). The
    # job was heard from moments ago, so that delivery looks again when the silence counts.
    travel(seconds=30)
    wait = job_service.export_job_run(job.pk)
    assert wait is not None
    assert 85 <= wait.total_seconds() <= 90
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (JobStatus.RUNNING, 2)

    travel(seconds=wait.total_seconds())
    assert job_service.export_job_run(job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.rows_done == job.total_rows == 3
    rows = csv_rows(download(se_client, job))
    assert sorted(row[0] for row in rows[1:]) == sorted(c.reference for c in complaints)
    # One more delivery of the same task finds the job done and leaves it alone.
    assert job_service.export_job_run(job.pk) is None
    assert ExportJob.objects.get().file == job.file


def test_a_job_for_a_list_the_user_can_no_longer_see_fails_cleanly(
    client, world, sms_outbox, django_capture_on_commit_callbacks
):
    from citizen_portal.complaints.tests.factories import lodge
    from citizen_portal.directory.models import PositionHolding

    for _ in range(3):
        lodge(world, category=world.supply)
    client.force_login(world.officers.focal)
    url = reverse("exports:start", args=["focal"]) + "?queue=triage"
    client.post(url, {"format": "csv"})  # queued: the worker is busy
    job = ExportJob.objects.get()
    PositionHolding.objects.filter(user=world.officers.focal).update(ended_at=clock.now())
    job_service.export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert not job.file
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "You can no longer see this list." in page
    assert job.finished_at is not None


def test_a_job_writes_in_the_language_it_was_asked_in(
    se_client, world, django_capture_on_commit_callbacks
):
    lodge_many(world, 3)
    world.overbilling.name_ur = "زائد بلنگ"
    world.overbilling.save()
    url = reverse("exports:start", args=["inbox"])
    with django_capture_on_commit_callbacks(execute=True):
        se_client.post(url, {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="ur")
    rows = xlsx_rows(download(se_client, ExportJob.objects.get()))
    assert rows[0][0] != "Reference"
    assert [row[3] for row in rows[1:]] == ["زائد بلنگ"] * 3
