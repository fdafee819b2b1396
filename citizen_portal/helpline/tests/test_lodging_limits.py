"""The citizens' lodging limits do not hold a helpline agent lodging for a caller: the agent is
accountable staff, and a caller who has used up their own lodging still gets through by phone."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Channel, Complaint
from citizen_portal.complaints.services.lodging_limits import LodgingLimitReached
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.models import Category

pytestmark = pytest.mark.django_db


def test_an_agent_lodges_for_a_caller_past_the_callers_own_limit(
    agent: User, caller: User, world: SimpleNamespace, general: Category, settings: Any
) -> None:
    settings.LODGE_MAX_PER_HOUR, settings.LODGE_MAX_PER_DAY = 1, 1
    lodge(world)  # the caller's own, on the web: their limit is used up
    with pytest.raises(LodgingLimitReached):
        lodge(world)
    client = Client()
    client.force_login(agent)
    client.post("/helpline/", {"query": "0300 1112233", "nationality": ""})
    for subject in ["Bill doubled", "Meter not read"]:
        page = client.get("/helpline/caller/lodge/").text
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
        assert key is not None
        posted = {
            "kind": "complaint",
            "category": str(world.billing.pk),
            "district": str(world.lahore.pk),
            "subject": subject,
            "description": "The caller's bill doubled this month without any reason.",
            "idempotency_key": key.group(1),
        }
        done = client.post("/helpline/caller/lodge/", posted, follow=True)
        lodged = Complaint.objects.get(citizen=caller, subject=subject)
        assert f"Read the reference out to the caller: {lodged.reference}" in done.text
        assert (lodged.channel, lodged.entered_by) == (Channel.PHONE, agent)
