"""The alert pages and the dashboards' panel, as each kind of user meets them: the focal person
sees the department's alerts with the complaints behind them and acknowledges; leadership sees
them on the dashboards; another department's focal person and citizens never do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.core import clock
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.hotspots.models import HotspotAlert
from citizen_portal.hotspots.services.detection import hotspots_detect
from citizen_portal.hotspots.tests.helpers import plant_weeks

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(world) -> HotspotAlert:
    plant_weeks(world, clock.today(), [15, 2, 2, 1, 3, 2, 2, 2, 2])
    [raised] = hotspots_detect().raised
    return raised


def _dashboard(scope: str, pk: int) -> str:
    return reverse("analytics:dashboard", args=[scope, pk])


def test_the_focal_person_sees_the_alert_and_the_complaints_behind_it(client, world, alert):
    client.force_login(world.officers.focal)
    listing = client.get(reverse("hotspots:list")).content.decode()
    assert "Over-billing" in listing
    assert "Lahore" in listing
    page = client.get(reverse("hotspots:detail", args=[alert.pk])).content.decode()
    assert "Acknowledge" in page
    assert page.count("/work/HS-") == 15  # each complaint counted, linked to its work page
    # No citizen is named.
    assert world.citizen.full_name not in page
    assert world.citizen.phone not in page


def test_the_focal_person_acknowledges_with_a_note(client, world, alert):
    client.force_login(world.officers.focal)
    url = reverse("hotspots:acknowledge", args=[alert.pk])
    response = client.post(url, {"note": "Meter reading team sent to Gulberg."}, follow=True)
    assert "The alert is acknowledged." in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == HotspotAlert.Status.ACKNOWLEDGED
    assert alert.acknowledged_by == world.officers.focal
    assert alert.note == "Meter reading team sent to Gulberg."
    # Too long a note is a clear error, not a 500.
    refused = client.post(url, {"note": "x" * 2001})
    assert refused.status_code == 400
    assert "Ensure this value has at most 2000 characters" in refused.content.decode()


def test_an_acknowledged_alert_stays_single_and_a_closed_one_is_not_acknowledged(
    client, world, alert
):
    client.force_login(world.officers.focal)
    client.post(reverse("hotspots:acknowledge", args=[alert.pk]), {"note": "On it."})
    assert hotspots_detect().refreshed == 1
    assert HotspotAlert.objects.count() == 1
    HotspotAlert.objects.filter(pk=alert.pk).update(status=HotspotAlert.Status.CLOSED)
    response = client.post(reverse("hotspots:acknowledge", args=[alert.pk]), {"note": "Late."})
    assert response.status_code == 400
    assert "This alert has closed" in response.content.decode()


def test_leadership_and_the_head_see_it_but_do_not_acknowledge_or_list_complaints(
    client, world, alert
):
    for user in (StaffFactory(username="pmdu.analyst", role=Role.ANALYST), world.officers.ceo):
        client.force_login(user)
        page = client.get(reverse("hotspots:detail", args=[alert.pk])).content.decode()
        assert "Over-billing" in page
        assert "/work/HS-" not in page
        assert 'name="note"' not in page
        refused = client.post(reverse("hotspots:acknowledge", args=[alert.pk]), {"note": "x"})
        assert refused.status_code == 403


def test_another_departments_focal_person_and_citizens_never_see_it(client, world, alert):
    client.force_login(world.stranger)  # WASA's focal person
    assert client.get(reverse("hotspots:detail", args=[alert.pk])).status_code == 404
    assert client.post(reverse("hotspots:acknowledge", args=[alert.pk])).status_code == 404
    assert "Over-billing" not in client.get(reverse("hotspots:list")).content.decode()
    client.force_login(world.citizen)
    assert client.get(reverse("hotspots:list")).status_code == 403
    assert client.get(reverse("hotspots:detail", args=[alert.pk])).status_code == 403
    # An officer who keeps no department and heads none has no alerts page.
    client.force_login(world.officers.se)
    assert client.get(reverse("hotspots:list")).status_code == 403
    assert client.get(reverse("hotspots:detail", args=[alert.pk])).status_code == 404


def test_the_dashboards_show_the_alert_in_scope_and_not_out_of_it(client, world, alert):
    client.force_login(StaffFactory(username="pmdu.analyst", role=Role.ANALYST))
    for scope, pk in [("nation", 0), ("tier", world.tier.pk), ("department", world.lesco.pk)]:
        page = client.get(_dashboard(scope, pk)).content.decode()
        assert "Hotspot alerts" in page, scope
        assert reverse("hotspots:detail", args=[alert.pk]) in page, scope
    other = world.stranger.holdings.get().position.office.department
    page = client.get(_dashboard("department", other.pk)).content.decode()
    assert "Hotspot alerts" not in page
    # The focal person's own department dashboard shows it too.
    client.force_login(world.officers.focal)
    page = client.get(_dashboard("department", world.lesco.pk)).content.decode()
    assert reverse("hotspots:detail", args=[alert.pk]) in page


def test_the_pages_speak_urdu(client, world, alert):
    client.force_login(world.officers.focal)
    page = client.get(
        reverse("hotspots:detail", args=[alert.pk]), HTTP_ACCEPT_LANGUAGE="ur"
    ).content.decode()
    assert 'dir="rtl"' in page


def test_the_list_reads_the_same_few_queries_however_many_alerts(client, world, alert):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.officers.focal)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("hotspots:list"))
    plant_weeks(world, clock.today(), [15, 1, 1, 1, 1, 1, 1, 1, 1], area=world.kasur)
    plant_weeks(world, clock.today(), [15], category=world.supply)
    assert len(hotspots_detect().raised) == 2
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("hotspots:list")).content.decode()
    assert page.count("/hotspots/") >= 3
    assert len(three) == len(one)
