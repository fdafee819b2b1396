"""A request body larger than any upload may be is refused (413) before it is read: on the site
with a page in the visitor's language that keeps their lodge draft, on the API and Open311 in
their own error formats. Bodies of exactly the limit still go through."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test.client import BOUNDARY, encode_multipart
from django.utils import translation
from django.utils.translation import gettext

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Attachment, Complaint
from citizen_portal.complaints.tests.lodging_steps import SUBJECT, fill_steps, step_url
from citizen_portal.complaints.tests.test_attachments import jpeg
from citizen_portal.core.upload_limit import upload_body_limit

pytestmark = pytest.mark.django_db

# Small limits, so that a body just over them is quick to send: one file of at most 30 KB, and
# 5 KB of form fields besides: the limit is 35,000 bytes.
FILE_MAX = 30_000
FIELDS_MAX = 5_000
LIMIT = FILE_MAX + FIELDS_MAX
# The test client encodes a dict when given its own MULTIPART; this body is ready.
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def small_limits(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ATTACHMENT_MAX_BYTES = settings.ATTACHMENT_MEDIA_MAX_BYTES = FILE_MAX
    settings.ATTACHMENT_MAX_FILES = 1
    settings.ATTACHMENT_TOTAL_MAX_BYTES = 60_000  # more than one file may carry: not the bound
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = FIELDS_MAX


def photo_of(size: int) -> bytes:
    photo = bytes(jpeg(gps=False))
    return photo + bytes(size - len(photo))


def body_of(length: int, fields: dict[str, Any]) -> bytes:
    """A multipart body of exactly `length` bytes: a real photo of the largest size allowed,
    the form's fields, and a padding field to make up the rest."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def encoded(pad: int) -> bytes:
        upload = SimpleUploadedFile("meter.jpg", photo_of(FILE_MAX), "image/jpeg")
        return encode_multipart(BOUNDARY, {**fields, "files": upload, "note": "x" * pad})

    body = encoded(length - len(encoded(0)))
    assert len(body) == length
    return body


def test_the_limit_is_what_one_submission_may_carry_plus_its_fields(settings: Any) -> None:
    # The defaults: 5 files of up to 25 MB would be 125 MB, but 60 MB in all is the bound;
    # plus Django's 2.5 MB for the text fields. Below nginx's client_max_body_size of 64m.
    assert upload_body_limit() == 60 * 1024 * 1024 + 2_621_440
    assert upload_body_limit() < 64 * 1024 * 1024
    settings.ATTACHMENT_MAX_FILES = 2  # 2 x 25 MB is now the bound
    assert upload_body_limit() == 50 * 1024 * 1024 + 2_621_440


@pytest.mark.usefixtures("small_limits")
def test_a_web_upload_over_the_limit_is_refused_unread_and_the_draft_stays(
    client: Any, world: Any, settings: Any
) -> None:
    client.force_login(world.citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    fill_steps(client, world)
    fields = {"action": "upload"}
    at_limit = client.post(step_url("attachments"), body_of(LIMIT, fields), content_type=MULTIPART)
    assert at_limit.status_code == 302
    assert [f["name"] for f in client.session["lodge_draft"]["files"]] == ["meter.jpg"]

    over = client.post(step_url("attachments"), body_of(LIMIT + 1, fields), content_type=MULTIPART)
    assert over.status_code == 413
    page = over.content.decode()
    assert '<html lang="ur" dir="rtl">' in page  # the refusal speaks the visitor's language
    assert "29.3" in page  # the limit on files, 30,000 bytes, as "29.3 KB" in either language
    assert f'href="{step_url("attachments")}"' in page
    draft = client.session["lodge_draft"]  # what was saved before is all still there
    assert draft["subject"] == SUBJECT
    assert [f["name"] for f in draft["files"]] == ["meter.jpg"]
    review = client.get(step_url("review")).content.decode()
    assert SUBJECT in review
    assert "meter.jpg" in review


@pytest.mark.usefixtures("small_limits")
def test_the_refusal_page_in_english(client: Any, world: Any) -> None:
    client.force_login(world.citizen)
    fill_steps(client, world)
    over = client.post(step_url("attachments"), body_of(LIMIT + 1, {"action": "upload"}), MULTIPART)
    assert over.status_code == 413
    page = over.content.decode()
    assert "Files too large" in page
    assert "What you saved before is still there." in page
    # Declared, not sent: had anything tried to read the body, the test client's payload would
    # have failed ("Cannot read more than the available bytes").
    unread = client.post(step_url("attachments"), b"", MULTIPART, CONTENT_LENGTH=str(10**12))
    assert unread.status_code == 413


@pytest.mark.usefixtures("small_limits")
def test_the_api_and_open311_refuse_in_their_own_formats(client: Any, world: Any) -> None:
    with translation.override("ur"):
        too_large = gettext("The request is too large.")
    api = api_for(world.citizen)
    body = body_of(LIMIT + 1, {"category": world.overbilling.code, "area": world.lahore.code})
    answer = api.post(
        "/api/v1/complaints/", body, content_type=MULTIPART, HTTP_ACCEPT_LANGUAGE="ur"
    )
    assert answer.status_code == 413
    assert answer.json()["error"] == {"code": "too_large", "message": too_large, "fields": {}}
    for path, shape in [("requests.json", "application/json"), ("requests.xml", "text/xml")]:
        refused = client.post(f"/open311/v2/{path}", body, content_type=MULTIPART)
        assert refused.status_code == 413
        assert refused["Content-Type"].startswith(shape)
        assert b"413" in refused.content
    assert not Complaint.objects.exists()
    assert not Attachment.objects.exists()


def test_django_reads_uploads_within_bounds(settings: Any) -> None:
    """The settings Django parses a form with: text fields, field and file counts bounded;
    files over 2.5 MB spooled to disk, not held in memory; and the proxy in front accepts a
    body of the portal's limit (a lower proxy limit would answer its own 413 page)."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is not None
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES is not None
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES >= settings.ATTACHMENT_MAX_FILES
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    nginx = (settings.BASE_DIR / "deploy" / "nginx" / "citizen-portal.conf").read_text()
    found = re.search(r"client_max_body_size (\d+)m;", nginx)
    assert found is not None
    megabytes = int(found.group(1))
    assert megabytes * 1024 * 1024 >= upload_body_limit()


@pytest.mark.usefixtures("small_limits")
def test_the_way_back_is_the_page_the_form_was_on_never_another_site(
    client: Any, world: Any
) -> None:
    client.force_login(world.officers.se)
    body = body_of(LIMIT + 1, {"remark": "Meter re-read."})
    act = "/work/PB-2026-0000001/act/resolve/"
    page = "http://testserver/work/PB-2026-0000001/"
    own = client.post(act, body, MULTIPART, headers={"referer": page})
    assert own.status_code == 413
    assert f'href="{page}"' in own.content.decode()
    other = client.post(act, body, MULTIPART, headers={"referer": "https://evil.example/x"})
    assert "evil.example" not in other.content.decode()
    assert f'href="{act}"' in other.content.decode()
