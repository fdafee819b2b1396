"""The caller's answer to an office's question and their feedback on a resolution, recorded by
the agent on the caller's complaint page: what the agent sees, what it records (once), and
what a wrong or repeated form gets instead of a 500."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Channel, Complaint, Feedback, Status
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.core.errors import NotAllowed
from citizen_portal.directory.models import Category
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.helpline.services.responses import caller_answer_record
from citizen_portal.intake.services.lodging import channel_lodge

pytestmark = pytest.mark.django_db


def _lodged(world: SimpleNamespace, agent: User, caller: User) -> Complaint:
    return channel_lodge(
        citizen=caller,
        channel=Channel.PHONE,
        subject="Bill doubled",
        description="My bill doubled this month without any reason at all.",
        category=world.overbilling,
        area=world.lahore,
        entered_by=agent,
    )


def _serving(agent: User) -> Client:
    """The agent's browser with Ayesha on the line (found by her number)."""
    client = Client()
    client.force_login(agent)
    client.post("/helpline/", {"query": "0300 1112233", "nationality": ""})
    return client


def _page(complaint: Complaint) -> str:
    return f"/helpline/caller/complaints/{complaint.reference}/"


@pytest.fixture
def asked(world: SimpleNamespace, agent: User, caller: User, general: Category) -> Complaint:
    complaint = _lodged(world, agent, caller)
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="What is your meter number?"
    )
    return complaint


@pytest.fixture
def resolved(world: SimpleNamespace, agent: User, caller: User, general: Category) -> Complaint:
    complaint = _lodged(world, agent, caller)
    complaint_resolve(
        complaint=complaint,
        officer=world.officers.se,
        remark="The bill was corrected to Rs 15,000.",
    )
    return complaint


def test_the_agent_reads_the_question_and_records_the_callers_answer_once(
    agent: User, asked: Complaint, world: SimpleNamespace
) -> None:
    client = _serving(agent)
    page = client.get(_page(asked)).text
    assert "What is your meter number?" in page
    assert "Record the caller's answer" in page
    posted: dict[str, Any] = {"action": "answer", "answer": "The meter number is 4471-B."}
    done = client.post(_page(asked), posted, follow=True)
    assert "The caller&#x27;s answer is recorded" in done.text
    assert "The meter number is 4471-B." in done.text
    assert "Recorded by the helpline, from a telephone call." in done.text
    asked.refresh_from_db()
    assert asked.status == Status.ASSIGNED
    event = asked.events.get(action=Action.PROVIDE_INFO)
    assert event.actor == agent
    assert event.data["channel"] == "phone"
    # The same form sent again (a double click, a retry): told, not recorded twice.
    again = client.post(_page(asked), posted, follow=True)
    assert again.status_code == 200
    assert "already been recorded" in again.text
    assert asked.events.filter(action=Action.PROVIDE_INFO).count() == 1


def test_a_too_short_answer_is_refused_with_what_was_typed_kept(
    agent: User, asked: Complaint
) -> None:
    page = _serving(agent).post(_page(asked), {"action": "answer", "answer": "B4"})
    assert page.status_code == 400
    assert "at least 5 characters" in page.text
    assert ">\nB4</textarea>" in page.text
    assert Complaint.objects.get(pk=asked.pk).status == Status.AWAITING_CITIZEN


def test_not_satisfied_reopens_it_as_an_appeal_and_tells_the_agent_where_it_went(
    agent: User, resolved: Complaint, world: SimpleNamespace
) -> None:
    client = _serving(agent)
    page = client.get(_page(resolved)).text
    assert "The bill was corrected to Rs 15,000." in page
    assert "Relief granted" in page
    assert "the complaint is reopened for the officer above" in page
    posted = {"action": "feedback", "satisfied": "no", "rating": "2", "comment": "Still wrong."}
    done = client.post(_page(resolved), posted, follow=True)
    assert "reopened as an appeal, now with Chief Executive Officer" in done.text
    resolved.refresh_from_db()
    assert resolved.status == Status.ASSIGNED
    assert resolved.assigned_position == world.positions.ceo
    feedback = Feedback.objects.get(complaint=resolved)
    assert (feedback.satisfied, feedback.rating, feedback.comment) == (False, 2, "Still wrong.")
    again = client.post(_page(resolved), posted, follow=True)
    assert "already been recorded" in again.text
    assert Feedback.objects.filter(complaint=resolved).count() == 1


def test_satisfied_closes_it(agent: User, resolved: Complaint) -> None:
    done = _serving(agent).post(
        _page(resolved), {"action": "feedback", "satisfied": "yes", "rating": "5"}, follow=True
    )
    assert "the complaint is closed" in done.text
    assert Complaint.objects.get(pk=resolved.pk).status == Status.CLOSED


def test_feedback_without_stars_is_refused_without_a_500(agent: User, resolved: Complaint) -> None:
    page = _serving(agent).post(_page(resolved), {"action": "feedback", "satisfied": "no"})
    assert page.status_code == 400
    assert "This field is required." in page.text
    assert Complaint.objects.get(pk=resolved.pk).status == Status.RESOLVED


def test_another_callers_complaint_cannot_be_answered(
    agent: User, caller: User, world: SimpleNamespace, general: Category
) -> None:
    theirs = _lodged(world, agent, world.other_citizen)
    complaint_request_info(
        complaint=theirs, officer=world.officers.se, question="What is your meter number?"
    )
    page = _serving(agent).post(_page(theirs), {"action": "answer", "answer": "Meter 4471-B."})
    assert page.status_code == 404
    assert Complaint.objects.get(pk=theirs.pk).status == Status.AWAITING_CITIZEN


def test_only_an_agent_may_record_for_a_caller(
    asked: Complaint, caller: User, world: SimpleNamespace
) -> None:
    officer = StaffFactory(username="lesco.someone")
    with pytest.raises(NotAllowed):
        caller_answer_record(agent=officer, citizen=caller, complaint=asked, answer="Meter 4471-B.")
