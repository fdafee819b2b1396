"""The officer's complaint page: each action through its form, for the officer who may take it,
and what the citizen then sees; actions not offered are neither shown nor accepted; bad input
is explained with a 400 and what was typed is kept."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from citizen_portal.complaints.models import Complaint, DropReason, Event, Outcome, Status
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import (
    complaint_drop,
    complaint_resolve,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock
from citizen_portal.directory.models import Department, OutOfScopeGround
from citizen_portal.directory.tests.factories import (
    CategoryFactory,
    PositionFactory,
    StaffFactory,
    hold,
)

pytestmark = pytest.mark.django_db(transaction=True)


def page_of(client, complaint):
    response = client.get(reverse("complaints:work_detail", args=[complaint.reference]))
    assert response.status_code == 200
    return response.content.decode()


def act(client, complaint, action, data=None):
    url = reverse("complaints:work_act", args=[complaint.reference, action])
    return client.post(url, data or {})


def citizen_page(client, world, complaint, citizen=None):
    client.force_login(citizen or world.citizen)
    response = client.get(reverse("complaints:detail", args=[complaint.reference]))
    assert response.status_code == 200
    return response.content.decode()


def fresh(complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def sdo(world):
    """A Sub-Divisional Officer below the Superintending Engineer, and the officer holding it."""
    position = PositionFactory(
        office=world.positions.se.office,
        supervisor=world.positions.se,
        title_en="Sub-Divisional Officer",
    )
    officer = StaffFactory(username="lesco.sdo")
    hold(officer, position)
    return position, officer


def test_the_holder_is_offered_the_actions_of_an_assigned_complaint_and_no_others(
    client, world, sms_outbox, sdo
):
    CategoryFactory(department=Department.objects.get(code="PB-WASA"))  # somewhere to transfer
    complaint = lodge(world)
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    for action in [
        "resolve", "interim_reply", "request_info", "mark_down", "return_up", "transfer",
        "link_duplicate", "drop", "remark", "internal_note",
    ]:  # fmt: skip
        assert f'id="act-{action}"' in page, action
    for action in ["route", "review_drop", "acknowledge", "adopt"]:
        assert f'id="act-{action}"' not in page, action
    assert "Sub-Divisional Officer" in page  # the post below, offered for marking down
    assert "The deadline does not change" in page  # each form says what it does


def test_a_form_with_nothing_to_choose_is_not_shown(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert 'id="act-mark_down"' not in page  # nobody reports to the SE
    assert 'id="act-return_up"' in page
    client.force_login(world.officers.se)
    act(client, complaint, "return_up", {"remark": "For the CEO's own decision."})
    client.force_login(world.officers.ceo)
    page = page_of(client, complaint)
    assert 'id="act-return_up"' not in page  # nobody above the CEO
    assert 'id="act-mark_down"' in page
    assert 'id="act-transfer"' not in page  # no other department has a category


def test_an_action_not_offered_is_refused_and_nothing_changes(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.ceo)  # the supervisor: may read and remark, not act
    page = page_of(client, complaint)
    assert 'id="act-remark"' in page
    assert 'id="act-resolve"' not in page
    response = act(client, complaint, "resolve", {"remark": "Resolved from above, by the CEO."})
    assert response.status_code == 403
    assert "You may not do this on this complaint." in response.content.decode()
    client.force_login(world.officers.se)
    assert act(client, complaint, "route", {"to": world.positions.se.pk}).status_code == 403
    assert act(client, complaint, "adopt", {"remark": "Adopted at once."}).status_code == 403
    assert fresh(complaint).status == Status.ASSIGNED
    assert fresh(complaint).event_count == complaint.event_count


def test_an_unknown_action_is_not_found_and_actions_are_posted_only(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    assert act(client, complaint, "confirm").status_code == 404  # the citizen's, not a form
    assert act(client, complaint, "explode").status_code == 404
    url = reverse("complaints:work_act", args=[complaint.reference, "resolve"])
    assert client.get(url).status_code == 405


def test_marking_down_keeps_the_deadline_and_the_citizen_sees_the_new_post(
    client, world, sms_outbox, sdo
):
    position, officer = sdo
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(
        client,
        complaint,
        "mark_down",
        {"to": position.pk, "instructions": "Visit the meter and re-read it this week."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:inbox")  # out of the SE's hands
    moved = fresh(complaint)
    assert moved.assigned_position == position
    assert moved.due_on == complaint.due_on
    client.force_login(officer)
    assert complaint.reference in client.get(reverse("complaints:inbox")).content.decode()
    page = citizen_page(client, world, complaint)
    assert "Marked to a subordinate officer" in page
    assert "Sub-Divisional Officer" in page
    assert "Visit the meter" not in page  # instructions are between officers


def test_marking_down_to_a_post_that_is_not_below_is_refused(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(
        client,
        complaint,
        "mark_down",
        {"to": world.positions.ceo.pk, "instructions": "Please look into this one, sir."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Please look into this one, sir." in page
    assert fresh(complaint).assigned_position == world.positions.se


def test_returning_up_sends_it_to_the_supervisor(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(client, complaint, "return_up", {"remark": "Not a circle matter: HQ billing."})
    assert response.status_code == 302
    assert fresh(complaint).assigned_position == world.positions.ceo
    assert "Returned to the supervising officer" in citizen_page(client, world, complaint)


def test_the_focal_person_routes_a_triage_complaint_within_the_department(
    client, world, sms_outbox
):
    complaint = lodge(world, category=world.supply)  # no rule: triage at the focal position
    assert complaint.status == Status.TRIAGE
    client.force_login(world.officers.focal)
    page = page_of(client, complaint)
    assert 'id="act-route"' in page
    assert "Director" not in page  # the other department's post is not offered
    wasa_post = world.stranger.holdings.get().position
    response = act(
        client, complaint, "route", {"to": wasa_post.pk, "instructions": "Check the feeder."}
    )
    assert response.status_code == 400
    assert "Check the feeder." in response.content.decode()
    response = act(
        client, complaint, "route", {"to": world.positions.se.pk, "instructions": "Check it."}
    )
    assert response.status_code == 302
    moved = fresh(complaint)
    assert (moved.status, moved.assigned_position) == (Status.ASSIGNED, world.positions.se)
    page = citizen_page(client, world, complaint)
    assert "Directed to an office" in page
    assert "With the office" in page


def test_transferring_sends_it_to_the_other_department_and_counts(client, world, sms_outbox):
    wasa = Department.objects.get(code="PB-WASA")
    sewerage = CategoryFactory(department=wasa, name_en="Sewerage overflow")
    complaint = lodge(world)
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert "Sewerage overflow" in page
    response = act(
        client, complaint, "transfer", {"category": world.supply.pk, "reason": "Same department"}
    )
    assert response.status_code == 400  # within the department: mark down instead
    assert "Same department" in response.content.decode()
    response = act(
        client,
        complaint,
        "transfer",
        {"category": sewerage.pk, "reason": "The flooding is from a WASA sewer line."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:inbox")
    moved = fresh(complaint)
    assert moved.department == wasa
    assert moved.transfer_count == 1
    assert (
        client.get(reverse("complaints:work_detail", args=[complaint.reference])).status_code == 404
    )
    client.force_login(world.stranger)  # WASA's focal person now has it
    assert "1 of 3" in page_of(client, complaint)
    page = citizen_page(client, world, complaint)
    assert "Transferred to another department" in page
    assert "The flooding is from a WASA sewer line." in page


def test_asking_the_citizen_pauses_the_deadline_until_they_answer(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(
        client, complaint, "request_info", {"question": "Please send your consumer number."}
    )
    assert response.status_code == 302
    asked = fresh(complaint)
    assert asked.status == Status.AWAITING_CITIZEN
    assert "Paused: waiting for the citizen" in page_of(client, complaint)
    page = citizen_page(client, world, complaint)
    assert "Please send your consumer number." in page
    assert asked.info_due_on is not None
    assert asked.info_due_on.strftime("%-d %B %Y") in page
    assert "deadline is paused" in page
    url = reverse("complaints:detail", args=[complaint.reference])
    response = client.post(url, {"answer": "It is 12 34567 8901234."}, follow=True)
    assert "time runs again" in response.content.decode()
    answered = fresh(complaint)
    assert answered.status == Status.ASSIGNED
    assert answered.paused_at is None
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert "It is 12 34567 8901234." in page
    assert 'id="act-resolve"' in page


def test_an_interim_reply_tells_the_citizen_when_without_moving_the_deadline(
    client, world, sms_outbox
):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    reason = "A new transformer has to be ordered."
    response = act(client, complaint, "interim_reply", {"expected_on": yesterday, "reason": reason})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The expected date must be between today and" in page
    assert reason in page
    in_a_month = clock.today() + timedelta(days=30)
    response = act(
        client,
        complaint,
        "interim_reply",
        {"expected_on": in_a_month.isoformat(), "reason": reason},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:work_detail", args=[complaint.reference])
    replied = fresh(complaint)
    assert replied.expected_on == in_a_month
    assert replied.due_on == complaint.due_on
    page = citizen_page(client, world, complaint)
    assert "The office expects to give relief by" in page
    assert reason in page


def test_resolving_with_relief_not_possible_needs_an_explanation(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    data = {"outcome": "relief_not_possible", "remark": "Bill is correct."}
    response = act(client, complaint, "resolve", data)
    assert response.status_code == 400
    assert "at least 30 characters" in response.content.decode()
    assert "Bill is correct." in response.content.decode()
    data["remark"] = "The meter was re-read twice; the bill matches the actual consumption."
    assert act(client, complaint, "resolve", data).status_code == 302
    resolved = fresh(complaint)
    assert (resolved.status, resolved.outcome) == (Status.RESOLVED, Outcome.RELIEF_NOT_POSSIBLE)
    page = citizen_page(client, world, complaint)
    assert "Relief not possible" in page
    assert "matches the actual consumption" in page
    assert "Was your problem really solved?" in page


def test_dropping_out_of_scope_needs_a_ground_and_the_citizen_reads_its_reason(
    client, world, sms_outbox
):
    ground = OutOfScopeGround.objects.create(
        code="OOS-COURT",
        name_en="Matter before a court",
        reason_en="The portal cannot intervene in court proceedings.",
        reason_ur="پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔",
    )
    complaint = lodge(world)
    client.force_login(world.officers.se)
    explanation = "Your case on this bill is before the civil court."
    data = {"reason": "out_of_scope", "explanation": explanation}
    response = act(client, complaint, "drop", data)
    assert response.status_code == 400
    assert "Choose why it is outside the portal." in response.content.decode()
    assert explanation in response.content.decode()
    response = act(client, complaint, "drop", {**data, "ground": ground.pk})
    assert response.status_code == 302
    assert fresh(complaint).status == Status.DROPPED
    page = citizen_page(client, world, complaint)
    assert "Why it was dropped" in page
    assert "Outside what the portal can handle" in page
    assert explanation in page
    assert "The portal cannot intervene in court proceedings." in page
    client.cookies["portal_language"] = "ur"
    page = citizen_page(client, world, complaint)
    assert "پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔" in page


def test_the_supervisor_finds_a_drop_in_the_inbox_and_overturns_it(client, world, sms_outbox):
    complaint = lodge(world)
    complaint_drop(
        complaint=complaint,
        officer=world.officers.se,
        reason=DropReason.ABUSIVE,
        explanation="The complaint is written in abusive language.",
    )
    client.force_login(world.officers.se)  # the officer who dropped it cannot review it
    assert 'id="act-review_drop"' not in page_of(client, complaint)
    assert "Drops to review" not in client.get(reverse("complaints:inbox")).content.decode()
    client.force_login(world.officers.ceo)
    inbox = client.get(reverse("complaints:inbox")).content.decode()
    assert "Drops to review" in inbox
    assert complaint.reference in inbox
    assert 'id="act-review_drop"' in page_of(client, complaint)
    response = act(client, complaint, "review_drop", {"overturn": "overturn", "remark": "no"})
    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    remark = "Strong words, but a real billing problem."
    response = act(client, complaint, "review_drop", {"overturn": "overturn", "remark": remark})
    assert response.status_code == 302
    reopened = fresh(complaint)
    assert (reopened.status, reopened.assigned_position) == (Status.ASSIGNED, world.positions.se)
    assert "Drops to review" not in client.get(reverse("complaints:inbox")).content.decode()
    page = citizen_page(client, world, complaint)
    assert "Drop overturned" in page
    assert remark in page


def test_an_upheld_drop_leaves_the_review_list(client, world, sms_outbox):
    complaint = lodge(world)
    complaint_drop(
        complaint=complaint,
        officer=world.officers.se,
        reason=DropReason.SUB_JUDICE,
        explanation="The same bill is before the civil court.",
    )
    client.force_login(world.officers.ceo)
    response = act(
        client, complaint, "review_drop", {"overturn": "uphold", "remark": "The court decides."}
    )
    assert response.status_code == 302
    assert fresh(complaint).drop_reviewed_at is not None
    assert "Drops to review" not in client.get(reverse("complaints:inbox")).content.decode()
    assert "Drop upheld" in citizen_page(client, world, complaint)


def test_linking_a_duplicate_shows_the_earlier_complaint_but_not_its_citizen(
    client, world, sms_outbox
):
    earlier = complaint_lodge(
        citizen=world.other_citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject="Whole street over-billed",
            description="Every house in Street 4 got a bill three times the usual amount.",
        ),
    )
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(client, complaint, "link_duplicate", {"earlier_reference": "PB-2020-0000009-X"})
    assert response.status_code == 400
    assert "No complaint with that reference is held by this department." in (
        response.content.decode()
    )
    assert "PB-2020-0000009-X" in response.content.decode()
    response = act(client, complaint, "link_duplicate", {"earlier_reference": earlier.reference})
    assert response.status_code == 302
    linked = fresh(complaint)
    assert (linked.status, linked.duplicate_of) == (Status.DROPPED, earlier)
    assert earlier.reference in page_of(client, complaint)
    complaint_resolve(
        complaint=earlier, officer=world.officers.se, remark="All the street's bills corrected."
    )
    page = citizen_page(client, world, complaint)
    assert f"Followed under {earlier.reference}" in page
    assert "Resolved (awaiting your feedback)" in page
    assert "All the street&#x27;s bills corrected." in page
    assert "Bilal Ahmed" not in page
    assert world.other_citizen.phone not in page
    assert "Every house in Street 4" not in page


def test_a_public_remark_reaches_the_citizen_and_an_internal_note_does_not(
    client, world, sms_outbox
):
    complaint = lodge(world)
    client.force_login(world.officers.ceo)  # supervisors may remark too
    response = act(client, complaint, "remark", {"remark": "The SE will visit on Monday."})
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:work_detail", args=[complaint.reference])
    response = act(client, complaint, "internal_note", {"remark": "Consumer has arrears."})
    assert response.status_code == 302
    page = page_of(client, complaint)
    assert "Consumer has arrears." in page
    assert "Officers only" in page
    page = citizen_page(client, world, complaint)
    assert "The SE will visit on Monday." in page
    assert "Consumer has arrears." not in page
    assert not Event.objects.filter(complaint=complaint, action="internal_note", is_public=True)


def test_an_empty_remark_is_explained_and_changes_nothing(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(client, complaint, "remark", {"remark": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert fresh(complaint).event_count == complaint.event_count


def test_evidence_attached_to_a_resolution_is_listed_for_the_citizen(
    client, world, sms_outbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 120, 0)).save(out, "PNG")
    photo = SimpleUploadedFile("new-meter.png", out.getvalue(), content_type="image/png")
    complaint = lodge(world)
    client.force_login(world.officers.se)
    assert 'enctype="multipart/form-data"' in page_of(client, complaint)
    response = act(
        client, complaint, "resolve", {"remark": "New meter fitted; see photo.", "files": photo}
    )
    assert response.status_code == 302
    page = citizen_page(client, world, complaint)
    assert "new-meter.png" in page
    assert 'href="/attachments/' in page


def test_a_file_that_is_not_what_it_claims_is_refused_and_the_remark_kept(
    client, world, sms_outbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    fake = SimpleUploadedFile("meter.png", b"MZ\x90\x00 a program", content_type="image/png")
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(
        client, complaint, "resolve", {"remark": "New meter fitted; see photo.", "files": fake}
    )
    assert response.status_code == 400
    assert "New meter fitted; see photo." in response.content.decode()
    assert fresh(complaint).status == Status.ASSIGNED
