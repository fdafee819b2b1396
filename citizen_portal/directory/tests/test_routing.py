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


def test_a_retired_units_rules_give_way_and_its_complaints_keep_their_place(world, sms_outbox):
    from datetime import date

    from citizen_portal.complaints.tests.factories import lodge
    from citizen_portal.core.errors import ApplicationError
    from citizen_portal.directory.services.geography import unit_retire
    from citizen_portal.directory.tests.factories import AdminUnitFactory

    old = lodge(world)  # filed in Lahore while it was a district of its own
    lahore_north = AdminUnitFactory(
        code="PK-PB-LHR-LHN", parent=world.lahore.parent, name_en="Lahore North", depth=3
    )
    province_desk = PositionFactory(office=world.positions.ceo.office, title_en="Province desk")
    rule(world.billing, world.punjab, province_desk)
    unit_retire(unit=world.lahore, successors=[lahore_north], on=date(2026, 12, 1))

    old.refresh_from_db()
    assert old.area == world.lahore
    assert old.assigned_position == world.positions.se
    # The old district's own rule no longer applies; the wider rule does.
    assert route_for(category=world.overbilling, area=world.lahore).position == province_desk
    with pytest.raises(ApplicationError, match="Lahore North"):
        lodge(world)
    assert lodge(world, area=lahore_north).assigned_position == province_desk


def test_a_unit_cannot_be_both_retired_and_active(world):
    from datetime import date

    from django.core.exceptions import ValidationError

    world.kasur.retired_on = date(2026, 12, 1)
    with pytest.raises(ValidationError, match="cannot stay active"):
        world.kasur.full_clean()
