"""Likely duplicates (issue 14): what the selector finds, what the citizen about to lodge and
the officer on the complaint's page are shown."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from citizen_portal.complaints.models import Complaint, Kind, Status
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.tests.lodging_steps import fill_steps, step_url
from citizen_portal.directory.models import AdminUnit
from citizen_portal.directory.tests.factories import AdminUnitFactory
from citizen_portal.systemic.selectors.duplicates import likely_duplicates

pytestmark = pytest.mark.django_db

SUBJECT = "No electricity in Street 7 Block C since Monday"
DESCRIPTION = (
    "The transformer near Bilal Market in Street 7, Block C blew up on Monday night and our "
    "whole street has had no power for three days."
)
# Another citizen's telling of the same problem: Roman Urdu, lower case, other words.
REWORDED = (
    "street 7 block C bijli nahi",
    "transformer near bilal market street 7 block c blew on monday night, no power in our "
    "street for 3 days please fix it",
)
OTHER_PROBLEM = (
    "Meter reading wrong",
    "My meter was read wrong this month and the bill shows double the units I used.",
)
# Lahore, near the Kasur border, and points 1 km and 5 km from it.
POINT = (Decimal("31.300000"), Decimal("74.300000"))
ONE_KM = (Decimal("31.309000"), Decimal("74.300000"))
FIVE_KM = (Decimal("31.345000"), Decimal("74.300000"))


def lodged(world, subject=SUBJECT, description=DESCRIPTION, *, citizen=None, point=None, **extra):
    where = {}
    if point is not None:
        where = {"latitude": point[0], "longitude": point[1], "share_location": True}
    data = ComplaintInput(
        category=extra.pop("category", world.overbilling),
        area=extra.pop("area", world.lahore),
        subject=subject,
        description=description,
        **where,
        **extra,
    )
    return complaint_lodge(citizen=citizen or world.other_citizen, data=data)


def found(world, text=None, **extra):
    return likely_duplicates(
        category=extra.pop("category", world.overbilling),
        area=extra.pop("area", world.lahore),
        text=text or " ".join(REWORDED),
        kind=extra.pop("kind", Kind.COMPLAINT),
        **extra,
    )


def test_a_reworded_complaint_in_the_district_is_found_but_not_another_problem(world):
    tehsil = AdminUnitFactory(
        parent=world.lahore, level=AdminUnit.Level.TEHSIL, name_en="Lahore City", depth=4
    )
    original = lodged(world, area=tehsil)  # in one of the district's tehsils
    lodged(world, *OTHER_PROBLEM)  # the same category and place, another problem
    lodged(world, category=world.supply)  # the same words, another category
    lodged(world, kind=Kind.SUGGESTION)  # the same words, a suggestion
    lodged(world, area=world.kasur)  # the same words, another district, no map point
    closed = lodged(world)
    Complaint.objects.filter(pk=closed.pk).update(status=Status.CLOSED)

    matches = found(world)

    assert [m.complaint for m in matches] == [original]
    assert 0.5 <= matches[0].similarity <= 1
    assert matches[0].distance_km is None
    assert found(world, text=" ".join(OTHER_PROBLEM))[0].complaint != original
    # The complaint itself is never its own duplicate.
    assert found(world, exclude_complaint_id=original.pk, area=tehsil) == []


def test_across_a_district_border_only_within_the_radius(world):
    over_the_border = lodged(world, area=world.kasur, point=POINT)

    near = found(world, latitude=ONE_KM[0], longitude=ONE_KM[1])

    assert [m.complaint for m in near] == [over_the_border]
    assert near[0].distance_km == pytest.approx(1.0, abs=0.05)
    assert found(world, latitude=FIVE_KM[0], longitude=FIVE_KM[1]) == []
    assert found(world) == []  # no map point: the district only


def test_the_review_step_offers_to_follow_another_citizens_complaint_without_its_text(
    client, world
):
    original = lodged(world)
    other_problem = lodged(world, *OTHER_PROBLEM)
    client.force_login(world.citizen)
    fill_steps(client, world, subject=REWORDED[0], description=REWORDED[1])

    page = client.get(step_url("review")).content.decode()

    panel = page[page.index('id="duplicates-heading"') : page.index('id="similar-heading"')]
    assert "Is this the same problem as one already reported?" in panel
    assert "Over-billing · Lahore" in panel
    assert reverse("systemic:follow", args=[original.reference]) in panel
    assert "Follow this one instead" in panel
    assert "Lodge mine anyway" in panel
    assert other_problem.reference not in page
    for private in [SUBJECT, "Bilal Market", world.other_citizen.full_name, "+92300444"]:
        assert private not in panel
    assert "bilal market" in page  # the citizen's own draft, above


def test_the_review_step_without_a_likely_duplicate_shows_no_panel(client, world):
    lodged(world, *OTHER_PROBLEM)
    client.force_login(world.citizen)
    fill_steps(client, world, subject=REWORDED[0], description=REWORDED[1])

    page = client.get(step_url("review")).content.decode()

    assert 'id="duplicates-heading"' not in page
    assert "Follow this one instead" not in page


def test_the_officer_sees_possible_duplicates_linked_only_where_they_may_open_them(client, world):
    mine = lodged(world, citizen=world.citizen, point=POINT)
    in_lahore = lodged(world, *REWORDED)  # routed to the Superintending Engineer
    over_the_border = lodged(world, area=world.kasur, point=ONE_KM)  # to the complaint cell
    assert in_lahore.assigned_position == mine.assigned_position == world.positions.se
    assert over_the_border.assigned_position != world.positions.se
    page_url = reverse("complaints:work_detail", args=[mine.reference])

    client.force_login(world.officers.se)
    page = client.get(page_url).content.decode()

    panel = page[page.index('id="duplicates-heading"') : page.index('id="related-heading"')]
    work = "complaints:work_detail"
    assert f'href="{reverse(work, args=[in_lahore.reference])}"' in panel
    assert over_the_border.reference in panel
    assert f'href="{reverse(work, args=[over_the_border.reference])}"' not in panel
    assert "1.0 km away" in panel
    assert "% alike" in panel
    assert reverse("systemic:group", args=[mine.reference]) in panel
    assert f'name="complaints" value="{in_lahore.reference}"' in panel

    client.force_login(world.officers.focal)  # the department's complaint cell: all of it
    page = client.get(page_url).content.decode()
    assert f'href="{reverse(work, args=[over_the_border.reference])}"' in page
