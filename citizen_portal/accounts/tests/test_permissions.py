"""Each role's explicit permission set, and administrators limited to one tier."""

import pytest
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.accounts.permissions import Perm, has_perm
from citizen_portal.core.errors import NotAllowed
from citizen_portal.directory.tests.factories import (
    CitizenFactory,
    DepartmentFactory,
    StaffFactory,
    TierFactory,
)

P = Perm
EXPECTED = {
    Role.CITIZEN: {P.LODGE},
    Role.OFFICER: {P.ACT_ON_ASSIGNED},
    Role.FOCAL_PERSON: {P.ACT_ON_ASSIGNED, P.TRIAGE},
    Role.AGENT: {P.LODGE_ON_BEHALF, P.FIND_CITIZEN, P.REVEAL_DOCUMENT},
    Role.DATA_ENTRY: {P.LODGE_ON_BEHALF, P.ENTER_LETTERS},
    Role.ANALYST: {P.VIEW_FIGURES},
    Role.ADMINISTRATOR: {
        P.MANAGE_DIRECTORY, P.BULK_DIRECTORY, P.BLOCK_ACCOUNT, P.REVEAL_DOCUMENT, P.VIEW_FIGURES,
    },
}  # fmt: skip
CASES = [(role, perm) for role in Role for perm in Perm]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "perm"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_every_role_has_exactly_its_permissions(role, perm):
    user = StaffFactory(username=f"u-{role}", role=role)
    assert has_perm(user, perm) is (perm in EXPECTED[role])
    user.is_active = False
    assert not has_perm(user, perm)


@pytest.fixture
def sindh_admin(world):
    sindh = TierFactory(code="sindh", reference_prefix="SD", name_en="Sindh")
    DepartmentFactory(code="SD-POLICE", tier=sindh, name_en="Sindh Police")
    return StaffFactory(
        username="admin.sindh",
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
        scope_tier=sindh,
    )


def test_a_tier_administrator_sees_and_edits_only_their_tier(client, world, sindh_admin):
    client.force_login(sindh_admin)
    page = client.get(reverse("admin:directory_department_changelist")).content.decode()
    assert "Sindh Police" in page
    assert "LESCO" not in page
    other = client.get(reverse("admin:directory_department_change", args=[world.lesco.pk]))
    assert other.status_code == 302  # "doesn't exist", back to the admin index
    unit = client.get(reverse("admin:directory_adminunit_change", args=[world.lahore.pk]))
    assert unit.status_code == 200
    assert 'name="_save"' not in unit.content.decode()  # shared geography: read only
    assert client.get(reverse("directory:bulk")).status_code == 403  # national work
    route = client.get(reverse("directory:route_check"))
    assert route.status_code == 200


def test_a_tier_administrator_blocks_citizens_but_not_other_tiers_staff(world, sindh_admin):
    from citizen_portal.accounts.services.lifecycle import account_block

    citizen = CitizenFactory(phone="+923009990000")
    account_block(user=citizen, by=sindh_admin, reason="Threats against staff in complaints")
    citizen.refresh_from_db()
    assert citizen.is_blocked
    with pytest.raises(NotAllowed, match="another tier"):
        account_block(user=world.officers.se, by=sindh_admin, reason="Not theirs to block")
