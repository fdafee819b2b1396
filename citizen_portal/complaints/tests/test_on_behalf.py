"""A citizen who answers or gives feedback by telephone or by letter has it recorded for them by
the helpline agent or the mail-room operator: it is the citizen's action (their complaint, the
citizen's rules, the citizen's appeal, the citizen's feedback in every figure), the timeline
event's actor is the staff member, and the citizen's own page says only which door it came in
by, never the staff member's name."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

import pytest
from django.test import Client

from citizen_portal.accounts.models import Role, User
from citizen_portal.complaints.models import (
    Action,
    Attachment,
    Channel,
    Complaint,
    Event,
    Feedback,
    Status,
)
from citizen_portal.complaints.selectors.performance import period_of, resolution_figures
from citizen_portal.complaints.selectors.performance import resolutions as resolutions_of
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
    complaint_provide_info,
)
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.mailroom.tests.conftest import scan_png
from citizen_portal.notifications.tests.helpers import inbox

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agent(world: SimpleNamespace) -> User:
    return StaffFactory(username="helpline.sana", full_name="Sana Agent", role=Role.AGENT)


@pytest.fixture
def clerk(world: SimpleNamespace) -> User:
    return StaffFactory(username="mailroom.bilal", full_name="Bilal Clerk", role=Role.DATA_ENTRY)


@pytest.fixture
def media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def _asked(world: SimpleNamespace) -> Complaint:
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="What is your meter number?"
    )
    complaint.refresh_from_db()
    return complaint


def _resolved(world: SimpleNamespace) -> Complaint:
    complaint = lodge(world)
    complaint_resolve(
        complaint=complaint, officer=world.officers.se, remark="The bill was corrected."
    )
    complaint.refresh_from_db()
    return complaint


def _latest(complaint: Complaint, action: Action) -> Event:
    event = complaint.events.filter(action=action).order_by("-seq").first()
    assert event is not None
    return event


def test_an_answer_by_telephone_resumes_the_clock_and_names_the_agent_only_to_officers(
    world: SimpleNamespace, agent: User, sms_outbox: object
) -> None:
    complaint = _asked(world)
    complaint_provide_info(
        complaint=complaint,
        citizen=world.citizen,
        answer="The meter number is 4471-B.",
        entered_by=agent,
        channel=Channel.PHONE,
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert complaint.paused_at is None
    answered = _latest(complaint, Action.PROVIDE_INFO)
    assert answered.actor == agent
    assert answered.data["answer"] == "The meter number is 4471-B."
    assert answered.data["on_behalf"] is True
    assert answered.data["channel"] == "phone"
    # The officer is told the citizen answered, as for an answer on the web.
    notice = inbox(world.officers.se)[-1]
    assert notice.title == f"Complaint {complaint.reference}: the citizen has answered"
    assert "4471-B" in notice.body

    # The citizen's page shows the answer came by telephone, never the agent's name; the
    # officer's page shows who typed it.
    citizen = Client()
    citizen.force_login(world.citizen)
    page = citizen.get(f"/complaints/{complaint.reference}/").text
    assert "Recorded by the helpline, from a telephone call." in page
    assert "Sana Agent" not in page
    officer = Client()
    officer.force_login(world.officers.se)
    work = officer.get(f"/work/{complaint.reference}/").text
    assert "Recorded by the helpline, from a telephone call." in work
    assert "Sana Agent" in work


def test_a_reply_letter_keeps_its_scans_as_the_citizens_files(
    world: SimpleNamespace, clerk: User, media: None, sms_outbox: object
) -> None:
    complaint = _asked(world)
    complaint_provide_info(
        complaint=complaint,
        citizen=world.citizen,
        answer="The sender writes that the meter number is 4471-B.",
        files=[scan_png("reply.png")],
        entered_by=clerk,
        channel=Channel.LETTER,
    )
    answered = _latest(complaint, Action.PROVIDE_INFO)
    [scan] = Attachment.objects.filter(complaint=complaint)
    assert scan.event == answered
    assert scan.uploaded_by == clerk
    assert answered.actor == clerk
    assert answered.data["channel"] == "letter"
    citizen = Client()
    citizen.force_login(world.citizen)
    page = citizen.get(f"/complaints/{complaint.reference}/").text
    assert "Recorded by the mail room, from a letter." in page
    assert "reply.png" in page  # the citizen sees the scan of their own letter
    assert "Bilal Clerk" not in page


def test_only_the_complaints_own_citizen_can_be_answered_for(
    world: SimpleNamespace, agent: User
) -> None:
    complaint = _asked(world)
    with pytest.raises(NotAllowed):
        complaint_provide_info(
            complaint=complaint,
            citizen=world.other_citizen,
            answer="The meter number is 4471-B.",
            entered_by=agent,
            channel=Channel.PHONE,
        )
    assert Complaint.objects.get(pk=complaint.pk).status == Status.AWAITING_CITIZEN


def test_a_second_answer_is_refused_and_records_nothing(
    world: SimpleNamespace, agent: User, sms_outbox: object
) -> None:
    complaint = _asked(world)
    for _attempt in range(2):
        with contextlib.suppress(ApplicationError):
            complaint_provide_info(
                complaint=complaint,
                citizen=world.citizen,
                answer="The meter number is 4471-B.",
                entered_by=agent,
                channel=Channel.PHONE,
            )
    assert complaint.events.filter(action=Action.PROVIDE_INFO).count() == 1


def test_feedback_by_telephone_closes_it_and_counts_as_the_citizens(
    world: SimpleNamespace, agent: User, sms_outbox: object
) -> None:
    complaint = _resolved(world)
    feedback = complaint_give_feedback(
        complaint=complaint,
        citizen=world.citizen,
        data=FeedbackInput(satisfied=True, rating=4, comment="Thank you."),
        entered_by=agent,
        channel=Channel.PHONE,
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    confirmed = _latest(complaint, Action.CONFIRM)
    assert confirmed.actor == agent
    assert confirmed.data == {
        "rating": 4,
        "comment": "Thank you.",
        "channel": "phone",
        "on_behalf": True,
    }
    assert feedback.resolution_event == _latest(complaint, Action.RESOLVE)
    # The resolving officer's figures count it as the citizen's feedback.
    figures = resolution_figures(resolutions_of(world.officers.se, period_of()))
    assert (figures.feedback, figures.satisfied, figures.average_rating) == (1, 1, 4.0)


def test_not_satisfied_by_letter_is_an_appeal_to_the_supervisor(
    world: SimpleNamespace, clerk: User, sms_outbox: object
) -> None:
    complaint = _resolved(world)
    complaint_give_feedback(
        complaint=complaint,
        citizen=world.citizen,
        data=FeedbackInput(satisfied=False, rating=1, comment="The bill is still wrong."),
        entered_by=clerk,
        channel=Channel.LETTER,
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.ceo
    assert complaint.dispute_count == 1
    disputed = _latest(complaint, Action.DISPUTE)
    assert disputed.actor == clerk
    assert disputed.data["on_behalf"] is True
    assert disputed.data["appeal"] == 1
    # The supervisor hears of the appeal; the clerk is not an officer and is told nothing.
    assert any(complaint.reference in n.title for n in inbox(world.officers.ceo))
    assert inbox(clerk) == []
    figures = resolution_figures(resolutions_of(world.officers.se, period_of()))
    assert (figures.feedback, figures.satisfied, figures.reopened) == (1, 0, 1)


def test_a_second_feedback_is_refused(
    world: SimpleNamespace, agent: User, sms_outbox: object
) -> None:
    complaint = _resolved(world)
    verdict = FeedbackInput(satisfied=True, rating=5)
    complaint_give_feedback(
        complaint=complaint, citizen=world.citizen, data=verdict, entered_by=agent
    )
    with pytest.raises(ApplicationError):
        complaint_give_feedback(
            complaint=complaint, citizen=world.citizen, data=verdict, entered_by=agent
        )
    assert Feedback.objects.filter(complaint=complaint).count() == 1
