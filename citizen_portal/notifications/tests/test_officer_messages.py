"""What officers are told: work arriving at their post (or at a vacant post they act for), the
citizen's answer, a deadline coming up, and a drop below them they may review."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from citizen_portal.complaints.models import Action, DropReason, Event
from citizen_portal.complaints.services.citizen_actions import complaint_provide_info
from citizen_portal.complaints.services.officer_actions import (
    complaint_drop,
    complaint_mark_down,
    complaint_request_info,
    complaint_review_drop,
)
from citizen_portal.complaints.services.sweeps import sweep_warnings
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import PositionFactory, StaffFactory, hold
from citizen_portal.notifications.models import Notification
from citizen_portal.notifications.services.events import event_load, notify_of_event
from citizen_portal.notifications.tests.helpers import day, inbox

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sdo(world):
    post = PositionFactory(
        office=world.positions.se.office,
        title_en="Sub-Divisional Officer",
        supervisor=world.positions.se,
    )
    officer = StaffFactory(username="lesco.sdo", email="sdo@lesco.example.pk")
    hold(officer, post)
    return officer, post


def test_an_officer_is_told_when_a_complaint_is_marked_down_to_their_post(
    world, sms_outbox, sdo, smtp_server
):
    officer, post = sdo
    complaint = lodge(world)
    complaint_mark_down(
        complaint=complaint,
        officer=world.officers.se,
        to=post,
        instructions="Read the meter and check the November bill.",
    )
    [notice] = inbox(officer)
    assert notice.title == f"Complaint {complaint.reference} has arrived at Sub-Divisional Officer"
    assert "Marked to a subordinate officer" in notice.body
    assert "Read the meter and check the November bill." in notice.body
    assert notice.url == reverse("complaints:work_detail", args=[complaint.reference])
    [mail] = smtp_server
    assert mail.rcpt_tos == ["sdo@lesco.example.pk"]
    assert f"/work/{complaint.reference}/" in mail.content.decode()
    # The SE who marked it down is told nothing about it; nor does the citizen hear of it.
    assert [n.title for n in inbox(world.officers.se)] == [
        f"Complaint {complaint.reference} has arrived at Superintending Engineer"
    ]
    assert len(inbox(world.citizen)) == 1


def test_work_at_a_vacant_post_is_announced_to_the_supervisor_who_acts_for_it(world, sms_outbox):
    world.positions.se.holdings.update(ended_at=timezone.now())  # the SE is transferred out
    complaint = lodge(world)
    [notice] = inbox(world.officers.ceo)
    assert complaint.reference in notice.title
    assert "Superintending Engineer" in notice.body
    assert "is vacant and you act for it" in notice.body


def test_the_officer_is_told_when_the_citizen_answers(world, sms_outbox):
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="What is your meter number?"
    )
    complaint_provide_info(complaint=complaint, citizen=world.citizen, answer="It is 4471-B.")
    notice = inbox(world.officers.se)[-1]
    assert notice.title == f"Complaint {complaint.reference}: the citizen has answered"
    assert "It is 4471-B." in notice.body


def test_a_deadline_warning_tells_the_holder_the_due_date_in_their_language(
    world, sms_outbox, travel
):
    world.officers.se.preferred_language = "ur"
    world.officers.se.save()
    complaint = lodge(world)
    assert complaint.warn_on is not None
    travel(days=(complaint.warn_on - timezone.localdate()).days)
    sweep_warnings()
    notice = inbox(world.officers.se)[-1]
    with translation.override("ur"):
        due = day(complaint.due_on, "DATE_FORMAT")
    assert complaint.reference in notice.title
    assert due in notice.body
    # The warning is internal: the citizen hears nothing of it.
    assert len(inbox(world.citizen)) == 1


def test_a_drop_is_put_before_the_supervisor_and_an_overturn_sends_it_back(world, sms_outbox):
    complaint = lodge(world)
    complaint_drop(
        complaint=complaint,
        officer=world.officers.se,
        reason=DropReason.ABUSIVE,
        explanation="Nothing but abuse of the line staff.",
    )
    notice = inbox(world.officers.ceo)[-1]
    assert notice.title == f"Complaint {complaint.reference} was dropped: you may review the drop"
    assert "Abusive or offensive" in notice.body
    assert "Nothing but abuse of the line staff." in notice.body
    complaint_review_drop(
        complaint=complaint,
        officer=world.officers.ceo,
        overturn=True,
        remark="The bill question is real; answer it.",
    )
    back = inbox(world.officers.se)[-1]
    assert back.title == f"Complaint {complaint.reference} has arrived at Superintending Engineer"
    assert "The bill question is real; answer it." in back.body
    assert "reopened" in inbox(world.citizen)[-1].title


def test_a_new_holder_is_told_at_once_after_a_handover(world, sms_outbox):
    """The worker remembers who holds a post (directory memo); a handover saved through the
    models empties the memo, so the very next complaint is announced to the new holder."""
    first = lodge(world)
    assert [n.complaint_id for n in inbox(world.officers.se)] == [first.pk]
    holding = world.positions.se.holdings.get(ended_at__isnull=True)
    holding.ended_at = timezone.now()
    holding.save()
    successor = StaffFactory(username="lesco.se2", full_name="Nadia Iqbal")
    hold(successor, world.positions.se)
    second = lodge(world)
    assert [n.complaint_id for n in inbox(successor)] == [second.pk]
    assert [n.complaint_id for n in inbox(world.officers.se)] == [first.pk]


def test_the_worker_reads_the_directory_once_for_many_messages(world, sms_outbox):
    """Posts, offices, departments and holders come from the memo after the first message:
    the next events' messages read only the event, its complaint and citizen, and write."""
    lodge(world)
    later = [lodge(world) for _ in range(2)]
    events = Event.objects.filter(complaint__in=later, action=Action.AUTO_ROUTE)
    Notification.objects.filter(event__in=events).delete()
    with CaptureQueriesContext(connection) as queries:
        for event in events:
            notify_of_event(event_load(event.pk))
    directory = [q["sql"] for q in queries.captured_queries if '"directory_' in q["sql"]]
    assert directory == []
    assert Notification.objects.filter(event__in=events).count() == 4  # citizen and SE, twice
