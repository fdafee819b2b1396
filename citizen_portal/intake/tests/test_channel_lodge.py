"""A complaint that came in by another door goes through the same pipeline as the web's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from citizen_portal.complaints.models import Action, Channel, Event, Status
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import Category
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.intake.services.lodging import channel_lodge, subject_from

pytestmark = pytest.mark.django_db


def test_unsorted_message_waits_in_the_complaint_cells_triage(
    world: SimpleNamespace, general: Category
) -> None:
    complaint = channel_lodge(
        citizen=world.citizen,
        channel=Channel.SMS,
        subject="",
        description="No water in Gulberg for three days\nPlease help",
    )
    assert complaint.status == Status.TRIAGE
    assert complaint.assigned_position == world.positions.cell
    assert complaint.category == general
    assert complaint.area == world.lahore
    assert complaint.channel == Channel.SMS
    assert complaint.subject == "No water in Gulberg for three days"
    assert complaint.entered_by is None
    lodged = Event.objects.get(complaint=complaint, action=Action.LODGE)
    assert lodged.actor == world.citizen
    assert lodged.data["channel"] == "sms"


def test_assisted_lodge_is_the_agents_on_the_timeline(
    world: SimpleNamespace, general: Category
) -> None:
    agent = StaffFactory(username="helpline.one", role="agent")
    complaint = channel_lodge(
        citizen=world.citizen,
        channel=Channel.PHONE,
        subject="Bill doubled",
        description="My bill doubled this month without reason.",
        category=world.billing,
        area=world.lahore,
        entered_by=agent,
    )
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.se
    assert complaint.entered_by == agent
    assert complaint.citizen == world.citizen
    lodged = Event.objects.get(complaint=complaint, action=Action.LODGE)
    assert lodged.actor == agent


def test_empty_message_is_refused(world: SimpleNamespace, general: Category) -> None:
    with pytest.raises(ApplicationError):
        channel_lodge(citizen=world.citizen, channel=Channel.SMS, subject="", description="  ")


def test_long_subject_is_cut_with_an_ellipsis() -> None:
    subject = subject_from("", "word " * 100)
    assert len(subject) == 200
    assert subject.endswith("…")


def test_complaint_cell_sends_an_unsorted_complaint_to_the_department_that_can_act(
    world: SimpleNamespace, general: Category
) -> None:
    from citizen_portal.complaints.services.officer_actions import complaint_transfer

    complaint = channel_lodge(
        citizen=world.citizen,
        channel=Channel.EMAIL,
        subject="Electricity bill",
        description="My electricity bill is twice what it should be.",
    )
    moved = complaint_transfer(
        complaint=complaint,
        officer=world.cell_officer,
        category=world.billing,
        reason="Billing belongs to LESCO",
    )
    assert moved.status == Status.ASSIGNED
    assert moved.assigned_position == world.positions.se
    assert moved.department == world.lesco
    # Sorting by the cell is a placement, not one of the transfers a complaint is allowed.
    assert moved.transfer_count == 0
