"""A disputed resolution is an appeal: the first goes one level above the officer who
resolved it, the second to the tier's complaint cell outside the department, and after that
the decision stands. Never back to the officer who resolved it."""

import pytest

from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge

pytestmark = pytest.mark.django_db(transaction=True)


def _dispute(world, complaint):
    complaint_give_feedback(
        complaint=complaint, citizen=world.citizen, data=FeedbackInput(False, 1, "Not solved")
    )
    complaint.refresh_from_db()
    return complaint


def _resolve(complaint, officer):
    complaint_resolve(complaint=complaint, officer=officer, remark="We looked into it again.")
    complaint.refresh_from_db()
    return complaint


def test_first_appeal_goes_up_the_chain_second_to_the_cell_then_it_is_final(world):
    complaint = _resolve(lodge(world), world.officers.se)

    complaint = _dispute(world, complaint)
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.ceo
    assert complaint.dispute_count == 1
    assert complaint.due_on is not None

    complaint = _dispute(world, _resolve(complaint, world.officers.ceo))
    assert complaint.assigned_position == world.positions.cell
    assert complaint.dispute_count == 2
    # The cell, outside LESCO's chain, hears it as the holder of the post.
    complaint = _resolve(complaint, world.cell_officer)

    complaint = _dispute(world, complaint)
    assert complaint.status == Status.CLOSED
    final = complaint.events.order_by("-seq").first()
    assert final.action == "dispute"
    assert final.data["final"] is True
    assert complaint.feedbacks.count() == 3


def test_an_appeal_skips_posts_the_resolving_officer_also_holds(world):
    from citizen_portal.directory.tests.factories import hold

    # The SE also holds the CEO's post (acting charge): the appeal must not come back to them.
    world.positions.ceo.holdings.update(ended_at=world.positions.ceo.holdings.first().started_at)
    hold(world.officers.se, world.positions.ceo)
    complaint = _dispute(world, _resolve(lodge(world), world.officers.se))
    assert complaint.assigned_position not in {world.positions.se, world.positions.ceo}
    assert complaint.assigned_position == world.positions.focal


def test_without_a_complaint_cell_the_second_appeal_is_final(world):
    world.tier.complaint_cell = None
    world.tier.save()
    complaint = _dispute(world, _resolve(lodge(world), world.officers.se))
    complaint = _dispute(world, _resolve(complaint, world.officers.ceo))
    assert complaint.status == Status.CLOSED
    assert Complaint.objects.get().dispute_count == 2
