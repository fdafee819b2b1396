"""Each government's own complaint cell: the Prime Minister's Delivery Unit for the federal
tier (and for Islamabad and Overseas Pakistanis, which it serves), each Chief Minister's (or
AJK Prime Minister's) office for its province or territory."""

from __future__ import annotations

from django.utils import timezone

from citizen_portal.accounts.models import Role
from citizen_portal.directory.models import (
    AdminUnit,
    Department,
    Office,
    Position,
    PositionHolding,
    Tier,
)
from citizen_portal.directory.services.demo.accounts import demo_staff

# department code → (tiers it serves, login, office area)
CELLS = {
    "FED-PMDU": (("federal", "ict", "overseas"), "pmdu.cell", "PK"),
    "PB-CMO": (("punjab",), "pb.cell", "PK-PB"),
    "SD-CMO": (("sindh",), "sd.cell", "PK-SD"),
    "KP-CMO": (("kp",), "kp.cell", "PK-KP"),
    "BA-CMO": (("balochistan",), "ba.cell", "PK-BA"),
    "GB-CMO": (("gb",), "gb.cell", "PK-GB"),
    "AJK-PMO": (("ajk",), "ajk.cell", "PK-JK"),
}


def seed_complaint_cells() -> list[tuple[str, str]]:
    """Create the cells and make each its tiers' complaint cell; returns the logins."""
    logins: list[tuple[str, str]] = []
    for code, (tiers, username, area) in CELLS.items():
        department = Department.objects.filter(code=code).first()
        jurisdiction = AdminUnit.objects.filter(code=area).first()
        if department is None or jurisdiction is None:
            continue
        office, _ = Office.objects.get_or_create(
            department=department,
            name_en=f"{department.name_en}: Citizen Portal Cell",
            defaults={
                "name_ur": f"{department.name}: سٹیزن پورٹل سیل",
                "jurisdiction": jurisdiction,
            },
        )
        position, _ = Position.objects.get_or_create(
            office=office,
            title_en="Director, Citizen Portal Cell",
            defaults={"title_ur": "ڈائریکٹر، سٹیزن پورٹل سیل"},
        )
        user = demo_staff(
            username, f"Director, Citizen Portal Cell ({department.name_en})", Role.FOCAL_PERSON
        )
        PositionHolding.objects.get_or_create(
            position=position, user=user, ended_at=None, defaults={"started_at": timezone.now()}
        )
        # The cell sorts its own department's complaints too: those that came in by e-mail
        # or SMS without naming a department (INTAKE_GENERAL_CATEGORY) wait in its triage.
        if department.focal_position_id is None:
            department.focal_position = position
            department.save(update_fields=["focal_position"])
        Tier.objects.filter(code__in=tiers, complaint_cell__isnull=True).update(
            complaint_cell=position
        )
        logins.append((username, f"complaint cell, {department.name_en}"))
    return logins
