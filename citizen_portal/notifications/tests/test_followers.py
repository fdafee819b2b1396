"""A citizen whose complaint was linked to an earlier one as a duplicate follows that one: they
are told, on their own complaint, when it is resolved, closed or reopened."""

import pytest
from django.urls import reverse

from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.officer_actions import (
    complaint_link_duplicate,
    complaint_resolve,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.notifications.tests.helpers import inbox, sms_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def linked(world, sms_outbox):
    original = lodge(world)
    follower = lodge(world, citizen=world.other_citizen)
    complaint_link_duplicate(
        complaint=follower, officer=world.officers.se, earlier_reference=original.reference
    )
    return original, follower


def test_the_follower_is_told_which_complaint_theirs_now_follows(world, sms_outbox, linked):
    original, follower = linked
    sms = sms_to(sms_outbox, world.other_citizen.phone)[-1]
    assert follower.reference in sms
    assert f"followed under {original.reference}" in sms


def test_a_follower_is_told_when_the_original_is_resolved(world, sms_outbox, linked):
    original, follower = linked
    complaint_resolve(complaint=original, officer=world.officers.se, remark="Bills corrected.")
    sms = sms_to(sms_outbox, world.other_citizen.phone)[-1]
    assert f"Complaint {original.reference}, which your complaint {follower.reference}" in sms
    assert "resolved" in sms
    notice = inbox(world.other_citizen)[-1]
    assert "Bills corrected." in notice.body
    # On the follower's own page: the original is not theirs to open.
    assert notice.url == reverse("complaints:detail", args=[follower.reference])
    assert notice.complaint == follower


def test_a_follower_is_told_when_the_original_is_reopened_and_when_it_closes(
    world, sms_outbox, linked
):
    original, follower = linked
    complaint_resolve(complaint=original, officer=world.officers.se, remark="Bills corrected.")
    complaint_give_feedback(
        complaint=original, citizen=world.citizen, data=FeedbackInput(False, 1, "Still wrong")
    )
    assert "reopened" in sms_to(sms_outbox, world.other_citizen.phone)[-1]
    complaint_resolve(complaint=original, officer=world.officers.ceo, remark="Refund issued.")
    complaint_give_feedback(
        complaint=original, citizen=world.citizen, data=FeedbackInput(True, 5, "Thanks")
    )
    closed = sms_to(sms_outbox, world.other_citizen.phone)[-1]
    assert original.reference in closed
    assert follower.reference in closed
    assert "closed" in closed
    titles = [n.title for n in inbox(world.other_citizen)]
    assert titles[-4:] == [
        f"Complaint {original.reference} resolved (your complaint {follower.reference})",
        f"Complaint {original.reference} reopened (your complaint {follower.reference})",
        f"Complaint {original.reference} resolved (your complaint {follower.reference})",
        f"Complaint {original.reference} closed (your complaint {follower.reference})",
    ]
