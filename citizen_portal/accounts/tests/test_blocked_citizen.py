"""A citizen blocked for abuse still reads their complaints and the answers to them, on the web
and in the app, but lodges and writes nothing; unblocked, they may again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.accounts.services.lifecycle import account_block, account_unblock
from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Status
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

BLOCKED = "Your account is blocked for misuse"


@pytest.fixture
def blocked(world):
    complaint = lodge(world)
    complaint_resolve(
        complaint=complaint, officer=world.officers.se, remark="The bill was corrected."
    )
    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    account_block(user=world.citizen, by=admin, reason="Forty abusive complaints in a week")
    return complaint, admin


def test_a_blocked_citizen_logs_in_and_reads_their_complaints_but_is_offered_nothing_to_do(
    client, world, blocked
):
    complaint, _admin = blocked
    client.force_login(world.citizen)
    mine = client.get(reverse("complaints:mine")).content.decode()
    assert complaint.reference in mine
    assert BLOCKED in mine
    assert reverse("complaints:lodge") not in mine
    page = client.get(reverse("complaints:detail", args=[complaint.reference]))
    assert page.status_code == 200
    assert "The bill was corrected." in page.content.decode()
    assert 'name="satisfied"' not in page.content.decode()  # no feedback form
    # The steps of lodging send them back to their list, where the notice says why.
    assert client.get(reverse("complaints:lodge"))["Location"] == reverse("complaints:mine")


def test_a_blocked_citizens_feedback_is_refused_and_the_complaint_unchanged(client, world, blocked):
    complaint, _admin = blocked
    client.force_login(world.citizen)
    response = client.post(
        reverse("complaints:detail", args=[complaint.reference]),
        {"satisfied": "no", "rating": 1, "comment": "Never fixed"},
    )
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED


def test_the_app_shows_a_blocked_citizen_their_complaints_and_refuses_writes(world, blocked):
    complaint, _admin = blocked
    api = api_for(world.citizen)
    listed = api.get("/api/v1/complaints/")
    assert listed.status_code == 200
    assert [c["reference"] for c in listed.json()["results"]] == [complaint.reference]
    detail = api.get(f"/api/v1/complaints/{complaint.reference}/").json()
    assert detail["allowed_actions"] == []
    lodged = api.post(
        "/api/v1/complaints/",
        {
            "category": "FED-LESCO.BILL.OVER",
            "area": "PK-PB-LHR-LHR",
            "subject": "Another bill",
            "description": "And another complaint about the very same bill.",
        },
        format="json",
    )
    assert lodged.status_code == 403
    assert lodged.json()["error"]["code"] == "blocked"
    feedback = api.post(
        f"/api/v1/complaints/{complaint.reference}/feedback/",
        {"satisfied": False, "rating": 1},
        format="json",
    )
    assert feedback.status_code == 403


def test_unblocked_the_citizen_lodges_again(world, blocked):
    _complaint, admin = blocked
    account_unblock(user=world.citizen, by=admin, reason="Apologised in writing")
    lodge(world)
    assert world.citizen.complaints.count() == 2
