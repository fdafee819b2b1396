"""The lodge form's steps against wrong and hostile input, and its attachments: every field
refused with a clear message and what was typed kept, never a server error; files checked
when attached, kept with the draft, lodged with the complaint and then deleted."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.services.lodge_drafts import (
    SESSION_KEY,
    STAGING,
    lodge_drafts_purge,
)
from citizen_portal.complaints.tests.lodging_steps import (
    DESCRIPTION,
    fill_steps,
    lodge_on_the_web,
    step_url,
)
from citizen_portal.directory.models import AdminUnit, Department
from citizen_portal.directory.tests.factories import AdminUnitFactory, CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

STEPS = ["what", "where", "details", "attachments", "review"]
HOSTILE = [
    {},
    {"action": "💥", "kind": "petition", "query": "x" * 10_000, "department": "\x00"},
    {"department": "1e9", "category": "-1", "district": "١٢", "tehsil": "abc"},
    {"category": "../../etc/passwd", "district": str(2**70), "against": "'; DROP TABLE x"},
    {"latitude": "NaN", "longitude": "1e999999", "share_location": "maybe"},
    {"latitude": "Infinity", "longitude": "-0", "district": "0"},
    {"subject": "x" * 100_000, "description": "\x00" * 10, "against": "99999999"},
    {"subject": "\u202e" * 10, "description": "💥" * 6000, "action": "back"},
    {"remove": "../../../etc/passwd", "action": "upload"},
    {"idempotency_key": "'\"<>/../" * 20, "action": "next"},
]


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _photo(name: str = "bill.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _staged(media: Path) -> list[Path]:
    return [path for path in (media / STAGING).rglob("*") if path.is_file()]


@pytest.mark.parametrize("data", HOSTILE)
def test_no_step_answers_with_a_server_error_whatever_is_sent(citizen, world, data):
    for when in ["fresh", "complete"]:
        if when == "complete":
            fill_steps(citizen, world)
        for step in STEPS:
            assert citizen.post(step_url(step), data).status_code < 500, (when, step)
            assert citizen.get(step_url(step), data).status_code < 500, (when, step)
    assert Complaint.objects.filter(subject__startswith="x" * 300).count() == 0


def test_a_draft_of_another_shape_in_the_session_is_not_used(citizen, world):
    for forged in [
        "garbage",
        {"v": 1, "owner": world.citizen.pk, "files": [{"path": "/etc/passwd"}]},
        {"v": 1, "owner": world.other_citizen.pk, "key": "k" * 10, "category": 1},
        {"v": 1, "owner": world.citizen.pk, "key": "k" * 10, "done": ["what", "x"]},
    ]:
        session = citizen.session
        session[SESSION_KEY] = forged
        session.save()
        for step in STEPS:
            assert citizen.get(step_url(step)).status_code < 500
        assert citizen.post(step_url("review"), {}).status_code < 500
    assert Complaint.objects.count() == 0


def test_another_departments_category_is_refused(citizen, world):
    wasa_category = CategoryFactory(department=Department.objects.get(code="PB-WASA"))
    data = {"department": world.lesco.pk, "category": wasa_category.pk, "action": "next"}
    page = citizen.post(step_url("what"), data).content.decode()
    assert "That category is not one of this department" in page


def test_a_retired_district_names_its_successor(citizen, world):
    old = AdminUnitFactory(
        code="PK-PB-LHR-OLD", parent=world.lahore.parent, name_en="Old Lahore", depth=3
    )
    old.successors.add(world.kasur)
    AdminUnit.objects.filter(pk=old.pk).update(is_active=False, retired_on=timezone.localdate())
    citizen.post(step_url("what"), {"department": world.lesco.pk, "category": world.billing.pk})
    page = citizen.post(step_url("where"), {"district": old.pk, "action": "next"})
    assert "That district is no longer a unit of its own; please choose Kasur." in (
        page.content.decode()
    )
    assert "Old Lahore" not in page.content.decode()  # not offered


def test_a_tehsil_must_be_one_of_the_districts(citizen, world):
    kasur_tehsil = AdminUnitFactory(
        parent=world.kasur, level=AdminUnit.Level.TEHSIL, name_en="Pattoki", depth=4
    )
    lahore_tehsil = AdminUnitFactory(
        parent=world.lahore, level=AdminUnit.Level.TEHSIL, name_en="Model Town", depth=4
    )
    fill_steps(citizen, world)
    wrong = {"district": world.lahore.pk, "tehsil": kasur_tehsil.pk, "action": "next"}
    assert (
        "Choose a tehsil of the district" in citizen.post(step_url("where"), wrong).content.decode()
    )
    shown = citizen.post(step_url("where"), {"district": world.lahore.pk, "action": "district"})
    assert "Model Town" in citizen.get(shown["Location"]).content.decode()
    lodge_on_the_web(citizen, world, tehsil=lahore_tehsil)
    assert Complaint.objects.get().area == lahore_tehsil


@pytest.mark.parametrize(
    ("point", "message"),
    [
        ({"latitude": "51.5072", "longitude": "-0.1276"}, "This is not a point in Pakistan."),
        ({"latitude": "31.5204", "longitude": ""}, "A location needs both latitude and longitude."),
        ({"latitude": "abc", "longitude": "74.3587"}, "This is not a point in Pakistan."),
    ],
)
def test_a_wrong_point_is_refused_and_kept_to_correct(citizen, world, point, message):
    fill_steps(citizen, world)
    data = {"district": world.lahore.pk, "share_location": "on", **point, "action": "next"}
    page = citizen.post(step_url("where"), data).content.decode()
    assert message in page
    assert f'value="{point["latitude"]}"' in page


def test_a_point_is_kept_only_when_the_citizen_shares_it(citizen, world, sms_outbox):
    point = {"latitude": "31,520370", "longitude": "74.358749"}
    lodge_on_the_web(citizen, world, where={**point, "share_location": "on"})
    shared = Complaint.objects.get()
    assert (shared.latitude, shared.longitude) == (Decimal("31.520370"), Decimal("74.358749"))
    lodge_on_the_web(citizen, world, subject="Second bill wrong", where=point)
    kept = Complaint.objects.exclude(pk=shared.pk).get()
    assert (kept.latitude, kept.longitude, kept.share_location) == (None, None, False)


def test_text_with_a_nul_character_is_refused_with_what_was_typed_kept(citizen, world):
    fill_steps(citizen, world)
    data = {"subject": "Bill\x00wrong", "description": DESCRIPTION, "action": "next"}
    page = citizen.post(step_url("details"), data).content.decode()
    assert "Null characters are not allowed." in page
    assert "My November bill" in page


def test_a_category_retired_after_its_step_sends_the_citizen_back_to_it(citizen, world):
    fill_steps(citizen, world)
    world.overbilling.is_active = False
    world.overbilling.save()
    response = citizen.get(step_url("review"), follow=True)
    assert response.redirect_chain[-1][0] == step_url("what")
    assert "The category you chose is no longer in use." in response.content.decode()
    assert citizen.post(step_url("review"), {}).status_code == 302
    assert Complaint.objects.count() == 0


# --- Attachments --------------------------------------------------------------------------


def test_a_photo_is_attached_listed_removed_and_deleted(citizen, world, media):
    fill_steps(citizen, world)
    attached = citizen.post(
        step_url("attachments"), {"files": [_photo()], "action": "upload"}, follow=True
    )
    page = attached.content.decode()
    assert "bill.jpg" in page
    [path] = _staged(media)
    token = path.name
    citizen.post(step_url("attachments"), {"remove": token})
    assert "bill.jpg" not in citizen.get(step_url("attachments")).content.decode()
    assert _staged(media) == []


def test_a_file_that_is_not_accepted_is_refused_and_nothing_is_kept(citizen, world, media):
    fill_steps(citizen, world)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")
    page = citizen.post(
        step_url("attachments"), {"files": [_photo(), fake], "action": "next"}
    ).content.decode()
    assert "is not a file the portal accepts" in page
    assert _staged(media) == []
    nothing = citizen.post(step_url("attachments"), {"action": "upload"}).content.decode()
    assert "Choose one or more files first." in nothing


def test_the_file_limit_counts_the_files_attached_before(citizen, world, media, settings):
    settings.ATTACHMENT_MAX_FILES = 2
    fill_steps(citizen, world, files=[_photo("one.jpg")])
    page = citizen.post(
        step_url("attachments"), {"files": [_photo("two.jpg"), _photo("three.jpg")]}
    ).content.decode()
    assert "Please attach at most 2 files." in page
    assert len(_staged(media)) == 1


def test_the_attached_photo_is_lodged_with_the_complaint_and_the_draft_copy_deleted(
    citizen, world, media, sms_outbox
):
    response = lodge_on_the_web(citizen, world, files=[_photo()])
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    [attachment] = complaint.attachments.all()
    assert attachment.original_name == "bill.jpg"
    assert _staged(media) == []


def test_a_file_lost_from_the_draft_is_asked_for_again(citizen, world, media):
    key = fill_steps(citizen, world, files=[_photo()])
    for path in _staged(media):
        path.unlink()
    response = citizen.post(step_url("review"), {"idempotency_key": key}, follow=True)
    assert response.redirect_chain[-1][0] == step_url("attachments")
    assert "A file you attached is no longer with your draft." in response.content.decode()
    assert Complaint.objects.count() == 0
    assert "bill.jpg" not in response.content.decode()


def test_files_of_drafts_given_up_are_purged(citizen, world, media):
    fill_steps(citizen, world, files=[_photo()])
    [path] = _staged(media)
    assert lodge_drafts_purge() == 0
    old = time.time() - timedelta(hours=25).total_seconds()
    os.utime(path, (old, old))
    assert lodge_drafts_purge(owner=world.other_citizen.pk) == 0
    assert lodge_drafts_purge() == 1
    assert not default_storage.exists(f"{STAGING}/{world.citizen.pk}/{path.name}")
    call_command("purge_lodge_drafts", stdout=io.StringIO())  # nothing left: no error
