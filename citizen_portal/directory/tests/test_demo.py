import pytest

from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    Office,
    Position,
    PositionHolding,
    RoutingRule,
)
from citizen_portal.directory.selectors.positions import supervisor_chain
from citizen_portal.directory.selectors.routing import route_for
from citizen_portal.directory.services.demo import demo_seed
from citizen_portal.directory.services.demo.network import DISTRICTS, _assignments
from citizen_portal.directory.services.loading import directory_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    directory_load()
    demo_seed()


def _demo_covers_all_provinces_with_four_level_chains() -> None:
    provinces = {code.split("-")[1] for code in DISTRICTS}
    assert provinces == {"PB", "SD", "KP", "BA", "IS", "GB", "JK"}
    assert len(DISTRICTS) >= 12
    sub = Position.objects.filter(title_en="Sub-Divisional Police Officer").first()
    assert sub is not None
    chain = [p.title_en for p in supervisor_chain(sub)]
    assert chain == [
        "District Police Officer",
        "Regional Police Officer",
        "Inspector General of Police",
    ]


def _most_category_and_district_pairs_of_demo_departments_reach_a_real_desk() -> None:
    pairs = routed = 0
    for district_code in DISTRICTS:
        district = AdminUnit.objects.get(code=district_code)
        for dept_code, _kind in _assignments(district_code):
            department = Department.objects.get(code=dept_code)
            leaves = Category.objects.filter(
                department=department, children=None, out_of_scope=False
            )[:4]
            for category in leaves:
                pairs += 1
                decision = route_for(category=category, area=district)
                if decision.matched and decision.position is not None:
                    routed += 1
    assert pairs > 300
    assert routed / pairs > 0.9


def _corruption_complaints_go_a_level_above_the_district_office() -> None:
    lahore = AdminUnit.objects.get(code="PK-PB-LHR-LHR")
    bribery = Category.objects.get(code="PB-POLICE.CORR.FINANCIAL")
    position = route_for(category=bribery, area=lahore).position
    assert position is not None
    assert position.title_en == "Regional Police Officer"


def test_some_posts_are_vacant_and_seeding_twice_changes_nothing(demo):
    counts = [m.objects.count() for m in (Office, Position, PositionHolding, RoutingRule)]
    held = PositionHolding.objects.filter(ended_at__isnull=True).values("position_id")
    assert Position.objects.exclude(pk__in=held).exists()
    demo_seed()
    assert [m.objects.count() for m in (Office, Position, PositionHolding, RoutingRule)] == counts


def _every_government_has_a_complaint_cell_with_someone_in_it() -> None:
    from citizen_portal.directory.models import Tier

    for tier in Tier.objects.select_related("complaint_cell"):
        assert tier.complaint_cell is not None, tier.code
        assert tier.complaint_cell.holdings.filter(ended_at__isnull=True).exists()
    federal = Tier.objects.get(code="federal").complaint_cell
    assert federal is not None
    assert federal.office.department.code == "FED-PMDU"


def test_the_demo_directory_routes_every_province_to_staffed_desks(demo):
    """One seeding (about 20 s on SQLite) for the four read-only checks."""
    _demo_covers_all_provinces_with_four_level_chains()
    _most_category_and_district_pairs_of_demo_departments_reach_a_real_desk()
    _corruption_complaints_go_a_level_above_the_district_office()
    _every_government_has_a_complaint_cell_with_someone_in_it()
