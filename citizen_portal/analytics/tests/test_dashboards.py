"""The dashboards as their users meet them: who may open which, what the panels say after
complaints move, and that bad choices in the address get a message, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.analytics.services.rollups import rollups_refresh
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import StaffFactory, TierFactory

pytestmark = pytest.mark.django_db


def _url(scope: str, pk: int, **query: str) -> str:
    address = reverse("analytics:dashboard", args=[scope, pk])
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


@pytest.fixture
def leadership(world):
    return StaffFactory(username="pmdu.analyst", role=Role.ANALYST)


@pytest.fixture
def figures(world):
    """Three complaints in Lahore, one resolved by the Superintending Engineer."""
    complaints = [lodge(world) for _ in range(3)]
    complaint_resolve(
        complaint=complaints[0], officer=world.officers.se, remark="Bill corrected, refund given."
    )
    rollups_refresh()
    return complaints


def test_leadership_sees_the_nation_with_what_happened(client, world, leadership, figures):
    client.force_login(leadership)
    response = client.get(reverse("analytics:home"))
    assert response["Location"] == _url("nation", 0)
    page = client.get(_url("nation", 0)).content.decode()
    assert "Pakistan" in page
    # Lodged 3, resolved 1: the totals, and the government's row below.
    assert '<dd class="value">3</dd>' in page
    assert '<dd class="value">1</dd>' in page
    assert world.tier.name_en in page


def test_the_drill_down_reaches_the_post_with_the_same_panels(client, world, leadership, figures):
    client.force_login(leadership)
    for scope, pk in [
        ("tier", world.tier.pk),
        ("department", world.lesco.pk),
        ("office", world.positions.se.office_id),
        ("position", world.positions.se.pk),
    ]:
        response = client.get(_url(scope, pk))
        assert response.status_code == 200, scope
        page = response.content.decode()
        assert "Totals" in page
        assert "Trend" in page
    office = client.get(_url("office", world.positions.se.office_id)).content.decode()
    # Offices count what reached their posts: 3 received, 1 resolved.
    assert "Received" in office
    assert "Superintending Engineer" in office


def test_a_district_narrows_every_panel(client, world, leadership, figures):
    lodge(world, area=world.kasur)
    rollups_refresh()
    client.force_login(leadership)
    page = client.get(_url("nation", 0, district=str(world.kasur.pk))).content.decode()
    assert "Kasur" in page
    assert '<dd class="value">1</dd>' in page  # only Kasur's complaint


def test_a_tier_analyst_sees_only_their_government(client, world, figures):
    other = TierFactory(code="sindh", reference_prefix="SD", name_en="Sindh")
    analyst = StaffFactory(username="punjab.analyst", role=Role.ANALYST, scope_tier=world.tier)
    client.force_login(analyst)
    assert client.get(reverse("analytics:home"))["Location"] == _url("tier", world.tier.pk)
    assert client.get(_url("nation", 0)).status_code == 404
    assert client.get(_url("tier", other.pk)).status_code == 404
    assert client.get(_url("department", world.lesco.pk)).status_code == 200


def test_officers_see_their_own_office_and_the_focal_person_the_department(client, world, figures):
    client.force_login(world.officers.se)
    assert client.get(reverse("analytics:home"))["Location"] == _url(
        "office", world.positions.se.office_id
    )
    assert client.get(_url("department", world.lesco.pk)).status_code == 404
    assert client.get(_url("nation", 0)).status_code == 404
    client.force_login(world.officers.focal)
    assert client.get(_url("department", world.lesco.pk)).status_code == 200
    # The department's focal person does not see another department.
    wasa = world.stranger.holdings.get().position.office.department
    assert client.get(_url("department", wasa.pk)).status_code == 404


def test_citizens_and_strangers_are_refused(client, world, figures):
    client.force_login(world.citizen)
    assert client.get(_url("nation", 0)).status_code == 403
    client.force_login(world.stranger)
    assert client.get(_url("office", world.positions.se.office_id)).status_code == 404
    assert client.get(_url("position", world.positions.se.pk)).status_code == 404
    client.logout()
    assert client.get(_url("nation", 0)).status_code == 302


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"preset": "custom", "since": "2026-13-01"}, "Enter a valid date"),
        ({"preset": "custom", "since": "2026-01-10", "until": "2026-01-01"}, "cannot end before"),
        ({"preset": "custom", "since": "2019-01-01", "until": "2026-01-01"}, "at most three years"),
        ({"preset": "99"}, "Select a valid choice"),
        ({"district": "abc"}, "no such district"),
        ({"metric": "<script>"}, "not offered"),
        ({"rank": "x" * 5000}, "not offered"),
    ],
)
def test_bad_choices_get_a_message_not_an_error(client, world, leadership, query, message):
    client.force_login(leadership)
    response = client.get(_url("nation", 0, **query))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<script>" not in response.content.decode().split("</h1>")[1].split("<form")[0]


def test_unknown_scopes_and_ids_are_not_found(client, world, leadership):
    client.force_login(leadership)
    for address in ["/analytics/ministry/1/", "/analytics/nation/7/", "/analytics/tier/999999/"]:
        assert client.get(address).status_code == 404


def test_the_dashboard_says_when_figures_were_refreshed(client, world, leadership, figures):
    client.force_login(leadership)
    assert "Figures brought up to date at" in client.get(_url("nation", 0)).content.decode()


def test_a_year_is_read_by_month_with_the_same_figures(client, world, leadership, figures):
    client.force_login(leadership)
    page = client.get(_url("nation", 0, preset="12m")).content.decode()
    assert '<dd class="value">3</dd>' in page  # lodged, from the month rows
    assert "Month" in page  # the trend is by month


def test_a_long_custom_period_is_widened_to_whole_months(client, world, leadership, figures):
    client.force_login(leadership)
    response = client.get(
        _url("nation", 0, preset="custom", since="2026-03-15", until="2026-07-10")
    )
    assert response.context["period"].since.isoformat() == "2026-03-01"
    assert response.context["period"].until.isoformat() == "2026-07-31"


def test_remembered_panels_follow_the_next_refresh(client, world, leadership, figures):
    client.force_login(leadership)
    assert '<dd class="value">3</dd>' in client.get(_url("nation", 0)).content.decode()
    lodge(world)
    # Until the refresh, the page shows what the figures said (the panels are remembered) …
    assert '<dd class="value">3</dd>' in client.get(_url("nation", 0)).content.decode()
    rollups_refresh()
    # … and the refresh's new time makes it count again.
    assert '<dd class="value">4</dd>' in client.get(_url("nation", 0)).content.decode()


def test_the_map_links_carry_the_choices_safely(client, world, leadership, figures):
    client.force_login(leadership)
    response = client.get(_url("nation", 0), {"preset": "custom", "since": "2026-11-01&x=1"})
    link = response.context["map"]["config"]["links"][world.lahore.code]
    assert link.startswith("/analytics/nation/0/?preset=custom&since=2026-11-01%26x%3D1&")
