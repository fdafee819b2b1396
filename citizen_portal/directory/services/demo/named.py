"""The hand-written part of the demo: the offices behind the logins the README names
(LESCO, WASA Lahore, CDA Islamabad, NADRA)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from citizen_portal.accounts.models import Role
from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    Office,
    Position,
    PositionHolding,
    RoutingRule,
)
from citizen_portal.directory.services.demo.accounts import demo_staff


@dataclass(frozen=True)
class PositionSpec:
    key: str
    title_en: str
    title_ur: str
    supervisor: str | None
    username: str | None


@dataclass(frozen=True)
class OfficeSpec:
    department: str
    name_en: str
    name_ur: str
    jurisdiction: str
    positions: list[PositionSpec]


OFFICES = [
    OfficeSpec(
        "FED-LESCO",
        "LESCO Headquarters",
        "لیسکو ہیڈ کوارٹر",
        "PK-PB",
        [
            PositionSpec(
                "lesco.ceo", "Chief Executive Officer", "چیف ایگزیکٹو آفیسر", None, "lesco.ceo"
            ),
            PositionSpec(
                "lesco.focal",
                "Director Customer Services (complaint cell)",
                "ڈائریکٹر کسٹمر سروسز (شکایت سیل)",
                "lesco.ceo",
                "lesco.focal",
            ),
        ],
    ),
    OfficeSpec(
        "FED-LESCO",
        "LESCO Lahore Circle",
        "لیسکو لاہور سرکل",
        "PK-PB-LHR-LHR",
        [
            PositionSpec(
                "lesco.se", "Superintending Engineer", "سپرنٹنڈنگ انجینئر", "lesco.ceo", "lesco.se"
            ),
        ],
    ),
    OfficeSpec(
        "PB-WASA-LHR",
        "WASA Lahore",
        "واسا لاہور",
        "PK-PB-LHR-LHR",
        [
            PositionSpec("wasa.md", "Managing Director", "مینیجنگ ڈائریکٹر", None, None),
            PositionSpec(
                "wasa.ops", "Director Operations", "ڈائریکٹر آپریشنز", "wasa.md", "wasa.ops"
            ),
            PositionSpec(
                "wasa.focal",
                "Complaint Cell In-charge",
                "انچارج شکایت سیل",
                "wasa.md",
                "wasa.focal",
            ),
        ],
    ),
    OfficeSpec(
        "ICT-CDA",
        "CDA Islamabad",
        "سی ڈی اے اسلام آباد",
        "PK-IS-ISB",
        [
            PositionSpec("cda.member", "Member Administration", "ممبر ایڈمنسٹریشن", None, None),
            PositionSpec(
                "cda.sanitation",
                "Director Sanitation",
                "ڈائریکٹر سینیٹیشن",
                "cda.member",
                "cda.sanitation",
            ),
            PositionSpec(
                "cda.water",
                "Director Water Supply",
                "ڈائریکٹر واٹر سپلائی",
                "cda.member",
                "cda.water",
            ),
            PositionSpec(
                "cda.focal", "CDA Complaint Cell", "سی ڈی اے شکایت سیل", "cda.member", "cda.focal"
            ),
        ],
    ),
    OfficeSpec(
        "FED-NADRA",
        "NADRA Headquarters",
        "نادرا ہیڈ کوارٹر",
        "PK",
        [
            PositionSpec(
                "nadra.dg", "Director General Operations", "ڈائریکٹر جنرل آپریشنز", None, "nadra.dg"
            ),
            PositionSpec(
                "nadra.focal", "NADRA Complaint Cell", "نادرا شکایت سیل", "nadra.dg", "nadra.focal"
            ),
        ],
    ),
]

FOCAL = {
    "FED-LESCO": "lesco.focal",
    "PB-WASA-LHR": "wasa.focal",
    "ICT-CDA": "cda.focal",
    "FED-NADRA": "nadra.focal",
}

# (category code, area code, position key): the most specific rule wins.
RULES = [
    ("FED-LESCO.BILL", "PK-PB-LHR-LHR", "lesco.se"),
    ("FED-LESCO.SUPPLY", "PK-PB-LHR-LHR", "lesco.se"),
    ("FED-LESCO.METER", "PK-PB-LHR-LHR", "lesco.se"),
    ("FED-LESCO.NETWORK", "PK-PB-LHR-LHR", "lesco.se"),
    ("PB-WASA-LHR.WATER", "PK-PB-LHR-LHR", "wasa.ops"),
    ("PB-WASA-LHR.SEWER", "PK-PB-LHR-LHR", "wasa.ops"),
    ("ICT-CDA.SW", "PK-IS-ISB", "cda.sanitation"),
    ("ICT-CDA.SEWER", "PK-IS-ISB", "cda.sanitation"),
    ("ICT-CDA.WATER", "PK-IS-ISB", "cda.water"),
    ("FED-NADRA.CNIC", "PK", "nadra.dg"),
]


def seed_named_offices() -> list[tuple[str, str]]:
    """Create the named offices; returns (login, what it is) pairs to print."""
    positions: dict[str, Position] = {}
    logins: list[tuple[str, str]] = []
    for spec in OFFICES:
        department = Department.objects.get(code=spec.department)
        office, _ = Office.objects.get_or_create(
            department=department,
            name_en=spec.name_en,
            defaults={
                "name_ur": spec.name_ur,
                "jurisdiction": AdminUnit.objects.get(code=spec.jurisdiction),
            },
        )
        for p in spec.positions:
            position, _ = Position.objects.get_or_create(
                office=office,
                title_en=p.title_en,
                defaults={
                    "title_ur": p.title_ur,
                    "supervisor": positions.get(p.supervisor) if p.supervisor else None,
                },
            )
            positions[p.key] = position
            if p.username:
                role = Role.FOCAL_PERSON if p.key.endswith(".focal") else Role.OFFICER
                user = demo_staff(p.username, f"{p.title_en} ({office.name_en})", role)
                PositionHolding.objects.get_or_create(
                    position=position,
                    user=user,
                    ended_at=None,
                    defaults={"started_at": timezone.now()},
                )
                logins.append((p.username, f"{p.title_en}, {office.name_en}"))
    for code, key in FOCAL.items():
        Department.objects.filter(code=code).update(focal_position=positions[key])
    for category_code, area_code, key in RULES:
        RoutingRule.objects.update_or_create(
            category=Category.objects.get(code=category_code),
            area=AdminUnit.objects.get(code=area_code),
            defaults={"position": positions[key]},
        )
    return logins
