"""Without DATABASE_REPLICA_URL there is one database, and `reading_from_replica` changes
nothing: the dashboards read the primary as before. (With a replica: analytics/tests/
test_read_replica.py.)"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.analytics.services.rollups import rollups_refresh
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.db_router import REPLICA, ReplicaRouter, reading_from_replica
from citizen_portal.directory.tests.factories import StaffFactory


def test_without_a_replica_the_context_reads_and_writes_the_one_database():
    assert REPLICA not in connections.settings
    with reading_from_replica():
        assert router.db_for_read(Complaint) == "default"
        assert router.db_for_write(Complaint) == "default"
    assert router.db_for_read(Complaint) == "default"


@pytest.mark.django_db
def test_without_a_replica_a_dashboard_shows_its_figures(client, world):
    lodge(world)
    rollups_refresh()
    client.force_login(StaffFactory(username="pmdu.analyst", role=Role.ANALYST))
    response = client.get(reverse("analytics:dashboard", args=["nation", 0]))
    assert response.status_code == 200
    assert '<dd class="value">1</dd>' in response.content.decode()


def test_the_replica_never_takes_writes_logins_or_migrations(monkeypatch):
    # No database here (and so no test transaction, in which reads stay on the primary).
    monkeypatch.setitem(connections.settings, REPLICA, connections.settings["default"])
    chosen = ReplicaRouter()
    with reading_from_replica():
        assert chosen.db_for_read(Complaint) == REPLICA
        assert chosen.db_for_write(Complaint) == "default"
        # Who is logged in is read where the login was written.
        assert chosen.db_for_read(Session) == "default"
    assert chosen.allow_migrate(REPLICA, "complaints") is False
    assert chosen.allow_migrate("default", "complaints") is None
