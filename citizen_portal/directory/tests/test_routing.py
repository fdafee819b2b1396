import pytest

from citizen_portal.directory.selectors.routing import route_for
from citizen_portal.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    OfficeFactory,
    PositionFactory,
    rule,
)


def test_rule_on_a_parent_category_covers_its_children(world):
    decision = route_for(category=world.overbilling, area=world.lahore)
    assert decision.matched
    assert decision.position == world.positions.se


def test_deeper_category_beats_a_smaller_area(world):
    billing_hq = PositionFactory(office=world.positions.ceo.office, title_en="Billing Director")
    rule(world.overbilling, world.punjab, billing_hq)
    assert route_for(category=world.overbilling, area=world.lahore).position == billing_hq


def test_smaller_area_beats_a_larger_one_for_the_same_category(world):
    province_desk = PositionFactory(office=world.positions.ceo.office, title_en="Province desk")
    rule(world.supply, world.punjab, province_desk)
    kasur_office = OfficeFactory(department=world.lesco, jurisdiction=world.kasur)
    kasur_desk = PositionFactory(office=kasur_office, title_en="Kasur desk")
    rule(world.supply, world.kasur, kasur_desk)
    assert route_for(category=world.supply, area=world.kasur).position == kasur_desk
    assert route_for(category=world.supply, area=world.lahore).position == province_desk


def test_no_matching_rule_goes_to_the_departments_focal_position_for_triage(world):
    decision = route_for(category=world.billing, area=world.kasur)
    assert not decision.matched
    assert decision.position == world.positions.focal


def test_an_inactive_position_is_never_routed_to(world):
    world.positions.se.is_active = False
    world.positions.se.save()
    decision = route_for(category=world.overbilling, area=world.lahore)
    assert decision.position == world.positions.focal


def test_a_department_without_a_cell_uses_its_parents_cell(world):
    child = DepartmentFactory(parent=world.lesco, tier=world.tier)
    category = CategoryFactory(department=child)
    assert route_for(category=category, area=world.lahore).position == world.positions.focal


@pytest.mark.django_db
def test_a_department_with_no_cell_anywhere_cannot_be_routed():
    category = CategoryFactory()
    from citizen_portal.directory.tests.factories import AdminUnitFactory

    assert route_for(category=category, area=AdminUnitFactory()).position is None


def test_routing_reads_three_queries_however_deep_the_trees(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        route_for(category=world.overbilling, area=world.lahore)
