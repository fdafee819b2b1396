import pytest
from django.urls import reverse
from django.utils import timezone

from citizen_portal.directory.tests.factories import (
    CategoryFactory,
    OfficeFactory,
    PositionFactory,
    StaffFactory,
    rule,
)


@pytest.fixture
def administrator(world):
    return StaffFactory(
        username="director.it", role="administrator", is_staff=True, is_superuser=True
    )


def _check(client, category, area):
    return client.get(reverse("directory:route_check"), {"category": category, "area": area})


def test_route_check_shows_position_rule_holder_and_deadline(
    client, world, administrator, django_assert_max_num_queries
):
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        page = _check(client, "FED-LESCO.BILL.OVER", "PK-PB-LHR-LHR").content.decode()
    assert "Superintending Engineer, LESCO Lahore Circle" in page
    assert "Rule for FED-LESCO.BILL in PK-PB-LHR-LHR" in page
    assert world.officers.se.full_name in page
    assert "Reply due by" in page


def test_route_check_explains_triage_and_vacancy(client, world, administrator):
    client.force_login(administrator)
    page = _check(client, "FED-LESCO.SUPPLY", "PK-PB-LHR-LHR").content.decode()
    assert "No rule matches" in page
    world.positions.se.holdings.update(ended_at=timezone.now())
    page = _check(client, "FED-LESCO.BILL", "PK-PB-LHR-LHR").content.decode()
    assert "Vacant" in page


def test_route_check_refuses_unknown_codes_clearly(client, world, administrator):
    client.force_login(administrator)
    response = _check(client, "NO-SUCH.CODE", "<script>")
    page = response.content.decode()
    assert response.status_code == 200
    assert "No category has the code NO-SUCH.CODE" in page
    assert "No place has the code &lt;SCRIPT&gt;" in page


def test_route_check_is_for_administrators_only(client, world):
    client.force_login(world.officers.se)
    response = _check(client, "FED-LESCO.BILL", "PK-PB-LHR-LHR")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "model",
    [
        "adminunit", "department", "category", "office", "position", "positionholding",
        "routingrule", "holiday", "country", "outofscopeground", "tier",
    ],
)  # fmt: skip
def test_admin_lists_cost_a_fixed_number_of_queries(
    client, world, administrator, model, django_assert_max_num_queries
):
    for n in range(5):
        office = OfficeFactory(department=world.lesco, jurisdiction=world.kasur)
        position = PositionFactory(office=office, supervisor=world.positions.ceo)
        rule(CategoryFactory(department=world.lesco), world.kasur, position)
        from citizen_portal.directory.tests.factories import hold

        hold(StaffFactory(username=f"extra{n}"), position)
    client.force_login(administrator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse(f"admin:directory_{model}_changelist"))
    assert response.status_code == 200
