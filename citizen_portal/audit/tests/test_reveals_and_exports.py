"""Reveals of an identity document and exports of complaint lists are recorded: who, which
citizen or list, why or with which filters; never the number itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.accounts.services.reveal import document_reveal
from citizen_portal.accounts.tests.test_personal_data import _register
from citizen_portal.audit.models import AuditAction
from citizen_portal.audit.tests.conftest import everything_recorded, records
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.exports.models import ExportJob

pytestmark = pytest.mark.django_db


def test_a_document_reveal_is_recorded_with_its_reason_and_without_the_number(world):
    profile = _register(world).profile
    agent = StaffFactory(username="helpline.1", role=Role.AGENT)
    number = document_reveal(profile=profile, viewer=agent, reason="Caller verifying identity")

    [reveal] = records(AuditAction.DOCUMENT_REVEALED)
    assert (reveal.actor, reveal.actor_label) == (agent, "helpline.1")
    assert reveal.target_type == "accounts.citizenprofile"
    assert reveal.target_label == "+923••••••999"
    assert reveal.details == {"document_type": "cnic", "reason": "Caller verifying identity"}
    assert number not in everything_recorded()
    assert number.replace("-", "") not in everything_recorded()


def test_a_small_export_is_recorded_with_its_list_and_filters(client, world, sms_outbox):
    lodge(world)
    client.force_login(world.officers.se)
    url = reverse("exports:start", args=["inbox"]) + "?channel=web"
    assert client.post(url, {"format": "csv"}).status_code == 200

    [export] = records(AuditAction.EXPORT_STARTED)
    assert export.actor == world.officers.se
    assert export.details == {
        "source": "inbox",
        "format": "csv",
        "filters": "channel=web",
        "delivery": "inline",
    }


def test_a_large_export_is_recorded_when_queued_and_each_time_it_is_downloaded(
    client, world, sms_outbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_INLINE_MAX_ROWS = 0
    lodge(world)
    client.force_login(world.officers.se)
    response = client.post(reverse("exports:start", args=["inbox"]), {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    [started] = records(AuditAction.EXPORT_STARTED)
    assert (started.target_id, started.details["delivery"]) == (str(job.pk), "job")

    from citizen_portal.exports.services.jobs import export_job_run

    export_job_run(job.pk)
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    b"".join(download.streaming_content)
    [downloaded] = records(AuditAction.EXPORT_DOWNLOADED)
    assert (downloaded.actor, downloaded.target_id) == (world.officers.se, str(job.pk))
