"""Administrators issue partner keys (the raw key shown once) and revoke API tokens."""

from __future__ import annotations

import re

from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.api.models import ApiToken, PartnerKey
from citizen_portal.api.services.tokens import token_find, token_issue
from citizen_portal.complaints.models import Complaint
from citizen_portal.directory.tests.factories import CitizenFactory, StaffFactory
from citizen_portal.open311.services.partner_keys import partner_key_hash
from citizen_portal.open311.tests.helpers import post_form, request_fields

KEY = re.compile(r"cpk_[A-Za-z0-9_-]{43}")


def _administrator(client):
    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def test_an_issued_key_is_shown_once_and_works(client, world):
    _administrator(client)
    intake = CitizenFactory(phone="+923217770000", full_name="Rescue 1122 intake desk")
    response = client.post(
        reverse("admin:api_partnerkey_add"),
        {"name": "Rescue 1122", "account": intake.pk, "_save": "Save"},
    )
    assert response.status_code == 302
    # The page after saving shows the key, once.
    raw = KEY.search(client.get(response["Location"]).content.decode())
    assert raw is not None
    key = PartnerKey.objects.get(name="Rescue 1122")
    # Only the hash is stored; lists and the key's page show the prefix, never the key.
    assert key.key_hash == partner_key_hash(raw[0])
    assert raw[0].startswith(key.prefix)
    for page in (
        reverse("admin:api_partnerkey_changelist"),
        reverse("admin:api_partnerkey_change", args=[key.pk]),
    ):
        body = client.get(page).content.decode()
        assert key.prefix in body
        assert raw[0] not in body
    client.logout()
    posted = post_form(client, "requests.json", request_fields(world, raw[0]))
    assert posted.status_code == 201
    assert Complaint.objects.get().citizen == intake


def test_the_intake_account_must_be_an_active_citizen_account(client, world):
    _administrator(client)
    response = client.post(
        reverse("admin:api_partnerkey_add"),
        {"name": "Wrong desk", "account": world.officers.se.pk, "_save": "Save"},
    )
    assert response.status_code == 200
    assert "must be an active citizen account" in response.content.decode()
    assert not PartnerKey.objects.exists()


def test_a_deactivated_key_stops_working(client, world, partner):
    _administrator(client)
    client.post(
        reverse("admin:api_partnerkey_changelist"),
        {"action": "deactivate", "_selected_action": [partner.key.pk]},
    )
    partner.key.refresh_from_db()
    assert not partner.key.is_active
    client.logout()
    assert post_form(client, "requests.json", request_fields(world, partner.raw)).status_code == 403


def test_api_tokens_are_read_only_and_can_be_revoked(client, world):
    _administrator(client)
    token, raw = token_issue(user=world.citizen, label="Pixel 8")
    changelist = reverse("admin:api_apitoken_changelist")
    body = client.get(changelist).content.decode()
    assert token.prefix in body
    assert raw not in body
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash not in page
    client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_find(raw) is None
    assert ApiToken.objects.count() == 1


def test_administrators_of_one_tier_do_not_see_partner_keys(client, world, partner):
    provincial = StaffFactory(
        username="pb.admin",
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
        scope_tier=world.tier,
    )
    client.force_login(provincial)
    assert client.get(reverse("admin:api_partnerkey_changelist")).status_code == 403
    assert client.get(reverse("admin:api_partnerkey_add")).status_code == 403
