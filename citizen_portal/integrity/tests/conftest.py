"""A circle office with three sub-divisional officers under the SE, each taking over-billing
complaints from one district: A games the figures, B and C work normally.

`planted` builds, with the real services: A resolves 6 complaints, all on their due date, with
one copied remark, and every citizen disputes; B and C resolve 10 each, 9 on the day they
arrive and 1 on the due date, each with its own remark, and one of each is disputed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    PositionFactory,
    StaffFactory,
    hold,
    rule,
)

NORMAL_REMARKS = [
    "Meter tested at site; reading was correct and the bill stands as issued.",
    "Arrears from the previous owner removed after checking the transfer deed.",
    "Faulty meter replaced and the November bill revised downwards.",
    "Tariff corrected from commercial to domestic after inspection of premises.",
    "Detection bill cancelled: the inspection report did not support it.",
    "Duplicate payment adjusted against the next two bills on request.",
    "Sanctioned load reduced as asked; fixed charges revised.",
    "Estimated reading replaced with the actual one from the meter photo.",
    "Late payment surcharge waived because the bill was delivered late.",
    "Net metering credit for October added after the export units were read.",
]


@pytest.fixture
def circle(world):
    division = world.lahore.parent
    sheikhupura = AdminUnitFactory(code="PK-PB-LHR-SKP", parent=division, name_en="Sheikhupura")
    areas = {"a": world.lahore, "b": world.kasur, "c": sheikhupura}
    posts, officers = {}, {}
    for key, area in areas.items():
        posts[key] = PositionFactory(
            office=world.positions.se.office,
            title_en=f"SDO {key.upper()}",
            supervisor=world.positions.se,
        )
        officers[key] = StaffFactory(username=f"lesco.sdo.{key}", full_name=f"SDO Officer {key}")
        hold(officers[key], posts[key])
        rule(world.overbilling, area, posts[key])
    return SimpleNamespace(areas=areas, posts=posts, officers=officers, office=posts["a"].office)


def feedback(world, complaint, *, satisfied: bool) -> None:
    complaint_give_feedback(
        complaint=complaint,
        citizen=world.citizen,
        data=FeedbackInput(satisfied=satisfied, rating=5 if satisfied else 1),
    )


@pytest.fixture
def planted(world, circle, travel):
    lodged = {
        key: [lodge(world, area=circle.areas[key]) for _ in range(6 if key == "a" else 10)]
        for key in ("a", "b", "c")
    }
    for key in ("b", "c"):
        for i, complaint in enumerate(lodged[key][:9]):
            complaint_resolve(
                complaint=complaint, officer=circle.officers[key], remark=NORMAL_REMARKS[i]
            )
    due = lodged["a"][0].due_on
    assert due is not None
    travel(days=(due - clock.today()).days)
    for i, complaint in enumerate(lodged["a"]):
        complaint_resolve(
            complaint=complaint,
            officer=circle.officers["a"],
            remark=f"Bill corrected as per rules vide {complaint.reference}. Units {400 + i}.",
        )
    for key in ("b", "c"):
        complaint_resolve(
            complaint=lodged[key][9], officer=circle.officers[key], remark=NORMAL_REMARKS[9]
        )
    for complaint in lodged["a"]:
        feedback(world, complaint, satisfied=False)
    for key in ("b", "c"):
        for i, complaint in enumerate(lodged[key]):
            feedback(world, complaint, satisfied=i != 0)
    return SimpleNamespace(lodged=lodged, due=due)
