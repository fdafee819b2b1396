"""What the citizen is told when their complaint changes: by SMS (always naming the reference),
by e-mail only at a proven address, and in the portal, in their own language."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from citizen_portal.complaints.models import Action, DropReason, Event, Kind
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
    complaint_provide_info,
)
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import (
    complaint_drop,
    complaint_interim_reply,
    complaint_remark,
    complaint_request_info,
    complaint_resolve,
    suggestion_step,
)
from citizen_portal.complaints.services.sweeps import sweep_info_requests, sweep_silence
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock
from citizen_portal.directory.models import OutOfScopeGround
from citizen_portal.notifications.models import Notification
from citizen_portal.notifications.tasks import notify_event
from citizen_portal.notifications.tests.helpers import day, inbox, sms_segments, sms_to

pytestmark = pytest.mark.django_db(transaction=True)


def _verified_email(citizen, address="ayesha@example.pk"):
    citizen.email = address
    citizen.email_verified_at = timezone.now()
    citizen.save()


def _dispute(world, complaint):
    complaint_give_feedback(
        complaint=complaint, citizen=world.citizen, data=FeedbackInput(False, 1, "Not fixed")
    )


def test_lodging_tells_the_citizen_where_it_went_and_by_when(world, sms_outbox):
    complaint = lodge(world)
    due = day(complaint.due_on)
    [sms] = sms_to(sms_outbox, world.citizen.phone)
    assert complaint.reference in sms
    assert "Superintending Engineer, LESCO Lahore Circle" in sms
    assert f"Reply due by {due}" in sms
    [notice] = inbox(world.citizen)
    assert notice.title == f"Complaint {complaint.reference} received"
    assert "Superintending Engineer" in notice.body
    assert notice.url == reverse("complaints:detail", args=[complaint.reference])
    assert notice.complaint == complaint
    assert notice.read_at is None


def test_a_suggestion_is_acknowledged_as_received_by_the_department(world, sms_outbox):
    suggestion = complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.billing,
            area=world.lahore,
            subject="Bills by e-mail",
            description="Please send the monthly bill by e-mail as well.",
            kind=Kind.SUGGESTION,
        ),
    )
    suggestion_step(complaint=suggestion, officer=world.officers.focal, action=Action.ACKNOWLEDGE)
    suggestion_step(
        complaint=suggestion,
        officer=world.officers.focal,
        action=Action.ADOPT,
        remark="E-mailed bills start in March.",
    )
    received, acknowledged, adopted = sms_to(sms_outbox, world.citizen.phone)
    assert f"Suggestion {suggestion.reference} received by LESCO" in received
    assert f"Suggestion {suggestion.reference} acknowledged by LESCO" in acknowledged
    assert f"Suggestion {suggestion.reference} has been adopted by LESCO" in adopted
    assert "E-mailed bills start in March." in inbox(world.citizen)[-1].body


def test_an_urdu_speaker_gets_the_message_in_urdu(world, sms_outbox):
    world.citizen.preferred_language = "ur"
    world.citizen.save()
    world.positions.se.title_ur = "سپرنٹنڈنگ انجینئر"
    world.positions.se.save()
    complaint = lodge(world)
    with translation.override("ur"):
        due = day(complaint.due_on)
    [sms] = sms_to(sms_outbox, world.citizen.phone)
    assert complaint.reference in sms
    # The post's Urdu title and the date in Urdu: rendered under the citizen's language.
    assert "سپرنٹنڈنگ انجینئر" in sms
    assert due in sms
    assert "سپرنٹنڈنگ انجینئر" in inbox(world.citizen)[0].body
    # The officer reads English, whatever the citizen's language.
    [officer_notice] = inbox(world.officers.se)
    assert "Superintending Engineer" in officer_notice.body


def test_no_email_goes_to_an_address_the_citizen_never_proved(world, sms_outbox, smtp_server):
    world.citizen.email = "typed-by-anyone@example.pk"
    world.citizen.save()
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    assert smtp_server == []
    assert len(sms_to(sms_outbox, world.citizen.phone)) == 2
    assert len(inbox(world.citizen)) == 2


def test_a_proven_address_gets_the_resolution_with_its_outcome_and_feedback_window(
    world, sms_outbox, smtp_server
):
    _verified_email(world.citizen)
    complaint = lodge(world)
    complaint_resolve(
        complaint=complaint, officer=world.officers.se, remark="Bill corrected to Rs 15,000."
    )
    assert [envelope.rcpt_tos for envelope in smtp_server] == [["ayesha@example.pk"]] * 2
    mail = smtp_server[1].content.decode()
    assert f"Complaint {complaint.reference} resolved" in mail
    assert "Outcome: Relief granted" in mail
    assert "Bill corrected to Rs 15,000." in mail
    assert f"within {settings.FEEDBACK_WINDOW_DAYS} days" in mail
    assert f"/complaints/{complaint.reference}/" in mail
    sms = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert complaint.reference in sms
    assert "Relief granted" in sms
    assert "Confirm or dispute" in sms


def test_an_officers_ampersand_reaches_the_citizen_unescaped(world, sms_outbox, smtp_server):
    _verified_email(world.citizen)
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint,
        officer=world.officers.se,
        question="Please send the meter number & a photo of the bill.",
    )
    sms = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert "meter number & a photo" in sms
    assert "meter number & a photo" in smtp_server[-1].content.decode()
    assert "meter number & a photo" in inbox(world.citizen)[-1].body


def test_an_information_request_names_the_question_and_the_answer_by_date(world, sms_outbox):
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint,
        officer=world.officers.se,
        question="Which month's bill is wrong, and what is the meter number?",
    )
    complaint.refresh_from_db()
    by = day(complaint.info_due_on)
    sms = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert complaint.reference in sms
    assert "Which month's bill is wrong" in sms
    assert f"by {by}" in sms
    notice = inbox(world.citizen)[-1]
    assert "Which month's bill is wrong, and what is the meter number?" in notice.body
    assert day(complaint.info_due_on, "DATE_FORMAT") in notice.body


def test_an_unanswered_request_drops_the_complaint_and_says_so(world, sms_outbox, travel):
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="What is your meter number?"
    )
    travel(days=settings.INFO_REQUEST_DAYS + 1)
    sweep_info_requests()
    sms = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert f"Complaint {complaint.reference} dropped" in sms
    assert "was not received" in sms


def test_an_interim_reply_gives_the_expected_date_and_the_reason(world, sms_outbox):
    complaint = lodge(world)
    expected = clock.today() + timedelta(days=20)
    complaint_interim_reply(
        complaint=complaint,
        officer=world.officers.se,
        expected_on=expected,
        reason="A new transformer has to come from the central store.",
    )
    sms = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert complaint.reference in sms
    assert f"relief by {day(expected)}" in sms
    assert "A new transformer" in sms


def test_an_out_of_scope_drop_gives_the_grounds_reason_in_the_citizens_language(world, sms_outbox):
    ground = OutOfScopeGround.objects.create(
        code="OOS-COURT",
        name_en="Matter before a court",
        reason_en="The portal cannot intervene in court proceedings.",
        reason_ur="پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔",
    )
    world.other_citizen.preferred_language = "ur"
    world.other_citizen.save()
    for citizen in (world.citizen, world.other_citizen):
        complaint_drop(
            complaint=lodge(world, citizen=citizen),
            officer=world.officers.se,
            reason=DropReason.OUT_OF_SCOPE,
            explanation="The billing dispute is before the civil court.",
            ground=ground,
        )
    english, urdu = inbox(world.citizen)[-1], inbox(world.other_citizen)[-1]
    assert "Reason: Outside what the portal can handle." in english.body
    assert "The portal cannot intervene in court proceedings." in english.body
    assert "The billing dispute is before the civil court." in english.body
    assert "پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔" in urdu.body
    assert "dropped" in sms_to(sms_outbox, world.citizen.phone)[-1]


def test_appeals_go_to_a_senior_officer_then_the_complaint_cell_then_the_decision_stands(
    world, sms_outbox
):
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    _dispute(world, complaint)
    first = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert f"Complaint {complaint.reference} reopened on your appeal" in first
    assert "Chief Executive Officer" in first
    complaint_resolve(complaint=complaint, officer=world.officers.ceo, remark="Checked again.")
    _dispute(world, complaint)
    second = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert f"Complaint {complaint.reference} reopened on your second appeal" in second
    assert "Complaint Cell Reviewer, CM Cell" in second
    complaint_resolve(complaint=complaint, officer=world.cell_officer, remark="Bill is right.")
    _dispute(world, complaint)  # both appeals heard
    final = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert f"Complaint {complaint.reference} closed" in final
    assert "decision stands" in final
    assert "Wafaqi Mohtasib (Federal Ombudsman)" in final


def test_silence_after_the_feedback_window_closes_it_and_tells_the_citizen(
    world, sms_outbox, travel
):
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    travel(days=settings.FEEDBACK_WINDOW_DAYS + 1)
    sweep_silence()
    sms = sms_to(sms_outbox, world.citizen.phone)[-1]
    assert f"Complaint {complaint.reference} closed" in sms
    assert "no feedback" in sms


def test_internal_notes_tell_the_citizen_nothing_and_public_remarks_no_sms(world, sms_outbox):
    complaint = lodge(world)
    complaint_remark(
        complaint=complaint, officer=world.officers.se, remark="Check the SDO.", internal=True
    )
    assert len(inbox(world.citizen)) == 1
    complaint_remark(complaint=complaint, officer=world.officers.se, remark="Meter team sent.")
    assert "Meter team sent." in inbox(world.citizen)[-1].body
    assert len(sms_to(sms_outbox, world.citizen.phone)) == 1  # the lodging SMS only
    assert not Notification.objects.filter(event__is_public=False).exists()


def test_a_retried_task_repeats_no_message_on_any_channel(world, sms_outbox, smtp_server):
    _verified_email(world.citizen)
    complaint = lodge(world)
    event = Event.objects.get(complaint=complaint, action=Action.AUTO_ROUTE)
    before = (Notification.objects.count(), len(sms_outbox.messages()), len(smtp_server))
    assert before == (2, 1, 1)  # the citizen and the SE in the portal; the citizen by SMS, mail
    notify_event(event.pk)  # what huey does when a retry follows a partial failure
    notify_event(event.pk)
    after = (Notification.objects.count(), len(sms_outbox.messages()), len(smtp_server))
    assert after == before


def test_every_english_sms_of_a_long_life_fits_in_two_segments(world, sms_outbox, travel):
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint,
        officer=world.officers.se,
        question="Please tell us the meter number and which month's bill is wrong. " * 4,
    )
    complaint_provide_info(complaint=complaint, citizen=world.citizen, answer="Meter 42, Nov.")
    complaint_interim_reply(
        complaint=complaint,
        officer=world.officers.se,
        expected_on=clock.today() + timedelta(days=30),
        reason="The meter has to be tested at the laboratory in Lahore first. " * 5,
    )
    complaint_resolve(
        complaint=complaint,
        officer=world.officers.se,
        remark="The bill was corrected after the meter test. " * 10,
    )
    _dispute(world, complaint)
    complaint_resolve(complaint=complaint, officer=world.officers.ceo, remark="Checked again.")
    _dispute(world, complaint)
    complaint_resolve(complaint=complaint, officer=world.cell_officer, remark="Bill is right.")
    _dispute(world, complaint)
    complaint_drop(
        complaint=lodge(world),
        officer=world.officers.se,
        reason=DropReason.ABUSIVE,
        explanation="The complaint contains abuse of the staff and nothing else. " * 5,
    )
    messages = sms_to(sms_outbox, world.citizen.phone)
    assert len(messages) == 11
    assert all(complaint.reference in m for m in messages[:-2])
    assert [sms_segments(m) for m in messages if sms_segments(m) > 2] == []
