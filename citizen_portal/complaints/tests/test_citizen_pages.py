"""The citizen's pages: lodging (complaint or suggestion, once however often it is sent),
answering an information request, and what the tracking page says about deadlines, appeals,
drops and duplicates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.complaints.models import Complaint, Kind, Status
from citizen_portal.complaints.services.officer_actions import (
    complaint_interim_reply,
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.lodging_steps import fill_steps, lodge_on_the_web, step_url
from citizen_portal.core import clock

pytestmark = pytest.mark.django_db(transaction=True)


def detail_url(complaint) -> str:
    return reverse("complaints:detail", args=[complaint.reference])


def test_submitting_the_same_lodge_form_twice_lodges_one_complaint(client, world, sms_outbox):
    client.force_login(world.citizen)
    key = fill_steps(client, world)
    first = client.post(step_url("review"), {"idempotency_key": key})
    second = client.post(step_url("review"), {"idempotency_key": key})
    complaint = Complaint.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail_url(complaint)
    # The draft is gone with the complaint: a new one is a new submission.
    assert client.get(step_url("review"))["Location"] == step_url("what")
    other_key = fill_steps(client, world)
    assert other_key != key
    client.post(step_url("review"), {"idempotency_key": other_key})
    assert Complaint.objects.count() == 2


def test_a_form_refused_for_bad_input_keeps_its_key_for_the_corrected_submission(
    client, world, sms_outbox
):
    client.force_login(world.citizen)
    key = fill_steps(client, world)
    refused = client.post(
        step_url("details"), {"subject": "", "description": "x" * 30, "action": "next"}
    )
    assert refused.status_code == 200
    assert "This field is required" in refused.content.decode()
    assert fill_steps(client, world, subject="Bill three times the usual, again") == key
    assert Complaint.objects.count() == 0


def test_a_used_form_sent_again_with_new_text_keeps_the_text_and_gets_a_new_key(
    client, world, sms_outbox
):
    """Back button to the details step after lodging, edit, send: not a retry, so not
    silently answered with the first complaint, and the new text is not lost."""
    client.force_login(world.citizen)
    key = fill_steps(client, world)
    client.post(step_url("review"), {"idempotency_key": key})
    first = Complaint.objects.get()
    edited = {"subject": "Street light out for a month", "description": "x" * 30}
    response = client.post(step_url("details"), {**edited, "action": "next"})
    # A new draft: the earlier steps are asked for again, the text is kept.
    assert response["Location"] == step_url("what")
    what = {"department": world.lesco.pk, "category": world.overbilling.pk, "action": "next"}
    client.post(step_url("what"), what)
    client.post(step_url("where"), {"district": world.lahore.pk, "action": "next"})
    assert "Street light out for a month" in client.get(step_url("details")).content.decode()
    fresh = fill_steps(client, world, subject=edited["subject"])
    assert fresh != key
    review = client.get(step_url("review")).content.decode()
    assert "Street light out for a month" in review
    # The first is listed as the citizen's own open complaint on the same matter.
    assert "You already have these open" in review
    assert first.reference in review
    assert client.post(step_url("review"), {"idempotency_key": fresh}).status_code == 302
    assert Complaint.objects.count() == 2


def test_a_garbled_key_still_lodges(client, world, sms_outbox):
    client.force_login(world.citizen)
    fill_steps(client, world)
    response = client.post(step_url("review"), {"idempotency_key": "../"})
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_a_suggestion_is_lodged_acknowledged_and_adopted(client, world, sms_outbox):
    client.force_login(world.citizen)
    page = client.get(reverse("complaints:lodge")).content.decode()
    assert "Suggestion" in page
    response = lodge_on_the_web(
        client,
        world,
        kind="suggestion",
        subject="Print bills in Urdu too",
        description="Many consumers cannot read the English bill; please add Urdu.",
        follow=True,
    )
    assert "Your suggestion has been received." in response.content.decode()
    suggestion = Complaint.objects.get()
    assert (suggestion.kind, suggestion.status) == (Kind.SUGGESTION, Status.RECEIVED)
    assert suggestion.assigned_position == world.positions.focal

    client.force_login(world.officers.focal)
    assert suggestion.reference in client.get(reverse("complaints:inbox")).content.decode()
    work = reverse("complaints:work_detail", args=[suggestion.reference])
    page = client.get(work).content.decode()
    assert 'id="act-acknowledge"' in page
    assert 'id="act-adopt"' not in page  # acknowledged or considered first
    assert 'id="act-resolve"' not in page  # suggestions are not resolved

    def step(action, remark=""):
        url = reverse("complaints:work_act", args=[suggestion.reference, action])
        return client.post(url, {"remark": remark})

    assert step("adopt", "Adopted straight away.").status_code == 403
    assert step("acknowledge").status_code == 302
    response = step("adopt", "Yes.")
    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    assert step("adopt", "Bills will be bilingual from next month.").status_code == 302
    assert Complaint.objects.get().status == Status.ADOPTED

    client.force_login(world.citizen)
    page = client.get(detail_url(suggestion)).content.decode()
    assert "Your suggestion" in page
    assert "Suggestion acknowledged" in page
    assert "Adopted" in page
    assert "Bills will be bilingual from next month." in page


def test_the_citizen_answers_a_request_and_the_complaint_is_back_with_the_office(
    client, world, sms_outbox
):
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="Which meter number is it?"
    )
    client.force_login(world.citizen)
    page = client.get(detail_url(complaint)).content.decode()
    assert "The office needs information from you" in page
    assert "Which meter number is it?" in page
    assert "deadline is paused" in page
    assert 'enctype="multipart/form-data"' in page
    response = client.post(detail_url(complaint), {"answer": "ok"})
    assert response.status_code == 400
    assert "at least 5 characters" in response.content.decode()
    assert Complaint.objects.get().status == Status.AWAITING_CITIZEN
    response = client.post(detail_url(complaint), {"answer": "Meter L-123456."}, follow=True)
    page = response.content.decode()
    assert "Meter L-123456." in page  # on the timeline
    assert "The office needs information from you" not in page
    answered = Complaint.objects.get()
    assert (answered.status, answered.assigned_position) == (Status.ASSIGNED, world.positions.se)
    client.force_login(world.officers.se)
    assert complaint.reference in client.get(reverse("complaints:inbox")).content.decode()


def test_an_answer_nobody_asked_for_changes_nothing(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.citizen)
    response = client.post(detail_url(complaint), {"answer": "Unsolicited details."})
    assert response.status_code == 200
    assert Complaint.objects.get().event_count == complaint.event_count


def test_the_tracking_page_explains_feedback_appeals_and_the_window(
    client, world, sms_outbox, settings
):
    settings.FEEDBACK_WINDOW_DAYS = 9
    complaint = lodge(world)
    complaint_interim_reply(
        complaint=complaint,
        officer=world.officers.se,
        expected_on=clock.today(),
        reason="The meter reader visits today.",
    )
    client.force_login(world.citizen)
    assert (
        "The office expects to give relief by" in client.get(detail_url(complaint)).content.decode()
    )
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    page = client.get(detail_url(complaint)).content.decode()
    assert "Relief granted" in page
    assert "goes to a senior officer" in page
    assert "A first appeal goes to the officer above the one who resolved it" in page
    assert "within 9 days" in page
    response = client.post(
        detail_url(complaint), {"satisfied": "no", "rating": "2", "comment": "Still wrong."}
    )
    assert response.status_code == 302
    disputed = Complaint.objects.get()
    assert (disputed.status, disputed.assigned_position) == (Status.ASSIGNED, world.positions.ceo)
    assert disputed.dispute_count == 1


def test_feedback_with_bad_values_is_refused_with_400(client, world, sms_outbox):
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    client.force_login(world.citizen)
    response = client.post(detail_url(complaint), {"satisfied": "maybe", "rating": "9"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Complaint.objects.get().status == Status.RESOLVED


def test_a_photo_lodged_with_the_complaint_is_on_its_page(
    client, world, sms_outbox, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG")
    photo = SimpleUploadedFile("bill.jpg", out.getvalue(), content_type="image/jpeg")
    client.force_login(world.citizen)
    response = lodge_on_the_web(client, world, files=[photo])
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.attachments.count() == 1
    assert "bill.jpg" in client.get(detail_url(complaint)).content.decode()
