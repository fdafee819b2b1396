"""The citizens' complaint endpoints, as the mobile app uses them: lodge (JSON or with files,
retried safely with an Idempotency-Key), list and read their own complaints and nobody else's,
follow the timeline without the officers' internal notes, answer the office, give feedback.
Whatever is sent, the answer is never a server error."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from citizen_portal.api.serializers_complaints import ComplaintSerializer
from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Complaint, Kind, Status
from citizen_portal.complaints.services.officer_actions import (
    complaint_remark,
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.complaints.tests.factories import lodge

pytestmark = pytest.mark.django_db(transaction=True)

COMPLAINTS = "/api/v1/complaints/"


def details(**extra):
    return {
        "category": "FED-LESCO.BILL.OVER",
        "area": "PK-PB-LHR-LHR",
        "subject": "Bill three times the usual",
        "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
        **extra,
    }


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def detail_of(api, reference):
    response = api.get(f"{COMPLAINTS}{reference}/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_citizen_lodges_a_complaint_and_sees_the_post_it_went_to_never_the_officer(
    world, sms_outbox
):
    api = api_for(world.citizen)
    response = api.post(COMPLAINTS, details(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.ASSIGNED
    assert body["assigned_to"] == {
        "title": "Superintending Engineer",
        "office": "LESCO Lahore Circle",
    }
    assert body["category"]["code"] == "FED-LESCO.BILL.OVER"
    assert body["due_on"] is not None
    assert body["allowed_actions"] == []
    assert "lesco.se" not in json.dumps(body)  # the officer holding the post is never named
    complaint = Complaint.objects.get(reference=body["reference"])
    assert complaint.citizen == world.citizen
    assert complaint.channel == "app"
    assert detail_of(api, body["reference"].lower())["reference"] == body["reference"]


def test_the_answers_keep_the_documented_forms_of_moments_days_and_places(world, sms_outbox):
    """The complaint's JSON is built directly, not by its serializer: it must still be what
    the OpenAPI schema documents (moments in Pakistan's time with their offset, days as ISO
    dates, coordinates as numbers), on the lodging's answer and on every later read."""
    api = api_for(world.citizen)
    place = details(latitude="31.520370", longitude="74.358749", share_location=True)
    lodged = api.post(COMPLAINTS, place, format="json")
    assert lodged.status_code == 201, lodged.json()
    body = lodged.json()
    complaint = Complaint.objects.get(reference=body["reference"])
    assert body["lodged_at"] == timezone.localtime(complaint.created_at).isoformat()
    assert body["lodged_at"].endswith("+05:00")
    assert complaint.due_on is not None
    assert body["due_on"] == complaint.due_on.isoformat()
    assert (body["latitude"], body["longitude"]) == (31.52037, 74.358749)
    assert ComplaintSerializer(body).data == body  # every documented field, in its form
    assert detail_of(api, complaint.reference) == body
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Corrected.")
    resolved = detail_of(api, complaint.reference)
    complaint.refresh_from_db()
    assert resolved["resolved_at"] == timezone.localtime(complaint.resolved_at).isoformat()
    assert resolved["expected_on"] is None
    assert resolved["closed_at"] is None
    assert ComplaintSerializer(resolved).data == resolved


def test_a_suggestion_goes_to_the_departments_focal_post(world, sms_outbox):
    api = api_for(world.citizen)
    response = api.post(COMPLAINTS, details(kind="suggestion"), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == Status.RECEIVED
    assert response.json()["assigned_to"]["title"] == "Complaint Cell"


def test_a_citizen_lodges_with_a_photo_and_the_timeline_links_to_it(world, sms_outbox):
    api = api_for(world.citizen)
    photo = SimpleUploadedFile("meter.png", png(), content_type="image/png")
    response = api.post(COMPLAINTS, details(files=[photo]), format="multipart")
    assert response.status_code == 201, response.json()
    reference = response.json()["reference"]
    timeline = api.get(f"{COMPLAINTS}{reference}/timeline/").json()["events"]
    lodged = timeline[0]
    assert lodged["action"] == "lodge"
    [attachment] = lodged["attachments"]
    assert attachment["name"] == "meter.png"
    assert attachment["file_kind"] == "image"
    # The app downloads it with its token; nobody else's token opens it.
    served = api.get(attachment["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    refused = api_for(world.other_citizen).get(attachment["url"])
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"


def test_a_file_the_portal_does_not_accept_refuses_the_whole_submission(world, sms_outbox):
    api = api_for(world.citizen)
    fake = SimpleUploadedFile("meter.png", b"MZ\x90\x00 a program", content_type="image/png")
    response = api.post(COMPLAINTS, details(files=[fake]), format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "attachment_type"
    assert not Complaint.objects.exists()


def test_a_retry_with_the_same_idempotency_key_gets_the_same_complaint(world, sms_outbox):
    api = api_for(world.citizen)
    key = "3f1e9c2a-7d4b-4a8e-9f00-1234567890ab"
    first = api.post(COMPLAINTS, details(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = api.post(COMPLAINTS, details(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert Complaint.objects.count() == 1
    # The same key with other content is a mistake, not a retry: refused, nothing lodged.
    changed = details(subject="Another problem")
    other = api.post(COMPLAINTS, changed, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    bad = api.post(COMPLAINTS, details(), format="json", HTTP_IDEMPOTENCY_KEY="no good!")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_idempotency_key"
    assert Complaint.objects.count() == 1


def test_unknown_codes_and_refusals_of_the_service_are_explained(world, sms_outbox):
    api = api_for(world.citizen)
    unknown = api.post(COMPLAINTS, details(category="NOPE", area="PK-XX"), format="json")
    assert unknown.status_code == 400
    assert set(unknown.json()["error"]["fields"]) == {"category", "area"}
    # A province is not a district: the lodging service refuses it, as on the web.
    province = api.post(COMPLAINTS, details(area="PK-PB"), format="json")
    assert province.status_code == 400
    assert province.json()["error"]["message"] == "Please choose a district."
    half = api.post(COMPLAINTS, details(latitude=31.5, share_location=True), format="json")
    assert half.status_code == 400
    assert not Complaint.objects.exists()


def test_a_citizen_never_sees_another_citizens_complaint(world, sms_outbox):
    complaint = lodge(world)
    stranger = api_for(world.other_citizen)
    base = f"{COMPLAINTS}{complaint.reference}/"
    assert stranger.get(base).status_code == 404
    assert stranger.get(f"{base}timeline/").status_code == 404
    answer = stranger.post(f"{base}answer/", {"answer": "Here it is"}, format="json")
    assert answer.status_code == 404
    feedback = {"satisfied": True, "rating": 5}
    assert stranger.post(f"{base}feedback/", feedback, format="json").status_code == 404
    assert stranger.get(COMPLAINTS).json()["results"] == []
    assert stranger.get(f"{COMPLAINTS}PB-2026-0000001-X/").json()["error"]["code"] == "not_found"


def test_officers_and_strangers_are_turned_away_from_the_citizens_endpoints(world):
    officer = api_for(world.officers.se)
    refused = officer.get(COMPLAINTS)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "wrong_account"
    anonymous = APIClient().get(COMPLAINTS)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")


def test_the_citizen_answers_the_office_with_a_document_and_its_time_runs_again(world, sms_outbox):
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint,
        officer=world.officers.se,
        question="Please send a photo of your meter reading.",
    )
    api = api_for(world.citizen)
    asked = detail_of(api, complaint.reference)
    assert asked["status"] == Status.AWAITING_CITIZEN
    assert asked["paused"] is True
    assert asked["due_on"] is None
    assert asked["question"] == "Please send a photo of your meter reading."
    assert asked["info_due_on"] is not None
    assert asked["allowed_actions"] == ["answer"]
    photo = SimpleUploadedFile("reading.png", png(), content_type="image/png")
    url = f"{COMPLAINTS}{complaint.reference}/answer/"
    answered = api.post(
        url, {"answer": "The meter reads 04521.", "files": [photo]}, format="multipart"
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == Status.ASSIGNED
    assert answered.json()["paused"] is False
    assert answered.json()["allowed_actions"] == []
    events = api.get(f"{COMPLAINTS}{complaint.reference}/timeline/").json()["events"]
    assert events[-1]["action"] == "provide_info"
    assert events[-1]["attachments"][0]["name"] == "reading.png"
    # Nothing is asked any more: a second answer is refused for the state it is in.
    again = api.post(url, {"answer": "And again."}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"


def test_the_citizen_confirms_a_resolution_and_the_complaint_closes(world, sms_outbox):
    complaint = lodge(world)
    complaint_resolve(
        complaint=complaint, officer=world.officers.se, remark="The bill was corrected."
    )
    api = api_for(world.citizen)
    resolved = detail_of(api, complaint.reference)
    assert resolved["status"] == Status.RESOLVED
    assert resolved["outcome"] == "relief_granted"
    assert resolved["allowed_actions"] == ["feedback"]
    url = f"{COMPLAINTS}{complaint.reference}/feedback/"
    closed = api.post(url, {"satisfied": True, "rating": 5, "comment": "Thanks"}, format="json")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == Status.CLOSED
    assert closed.json()["closed_at"] is not None
    late = api.post(url, {"satisfied": False, "rating": 1}, format="json")
    assert late.status_code == 409


def test_a_dispute_sent_as_form_data_must_say_whether_the_citizen_is_satisfied(world, sms_outbox):
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    api = api_for(world.citizen)
    url = f"{COMPLAINTS}{complaint.reference}/feedback/"
    # Form data leaves out what is false; an appeal is never assumed from a missing field.
    missing = api.post(url, {"rating": "2"}, format="multipart")
    assert missing.status_code == 400
    assert "satisfied" in missing.json()["error"]["fields"]
    disputed = api.post(url, {"satisfied": "false", "rating": "2"}, format="multipart")
    assert disputed.status_code == 200
    body = disputed.json()
    # The appeal goes one level above the post that resolved it.
    assert body["status"] == Status.ASSIGNED
    assert body["assigned_to"]["title"] == "Chief Executive Officer"
    assert body["dispute_count"] == 1


def test_the_citizens_timeline_shows_remarks_but_never_internal_notes(world, sms_outbox):
    complaint = lodge(world)
    se = world.officers.se
    complaint_remark(complaint=complaint, officer=se, remark="We are checking the meter.")
    complaint_remark(
        complaint=complaint, officer=se, remark="Meter reader suspected", internal=True
    )
    api = api_for(world.citizen)
    response = api.get(f"{COMPLAINTS}{complaint.reference}/timeline/")
    events = response.json()["events"]
    assert [e["action"] for e in events] == ["lodge", "auto_route", "remark"]
    assert events[-1]["quotes"] == [{"label": "Remark", "text": "We are checking the meter."}]
    assert "Meter reader suspected" not in response.content.decode()
    assert "internal" not in events[-1]


def test_the_list_filters_and_pages_newest_first(world, sms_outbox):
    api = api_for(world.citizen)
    references = []
    for n in range(3):
        kind = Kind.SUGGESTION if n == 1 else Kind.COMPLAINT
        posted = api.post(COMPLAINTS, details(kind=kind, subject=f"Problem {n}"), format="json")
        references.append(posted.json()["reference"])
    newest_first = list(reversed(references))
    first = api.get(COMPLAINTS, {"page_size": 2}).json()
    assert [c["reference"] for c in first["results"]] == newest_first[:2]
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    assert [c["reference"] for c in second["results"]] == newest_first[2:]
    assert second["next"] is None
    back = api.get(second["previous"]).json()
    assert [c["reference"] for c in back["results"]] == newest_first[:2]
    suggestions = api.get(COMPLAINTS, {"kind": "suggestion"}).json()["results"]
    assert [c["reference"] for c in suggestions] == [references[1]]
    received = api.get(COMPLAINTS, {"status": "received"}).json()["results"]
    assert [c["reference"] for c in received] == [references[1]]
    for junk in [{"status": "happy"}, {"page_size": "0"}, {"cursor": "!!"}, {"kind": "x" * 999}]:
        refused = api.get(COMPLAINTS, junk)
        assert refused.status_code == 400, junk


def test_a_forged_cursor_is_refused_not_crashed_on(world, sms_outbox):
    api = api_for(world.citizen)
    lodge(world)
    forged = [
        ["not a date", 1, "f"],
        ["2026-01-01T00:00:00", 1, "f"],  # no time zone
        ["2026-01-01T00:00:00+00:00", 10**30, "f"],
        ["2026-01-01T00:00:00+00:00", 1, "sideways"],
        {"a": 1},
        "text",
    ]
    for value in forged:
        cursor = base64.urlsafe_b64encode(json.dumps(value).encode()).decode()
        response = api.get(COMPLAINTS, {"cursor": cursor})
        assert response.status_code == 400, value
        assert response.json()["error"]["fields"]["cursor"]


def test_listing_costs_the_same_queries_for_many_complaints(
    world, sms_outbox, django_assert_max_num_queries
):
    api = api_for(world.citizen)
    lodge(world)
    with django_assert_max_num_queries(3):
        assert len(api.get(COMPLAINTS).json()["results"]) == 1
    for _ in range(5):
        lodge(world)
    with django_assert_max_num_queries(3):
        assert len(api.get(COMPLAINTS).json()["results"]) == 6


JUNK_BODIES: list[Any] = [
    {},
    [],
    None,
    "a string",
    123,
    {"category": ["FED-LESCO.BILL.OVER"], "area": {"code": "PK-PB-LHR-LHR"}},
    {**details(), "kind": "petition"},
    {**details(), "subject": "x" * 10_000},
    {**details(), "description": "\x00" * 50},
    {**details(), "subject": "\ud800 broken surrogate"},
    {**details(), "latitude": "north", "longitude": 1e308},
    {**details(), "latitude": float("nan"), "longitude": 74.3},
    {**details(), "share_location": "maybe"},
    {**details(), "category": "../../etc/passwd", "area": "1 OR 1=1"},
    {"answer": 5, "satisfied": "perhaps", "rating": "1e9", "comment": {"a": 1}},
    {"rating": 10**100, "satisfied": None},
]


def test_junk_is_answered_with_an_error_never_a_server_error(world, sms_outbox, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    # Junk by the hundred from one token: the per-token rate of writes is not what is tested
    # here (test_lodging_limits_api.py tests it).
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "token_write": "1000/min"},
    }
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="Which meter number is it?"
    )
    api = api_for(world.citizen)
    base = f"{COMPLAINTS}{complaint.reference}/"
    for url in [COMPLAINTS, f"{base}answer/", f"{base}feedback/"]:
        for body in JUNK_BODIES:
            raw = json.dumps(body, allow_nan=True)
            response = api.post(url, raw, content_type="application/json")
            assert response.status_code in {400, 409}, (url, body, response.content)
            assert response.json()["error"]["code"]
        broken = api.post(url, '{"subject": ', content_type="application/json")
        assert broken.status_code in {400, 409}
        for content_type in ["text/plain", "application/xml", "application/x-www-form-urlencoded"]:
            other = api.post(url, "subject=x", content_type=content_type)
            assert other.status_code in {409, 415}, (url, content_type)
        boundary = api.post(url, "--x\r\n", content_type="multipart/form-data")
        assert boundary.status_code in {400, 409}
    too_long = json.dumps(details(description="x" * 60_000))
    huge = api.post(COMPLAINTS, too_long, content_type="application/json")
    assert huge.status_code == 413
    assert huge.json()["error"]["code"] == "too_large"
    oversized = api.post(
        COMPLAINTS, b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=10**12
    )
    assert oversized.status_code == 413
    for reference in ["x" * 5000, "PB-2026-0000001-\x00", "../../etc", "%00"]:
        assert api.get(f"{COMPLAINTS}{reference}/").status_code == 404
    assert Complaint.objects.count() == 1
