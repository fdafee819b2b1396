"""Refused requests (403: the portal's own checks and Django's PermissionDenied) are recorded;
missing pages (404) are not. Only superusers read the log in the admin, and nobody can add,
change or delete a record there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.audit.models import AuditAction, AuditOutcome
from citizen_portal.audit.tests.conftest import records
from citizen_portal.directory.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_a_citizen_opening_a_staff_page_is_refused_and_recorded(client, world):
    client.force_login(world.citizen)
    response = client.get(reverse("exports:jobs") + "?q=secret-search")
    assert response.status_code == 403
    [refusal] = records(AuditAction.ACCESS_DENIED)
    assert (refusal.actor, refusal.outcome) == (world.citizen, AuditOutcome.DENIED)
    assert refusal.details == {"method": "GET", "path": reverse("exports:jobs")}
    assert refusal.actor_label.startswith("+92")
    assert "•" in refusal.actor_label


def test_refusals_of_the_api_and_of_a_forged_form_are_recorded_once_each(client, world):
    from django.test import Client

    from citizen_portal.api.tests.clients import api_for

    api = api_for(world.citizen)
    assert api.get("/api/v1/work/").status_code == 403  # a citizen at the officers' inbox
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(world.citizen)
    assert forged.post(reverse("accounts:me_name"), {"full_name": "X"}).status_code == 403
    paths = [r.details["path"] for r in records(AuditAction.ACCESS_DENIED)]
    assert sorted(paths) == sorted(["/api/v1/work/", reverse("accounts:me_name")])


def test_missing_pages_are_not_recorded(client, world):
    client.force_login(world.officers.se)
    for number in range(5):
        assert client.get(f"/no-such-page-{number}/").status_code == 404
    assert records(AuditAction.ACCESS_DENIED) == []


def test_only_superusers_read_the_log_and_nobody_edits_it(client, world):
    root = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(root)
    listing = client.get(reverse("admin:audit_auditrecord_changelist"), {"action": "login"})
    assert listing.status_code == 200
    assert "root" in listing.content.decode()
    entry = records(AuditAction.LOGIN)[0]
    assert client.get(reverse("admin:audit_auditrecord_add")).status_code == 403
    delete_url = reverse("admin:audit_auditrecord_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:audit_auditrecord_change", args=[entry.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()

    # Staff who may use the admin but are not superusers: refused, by Django's 403 handler,
    # and that refusal is itself recorded.
    admin = StaffFactory(username="tier.admin", role=Role.ADMINISTRATOR, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("admin:audit_auditrecord_changelist")).status_code == 403
    [refusal] = records(AuditAction.ACCESS_DENIED, actor=admin)
    assert (refusal.actor, refusal.target_label) == (admin, "/admin/audit/auditrecord/")
