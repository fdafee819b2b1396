"""Bulk actions on the focal person's queues: each ticked complaint goes through the same
action as on its own page, gets its own timeline step, and the result says per complaint what
was done and what was refused and why. Bad batches are refused whole, before anything changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.complaints.models import Action, Complaint, DropReason, Status
from citizen_portal.complaints.services.bulk_actions import (
    MAX_BATCH,
    BulkInput,
    complaints_bulk_apply,
)
from citizen_portal.complaints.services.officer_actions import complaint_route
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.tests.factories import PositionFactory, StaffFactory, hold

pytestmark = pytest.mark.django_db(transaction=True)


def in_triage(world, n) -> list[Complaint]:
    complaints = [lodge(world, category=world.supply) for _ in range(n)]
    assert all(c.status == Status.TRIAGE for c in complaints)
    return complaints


def bulk(client, queue, complaints, **data):
    refs = [c if isinstance(c, str) else c.reference for c in complaints]
    return client.post(
        reverse("complaints:focal_bulk"), {"queue": queue, "complaints": refs, **data}
    )


def fresh(complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def assistant(world):
    """A post below the complaint cell, held by an assistant."""
    position = PositionFactory(
        office=world.positions.focal.office,
        supervisor=world.positions.focal,
        title_en="Assistant Director (Complaints)",
    )
    hold(StaffFactory(username="lesco.assistant"), position)
    return position


def test_directing_many_triage_complaints_gives_each_its_own_step(client, world, sms_outbox):
    complaints = in_triage(world, 3)
    client.force_login(world.officers.focal)
    page = client.get(reverse("complaints:focal_triage")).content.decode()
    assert "Direct them to a post" in page
    assert "Mark them down" not in page
    response = bulk(
        client,
        "triage",
        complaints,
        action="route",
        to=world.positions.se.pk,
        instructions="Check the feeders in your circle.",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 complaints done" in page
    assert "0 refused" in page
    assert page.count("Now with Superintending Engineer, LESCO Lahore Circle.") == 3
    for complaint in complaints:
        moved = fresh(complaint)
        assert (moved.status, moved.assigned_position) == (Status.ASSIGNED, world.positions.se)
        [event] = moved.events.filter(action=Action.ROUTE)
        assert event.data["instructions"] == "Check the feeders in your circle."
        assert event.actor == world.officers.focal


def test_a_complaint_that_moved_meanwhile_is_refused_and_the_others_are_done(
    client, world, sms_outbox
):
    first, moved_meanwhile, last = in_triage(world, 3)
    complaint_route(complaint=moved_meanwhile, officer=world.officers.focal, to=world.positions.se)
    before = fresh(moved_meanwhile).event_count
    client.force_login(world.officers.focal)
    response = bulk(
        client,
        "triage",
        [first, moved_meanwhile, last, "PB-2000-0000404-Z"],
        action="route",
        to=world.positions.ceo.pk,
    )
    page = response.content.decode()
    assert "2 complaints done" in page
    assert "2 refused" in page
    refused = page.split(moved_meanwhile.reference)[1].split("</tr>")[0]
    assert "Refused" in refused
    assert "not possible while the complaint is “With the office”" in refused
    assert "There is no complaint with this reference that you may act on." in page
    assert fresh(first).assigned_position == fresh(last).assigned_position == world.positions.ceo
    assert fresh(moved_meanwhile).assigned_position == world.positions.se
    assert fresh(moved_meanwhile).event_count == before


def test_linking_many_as_duplicates_of_one_complaint(client, world, sms_outbox):
    earlier, second, third = in_triage(world, 3)
    client.force_login(world.officers.focal)
    # The earlier one ticked too: it is left out, not linked to itself.
    response = bulk(
        client,
        "triage",
        [earlier, second, third],
        action="link_duplicate",
        earlier_reference=earlier.reference.lower(),
    )
    page = response.content.decode()
    assert "2 complaints done" in page
    assert page.count(f"Closed as a duplicate of {earlier.reference}.") == 2
    for duplicate in (second, third):
        closed = fresh(duplicate)
        assert (closed.status, closed.drop_reason) == (Status.DROPPED, DropReason.DUPLICATE)
        assert closed.duplicate_of == earlier
        assert closed.events.filter(action=Action.LINK_DUPLICATE).count() == 1
    assert fresh(earlier).status == Status.TRIAGE


def test_marking_many_down_from_the_focal_persons_own_post(client, world, sms_outbox, assistant):
    complaints = in_triage(world, 2)
    for complaint in complaints:  # directed to the cell itself: now the cell's to act on
        complaint_route(complaint=complaint, officer=world.officers.focal, to=world.positions.focal)
    client.force_login(world.officers.focal)
    page = client.get(reverse("complaints:focal_desk")).content.decode()
    assert all(c.reference in page for c in complaints)
    assert "Mark them down to a post" in page
    assert "Direct them to a post" not in page
    response = bulk(client, "desk", complaints, action="mark_down", to=assistant.pk)
    assert response.status_code == 400
    assert "Please give instructions (at least 10 characters)." in response.content.decode()
    assert all(fresh(c).assigned_position == world.positions.focal for c in complaints)
    response = bulk(
        client,
        "desk",
        complaints,
        action="mark_down",
        to=assistant.pk,
        instructions="Call each consumer and report back.",
    )
    assert "2 complaints done" in response.content.decode()
    for complaint in complaints:
        moved = fresh(complaint)
        assert moved.assigned_position == assistant
        assert moved.due_on == complaint_due(complaint)  # marking down keeps the deadline
        assert moved.events.filter(action=Action.MARK_DOWN).count() == 1


def complaint_due(complaint):
    return Complaint.objects.filter(pk=complaint.pk).values_list("due_on", flat=True)[0]


def test_mark_down_to_a_post_not_below_is_refused_per_complaint(client, world, sms_outbox):
    [complaint] = in_triage(world, 1)
    complaint_route(complaint=complaint, officer=world.officers.focal, to=world.positions.focal)
    client.force_login(world.officers.focal)
    response = bulk(
        client,
        "desk",
        [complaint],
        action="mark_down",
        to=world.positions.se.pk,
        instructions="Please look into this one.",
    )
    page = response.content.decode()
    assert "0 complaints done" in page
    assert "A complaint can only be marked down to a post below yours." in page
    assert fresh(complaint).assigned_position == world.positions.focal


def test_another_departments_complaints_are_not_touched_and_tell_nothing(client, world, sms_outbox):
    [complaint] = in_triage(world, 1)
    wasa_post = world.stranger.holdings.get().position
    client.force_login(world.stranger)  # WASA's focal person, with LESCO's reference
    response = bulk(
        client, "triage", [complaint], action="link_duplicate", earlier_reference="PB-X"
    )
    page = response.content.decode()
    assert "There is no complaint with this reference that you may act on." in page
    assert complaint.subject not in page
    response = bulk(client, "triage", [complaint], action="route", to=world.positions.se.pk)
    assert response.status_code == 400  # LESCO's post is not one they may choose
    assert "Select a valid choice" in response.content.decode()
    outcomes = complaints_bulk_apply(
        officer=world.stranger,
        data=BulkInput(action="route", references=[complaint.reference], to=wasa_post),
    )
    assert [o.done for o in outcomes] == [False]
    assert fresh(complaint).status == Status.TRIAGE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "route"}, "Choose the post."),
        ({"action": "link_duplicate"}, "Give the reference of the earlier complaint."),
        ({"action": "explode"}, "Select a valid choice"),
        ({"action": "mark_down", "instructions": "Go and see."}, "Select a valid choice"),
        ({"action": "route", "queue": "everything"}, "Select a valid choice"),
    ],
)
def test_a_bad_batch_is_refused_whole_with_the_reason(client, world, sms_outbox, data, message):
    complaints = in_triage(world, 2)
    client.force_login(world.officers.focal)
    response = client.post(
        reverse("complaints:focal_bulk"),
        {"queue": "triage", "complaints": [c.reference for c in complaints], **data},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert all(fresh(c).status == Status.TRIAGE for c in complaints)


def test_none_or_too_many_ticked_is_refused(client, world, sms_outbox):
    complaints = in_triage(world, 1)
    client.force_login(world.officers.focal)
    response = bulk(client, "triage", [], action="route", to=world.positions.se.pk)
    assert response.status_code == 400
    assert "Select at least one complaint." in response.content.decode()
    many = [complaints[0].reference] + [f"PB-2026-{n:07d}-A" for n in range(MAX_BATCH)]
    response = bulk(client, "triage", many, action="route", to=world.positions.se.pk)
    assert response.status_code == 400
    assert f"Select at most {MAX_BATCH} complaints at a time." in response.content.decode()
    assert fresh(complaints[0]).status == Status.TRIAGE
    with pytest.raises(ApplicationError, match="at most"):
        complaints_bulk_apply(
            officer=world.officers.focal,
            data=BulkInput(action="route", references=many, to=world.positions.se),
        )


def test_the_ticks_are_kept_when_a_batch_is_refused(client, world, sms_outbox):
    ticked, not_ticked = in_triage(world, 2)
    client.force_login(world.officers.focal)
    response = bulk(client, "triage", [ticked], action="route")
    page = response.content.decode()
    assert f'value="{ticked.reference}" id="pick-{ticked.pk}" checked' in page
    assert f'value="{not_ticked.reference}" id="pick-{not_ticked.pk}">' in page


@pytest.mark.parametrize(("who", "expected"), [("se", 403), ("citizen", 403), ("nobody", 302)])
def test_only_focal_persons_act_in_bulk(client, world, sms_outbox, who, expected):
    complaints = in_triage(world, 1)
    if who == "se":
        client.force_login(world.officers.se)
    elif who == "citizen":
        client.force_login(world.citizen)
    response = bulk(client, "triage", complaints, action="route", to=world.positions.se.pk)
    assert response.status_code == expected
    assert fresh(complaints[0]).status == Status.TRIAGE
