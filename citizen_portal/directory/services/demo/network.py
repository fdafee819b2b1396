"""The generated part of the demo: for the major service departments of every tier, a
headquarters, a regional office per division and a district office in sixteen districts
across all provinces and territories — chains four positions deep (head → regional →
district → sub-district) — with officers, focal positions and routing rules, so that most
(category, district) pairs of these departments reach a real desk."""

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

# district code → (short name for usernames, electricity company, gas company)
DISTRICTS: dict[str, tuple[str, str, str | None]] = {
    "PK-PB-LHR-LHR": ("lhr", "FED-LESCO", "FED-SNGPL"),
    "PK-PB-RWP-RWP": ("rwp", "FED-IESCO", "FED-SNGPL"),
    "PK-PB-FSD-FSD": ("fsd", "FED-FESCO", "FED-SNGPL"),
    "PK-PB-MUL-MUL": ("mul", "FED-MEPCO", "FED-SNGPL"),
    "PK-SD-KHI-KCE": ("khe", "FED-KE", "FED-SSGC"),
    "PK-SD-HYD-HYD": ("hyd", "FED-HESCO", "FED-SSGC"),
    "PK-SD-SKR-SUK": ("suk", "FED-SEPCO", "FED-SSGC"),
    "PK-KP-PSH-PSH": ("psh", "FED-PESCO", "FED-SNGPL"),
    "PK-KP-HZR-ABT": ("abt", "FED-PESCO", "FED-SNGPL"),
    "PK-KP-MKD-SWT": ("swt", "FED-PESCO", None),
    "PK-BA-QTA-QTE": ("qte", "FED-QESCO", "FED-SSGC"),
    "PK-BA-MKN-GWD": ("gwd", "FED-QESCO", None),
    "PK-IS-ISB": ("isb", "FED-IESCO", "FED-SNGPL"),
    "PK-GB-GLT-GLT": ("glt", "GB-WP", None),
    "PK-JK-MZD-MZD": ("mzd", "AJK-ELEC", None),
    "PK-JK-MPR-MPR": ("mpr", "AJK-ELEC", None),
}

# province → police, health, schools, local government, revenue
PROVINCIAL: dict[str, list[tuple[str, str]]] = {
    "PK-PB": [("PB-POLICE", "police"), ("PB-PSHD", "health"), ("PB-SED", "schools"),
              ("PB-LGCD", "local"), ("PB-BOR", "revenue")],
    "PK-SD": [("SD-POLICE", "police"), ("SD-HEALTH", "health"), ("SD-SELD", "schools"),
              ("SD-LG", "local"), ("SD-BOR", "revenue")],
    "PK-KP": [("KP-POLICE", "police"), ("KP-HEALTH", "health"), ("KP-ESED", "schools"),
              ("KP-LG", "local"), ("KP-BOR", "revenue")],
    "PK-BA": [("BA-POLICE", "police"), ("BA-HEALTH", "health"), ("BA-EDU", "schools"),
              ("BA-LGRD", "local"), ("BA-BOR", "revenue")],
    "PK-IS": [("ICT-POLICE", "police"), ("ICT-HEALTH", "health"), ("ICT-FDE", "schools"),
              ("ICT-MCI", "local"), ("ICT-DC", "revenue")],
    "PK-GB": [("GB-POLICE", "police"), ("GB-HEALTH", "health"), ("GB-SED", "schools"),
              ("GB-LGRD", "local"), ("GB-BOR", "revenue")],
    "PK-JK": [("AJK-POLICE", "police"), ("AJK-HEALTH", "health"), ("AJK-EDU", "schools"),
              ("AJK-LGRD", "local"), ("AJK-BOR", "revenue")],
}  # fmt: skip

# Offices the hand-written demo already covers (see named.py).
HAND_WRITTEN = {("FED-LESCO", "PK-PB-LHR-LHR")}

Title = tuple[str, str]

# kind → titles (English, Urdu) of head, focal cell, regional, district and sub-district posts
TITLES: dict[str, tuple[Title, Title, Title, Title, Title]] = {
    "police": (("Inspector General of Police", "انسپکٹر جنرل پولیس"),
               ("Police Complaint Cell", "پولیس شکایت سیل"),
               ("Regional Police Officer", "ریجنل پولیس آفیسر"),
               ("District Police Officer", "ڈسٹرکٹ پولیس آفیسر"),
               ("Sub-Divisional Police Officer", "سب ڈویژنل پولیس آفیسر")),
    "health": (("Secretary Health", "سیکرٹری صحت"),
               ("Health Complaint Cell", "محکمہ صحت شکایت سیل"),
               ("Director Health Services", "ڈائریکٹر ہیلتھ سروسز"),
               ("District Health Officer", "ڈسٹرکٹ ہیلتھ آفیسر"),
               ("Medical Superintendent, Tehsil Hospital", "میڈیکل سپرنٹنڈنٹ، تحصیل ہسپتال")),
    "schools": (("Secretary Education", "سیکرٹری تعلیم"),
                ("Education Complaint Cell", "محکمہ تعلیم شکایت سیل"),
                ("Director Education", "ڈائریکٹر تعلیم"),
                ("District Education Officer", "ڈسٹرکٹ ایجوکیشن آفیسر"),
                ("Deputy District Education Officer", "ڈپٹی ڈسٹرکٹ ایجوکیشن آفیسر")),
    "local": (("Secretary Local Government", "سیکرٹری بلدیات"),
              ("Local Government Complaint Cell", "بلدیات شکایت سیل"),
              ("Director Local Government", "ڈائریکٹر بلدیات"),
              ("Chief Officer, Municipal Administration", "چیف آفیسر، میونسپل انتظامیہ"),
              ("Municipal Officer (Services)", "میونسپل آفیسر (سروسز)")),
    "revenue": (("Senior Member, Board of Revenue", "سینئر ممبر، بورڈ آف ریونیو"),
                ("Revenue Complaint Cell", "ریونیو شکایت سیل"),
                ("Commissioner", "کمشنر"),
                ("Deputy Commissioner", "ڈپٹی کمشنر"),
                ("Assistant Commissioner", "اسسٹنٹ کمشنر")),
    "electricity": (("Chief Executive Officer", "چیف ایگزیکٹو آفیسر"),
                    ("Customer Services Complaint Cell", "کسٹمر سروسز شکایت سیل"),
                    ("Chief Engineer (Operations)", "چیف انجینئر (آپریشنز)"),
                    ("Superintending Engineer", "سپرنٹنڈنگ انجینئر"),
                    ("Executive Engineer", "ایگزیکٹو انجینئر")),
    "gas": (("Managing Director", "مینیجنگ ڈائریکٹر"),
            ("Customer Services Complaint Cell", "کسٹمر سروسز شکایت سیل"),
            ("General Manager (Region)", "جنرل مینیجر (ریجن)"),
            ("Deputy General Manager (Distribution)", "ڈپٹی جنرل مینیجر (ڈسٹری بیوشن)"),
            ("Customer Services Officer", "کسٹمر سروسز آفیسر")),
    "post": (("Director General", "ڈائریکٹر جنرل"),
             ("Postal Complaint Cell", "ڈاک شکایت سیل"),
             ("Postmaster General", "پوسٹ ماسٹر جنرل"),
             ("Superintendent of Post Offices", "سپرنٹنڈنٹ ڈاک خانہ جات"),
             ("Postmaster", "پوسٹ ماسٹر")),
}  # fmt: skip

# Every seventh sub-district post is left vacant, to show how vacancies look.
VACANT_EVERY = 7


@dataclass
class _Ctx:
    units: dict[str, AdminUnit]
    departments: dict[str, Department]
    made: int = 0


def _office(ctx: _Ctx, department: Department, name_en: str, name_ur: str, area: str) -> Office:
    office, _ = Office.objects.get_or_create(
        department=department,
        name_en=name_en,
        defaults={"name_ur": name_ur, "jurisdiction": ctx.units[area]},
    )
    return office


def _post(
    ctx: _Ctx, office: Office, title: Title, supervisor: Position | None, username: str | None
) -> Position:
    position, _ = Position.objects.get_or_create(
        office=office,
        title_en=title[0],
        defaults={"title_ur": title[1], "supervisor": supervisor},
    )
    if username and not position.holdings.filter(ended_at__isnull=True).exists():
        role = Role.FOCAL_PERSON if username.endswith(".focal") else Role.OFFICER
        user = demo_staff(username, f"{title[0]}, {office.name_en}", role)
        PositionHolding.objects.create(position=position, user=user, started_at=timezone.now())
        ctx.made += 1
    return position


def _headquarters(ctx: _Ctx, department: Department, kind: str, area: str) -> Position:
    """Head and complaint cell; the cell becomes the department's focal position."""
    head_title, focal_title = TITLES[kind][0], TITLES[kind][1]
    name = department.name_en
    office = _office(ctx, department, f"{name} Headquarters", f"{department.name} ہیڈ کوارٹر", area)
    tag = department.code.lower()
    head = _post(ctx, office, head_title, None, f"{tag}.head")
    focal = _post(ctx, office, focal_title, head, f"{tag}.focal")
    if department.focal_position_id is None:
        department.focal_position = focal
        department.save(update_fields=["focal_position"])
    return head


def _assignments(district_code: str) -> list[tuple[str, str]]:
    _short, electricity, gas = DISTRICTS[district_code]
    province = "-".join(district_code.split("-")[:2])
    result = [*PROVINCIAL[province], (electricity, "electricity"), ("FED-PAKPOST", "post")]
    if gas:
        result.append((gas, "gas"))
    return result


def _head_area(department: Department, province: str) -> str:
    return "PK" if department.code.startswith("FED-") else province


def seed_network() -> int:
    """Create the generated offices; returns how many officers were given a post."""
    ctx = _Ctx(
        units={u.code: u for u in AdminUnit.objects.exclude(level=AdminUnit.Level.TEHSIL)},
        departments={d.code: d for d in Department.objects.all()},
    )
    by_pk = {u.pk: u for u in ctx.units.values()}
    roots: dict[int, list[Category]] = {}
    for category in Category.objects.filter(parent=None, is_active=True, out_of_scope=False):
        roots.setdefault(category.department_id, []).append(category)
    heads: dict[str, Position] = {}
    sub_posts = 0
    for district_code, (short, _e, _g) in DISTRICTS.items():
        district = ctx.units[district_code]
        region = by_pk[district.parent_id] if district.parent_id else district
        province = "-".join(district_code.split("-")[:2])
        for dept_code, kind in _assignments(district_code):
            if (dept_code, district_code) in HAND_WRITTEN:
                continue
            department = ctx.departments[dept_code]
            tag = dept_code.lower()
            if dept_code not in heads:
                heads[dept_code] = _headquarters(
                    ctx, department, kind, _head_area(department, province)
                )
            titles = TITLES[kind]
            regional_office = _office(
                ctx, department, f"{department.name_en}, {region.name_en} Region",
                f"{department.name}، {region.name} ریجن", region.code,
            )  # fmt: skip
            region_tag = region.code.split("-")[-1].lower()
            regional = _post(
                ctx, regional_office, titles[2], heads[dept_code], f"{tag}.{region_tag}.regional"
            )
            office = _office(
                ctx, department, f"{department.name_en}, {district.name_en}",
                f"{department.name}، {district.name}", district.code,
            )  # fmt: skip
            district_post = _post(ctx, office, titles[3], regional, f"{tag}.{short}.district")
            sub_posts += 1
            vacant = sub_posts % VACANT_EVERY == 0
            _post(ctx, office, titles[4], district_post, None if vacant else f"{tag}.{short}.sub")
            for category in roots.get(department.pk, []):
                # Corruption complaints go a level above the office they are about.
                target = regional if category.code.endswith(".CORR") else district_post
                RoutingRule.objects.get_or_create(
                    category=category, area=district, defaults={"position": target}
                )
    return ctx.made
