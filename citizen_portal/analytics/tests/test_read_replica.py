"""With a read replica (DATABASE_REPLICA_URL), the dashboards, the transparency page and its open
data, and export jobs read from it; lodging, and every write, use the primary.

The replica here is what Django's test runner makes of a configured one: an alias that is a
TEST mirror of "default", a second connection to the same test database. Tests commit
(transaction=True), as a primary does before its replica can show anything."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.analytics.services.rollups import rollups_refresh
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.lodging_steps import lodge_on_the_web
from citizen_portal.core.db_router import REPLICA, reading_from_replica
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.exports.models import ExportJob, JobStatus

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """DATABASES["replica"] as settings.py builds it from DATABASE_REPLICA_URL, pointed (TEST
    MIRROR) at the test database. Module-scoped: it must exist before each test's database
    set-up names it."""
    primary = connections["default"].settings_dict
    replica = copy.deepcopy(primary)
    replica["TEST"] = {**primary["TEST"], "MIRROR": "default"}
    connections.settings[REPLICA] = replica
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def _sql(captured: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"] for query in captured.captured_queries)


@pytest.fixture
def analyst(client, world):
    client.force_login(StaffFactory(username="pmdu.analyst", role=Role.ANALYST))
    return client


def test_a_lodge_uses_only_the_primary(client, world):
    client.force_login(world.citizen)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        lodge_on_the_web(client, world)
    assert Complaint.objects.count() == 1
    assert on_replica.captured_queries == []
    assert "complaints_complaint" in _sql(on_primary)


def test_a_dashboard_reads_its_figures_from_the_replica(analyst, world):
    lodge(world)
    rollups_refresh()
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = analyst.get(reverse("analytics:dashboard", args=["nation", 0]))
    assert response.status_code == 200
    assert '<dd class="value">1</dd>' in response.content.decode()  # the replica's figures
    assert "analytics_flow" in _sql(on_replica)
    # The primary only answered who is logged in.
    assert "analytics_" not in _sql(on_primary)
    assert "django_session" in _sql(on_primary)
    assert "django_session" not in _sql(on_replica)


def test_the_transparency_page_and_its_open_data_read_from_the_replica(client, world):
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        for name in ("transparency:page", "transparency:data_csv", "transparency:data_json"):
            assert client.get(reverse(name)).status_code == 200, name
    assert "analytics_" in _sql(on_replica)
    assert "analytics_" not in _sql(on_primary)


def test_an_export_job_reads_its_rows_from_the_replica_and_records_progress_on_the_primary(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_INLINE_MAX_ROWS = 1
    lodge(world)
    lodge(world)
    client.force_login(world.officers.se)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        client.post(reverse("exports:start", args=["inbox"]), {"format": "csv"})
    job = ExportJob.objects.get()
    assert (job.status, job.rows_done) == (JobStatus.DONE, 2)
    assert "complaints_complaint" in _sql(on_replica)
    assert 'UPDATE "exports_exportjob"' in _sql(on_primary)
    assert "exports_exportjob" not in _sql(on_replica)  # the job's own row: primary only


def test_reads_inside_a_write_transaction_stay_on_the_primary(db):
    with reading_from_replica():
        assert router.db_for_read(Complaint) == REPLICA
        with transaction.atomic():
            # The replica could not see what this transaction has written.
            assert router.db_for_read(Complaint) == "default"
    assert router.db_for_read(Complaint) == "default"
