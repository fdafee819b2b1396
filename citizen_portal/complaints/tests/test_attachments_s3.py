"""Attachments in S3-compatible object storage (STORAGE_S3_BUCKET), against moto's S3 server
on localhost: a photo lodged on the web lands in the bucket, privately, and reaches only those
who may see it; when the object store is down the citizen is told, and keeps what they wrote."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.services.lodge_drafts import lodge_drafts_purge
from citizen_portal.complaints.tests.lodging_steps import (
    DESCRIPTION,
    SUBJECT,
    lodge_on_the_web,
    step_url,
)

pytestmark = pytest.mark.django_db

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
OUTAGE = "The portal cannot store or read attached files just now."


def photo(name: str = "meter.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _download(client, url):
    response = client.get(url)
    return response.status_code, b"".join(response.streaming_content) if response.streaming else b""


def test_a_photo_lodged_on_the_web_is_kept_privately_in_the_bucket_and_served_to_the_owner(
    client, world, object_store, settings
):
    client.force_login(world.citizen)
    response = lodge_on_the_web(client, world, files=[photo()])
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:detail", args=[complaint.reference])

    stored = complaint.attachments.get()
    # In the bucket under its generated name, with the bytes whose hash the timeline records;
    # the draft's copy is gone, and nothing was written to the local disk instead.
    assert object_store.keys("attachments/") == [stored.file.name]
    in_bucket = object_store.read(stored.file.name)
    assert hashlib.sha256(in_bucket).hexdigest() == stored.sha256
    assert object_store.keys("lodge-drafts/") == []
    assert not settings.MEDIA_ROOT.exists()
    # Private: the ACL grants nothing to the public or to any AWS account but the owner.
    assert ALL_USERS not in object_store.grantees(stored.file.name)
    assert AUTHENTICATED_USERS not in object_store.grantees(stored.file.name)

    url = reverse("complaints:attachment", args=[stored.pk])
    assert _download(client, url) == (200, in_bucket)
    client.force_login(world.officers.se)  # the officer holding the post
    assert _download(client, url) == (200, in_bucket)


def test_a_stranger_gets_404_for_a_file_in_the_bucket(client, world, object_store):
    client.force_login(world.citizen)
    lodge_on_the_web(client, world, files=[photo()])
    url = reverse("complaints:attachment", args=[Complaint.objects.get().attachments.get().pk])
    for outsider in (world.other_citizen, world.stranger):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def _steps_before_files(client, world):
    client.force_login(world.citizen)
    what = {"department": world.lesco.pk, "category": world.overbilling.pk}
    for step, data in [
        ("what", what),
        ("where", {"district": world.lahore.pk}),
        ("details", {"subject": SUBJECT, "description": DESCRIPTION}),
    ]:
        assert client.post(step_url(step), {**data, "action": "next"}).status_code == 302


def test_attaching_a_file_while_the_object_store_is_down_says_so_and_keeps_the_draft(
    client, world, failing_object_store
):
    _steps_before_files(client, world)
    failing_object_store.server.stop()

    response = client.post(step_url("attachments"), {"files": [photo()], "action": "next"})
    assert response.status_code == 200  # the step again, not a server error
    assert OUTAGE in response.content.decode()
    details = client.get(step_url("details")).content.decode()
    assert SUBJECT in details
    assert "Rs 45,000" in details
    assert not Complaint.objects.exists()


def test_sending_a_draft_whose_files_cannot_be_read_keeps_it_for_later(
    client, world, failing_object_store
):
    _steps_before_files(client, world)
    assert client.post(step_url("attachments"), {"files": [photo()], "action": "next"})
    review = client.get(step_url("review")).content.decode()
    key = review.split('name="idempotency_key" value="')[1].split('"')[0]
    failing_object_store.server.stop()

    response = client.post(step_url("review"), {"idempotency_key": key})
    assert response.status_code == 400
    page = response.content.decode()
    assert OUTAGE in page
    assert SUBJECT in page  # the review, with the draft still on it
    assert not Complaint.objects.exists()


def test_a_file_asked_for_while_the_object_store_is_down_is_a_503_that_says_why(
    client, world, failing_object_store
):
    client.force_login(world.citizen)
    lodge_on_the_web(client, world, files=[photo()])
    url = reverse("complaints:attachment", args=[Complaint.objects.get().attachments.get().pk])
    failing_object_store.server.stop()

    response = client.get(url)
    assert response.status_code == 503
    assert OUTAGE in response.content.decode()
    assert response["Retry-After"] == "60"


def test_the_app_lodging_with_a_photo_while_the_object_store_is_down_is_told_to_retry(
    world, failing_object_store
):
    failing_object_store.server.stop()
    api = api_for(world.citizen)
    response = api.post(
        "/api/v1/complaints/",
        {
            "category": "FED-LESCO.BILL.OVER",
            "area": "PK-PB-LHR-LHR",
            "subject": SUBJECT,
            "description": DESCRIPTION,
            "files": [photo()],
        },
        format="multipart",
    )
    assert response.status_code == 503  # try again later: nothing was wrong with the request
    assert response.json()["error"]["code"] == "storage_unavailable"
    assert OUTAGE in response.json()["error"]["message"]
    assert not Complaint.objects.exists()  # the whole lodge rolled back


def test_files_of_a_draft_given_up_are_deleted_from_the_bucket_by_the_sweep(
    client, world, object_store
):
    _steps_before_files(client, world)
    client.post(step_url("attachments"), {"files": [photo()], "action": "upload"})
    [staged] = object_store.keys("lodge-drafts/")
    assert staged.startswith(f"lodge-drafts/{world.citizen.pk}/")

    assert lodge_drafts_purge(now=timezone.now() + timedelta(hours=1)) == 0  # still in use
    assert lodge_drafts_purge(now=timezone.now() + timedelta(hours=25)) == 1
    assert object_store.keys("lodge-drafts/") == []
