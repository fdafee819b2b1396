"""A partner's intake account lodges for all of the partner's reporters: the per-citizen
lodging limits do not apply to it (its posts are limited per key, OPEN311_RATE_POSTS)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from citizen_portal.complaints.models import Complaint
from citizen_portal.open311.tests.helpers import post_form, request_fields

pytestmark = pytest.mark.django_db


def test_a_partner_posts_past_the_citizens_limit(
    client: Client, world: SimpleNamespace, partner: SimpleNamespace, settings: Any
) -> None:
    settings.LODGE_MAX_PER_HOUR, settings.LODGE_MAX_PER_DAY = 2, 2
    for n in range(4):
        fields = request_fields(world, partner.raw, description=f"Reporter {n}: bill doubled.")
        response = post_form(client, "requests.json", fields)
        assert response.status_code == 201, response.content
    assert Complaint.objects.filter(citizen=partner.account).count() == 4
