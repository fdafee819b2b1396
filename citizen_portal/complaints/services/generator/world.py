"""A read-only snapshot of the directory the generator draws from: districts weighted by
population, the categories each province can file under, who holds which position, and the
routing decisions, asked of the real router once per (category, district) pair."""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

from citizen_portal.complaints.services.generator.clock import seeded
from citizen_portal.complaints.services.generator.routes import Route, RouteBook
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Position,
    PositionHolding,
    Tier,
)
from citizen_portal.directory.selectors.catalogue import onboarded_departments
from citizen_portal.directory.selectors.routing import focal_position_for

T = TypeVar("T")

# Tiers whose departments serve the whole country (and Pakistanis abroad).
NATIONAL_TIERS = frozenset({"federal", "overseas"})
# The province or territory each sub-national tier governs (tier code → AdminUnit code).
TIER_PROVINCE = {
    "punjab": "PK-PB",
    "sindh": "PK-SD",
    "kp": "PK-KP",
    "balochistan": "PK-BA",
    "ict": "PK-IS",
    "gb": "PK-GB",
    "ajk": "PK-JK",
}
# A district without a census figure weighs this share of the median district.
UNCOUNTED_SHARE = 0.25
# Popularity of the n-th category ∝ 1 / n^ZIPF: a handful of categories get most complaints.
ZIPF = 1.2
# Citizens pick the most specific category they find; a parent category is picked less.
PARENT_CATEGORY_SHARE = 0.25


class Weighted(Generic[T]):
    """Items drawn in proportion to their weights, by bisecting the cumulative weights."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self._cum = list(accumulate(weights))
        self.total = self._cum[-1] if self._cum else 0.0

    def pick(self, rng: Random) -> T:
        return self.items[bisect_right(self._cum, rng.random() * self.total)]


@dataclass(frozen=True)
class DistrictInfo:
    id: int
    code: str
    name_en: str
    name_ur: str
    province: str  # AdminUnit code of its province or territory


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    code: str
    department_id: int
    prefix: str  # reference prefix of the department's tier
    deadline: int  # working days
    name_en: str
    name_ur: str
    focal_id: int  # the department's complaint cell (its own or a parent's)
    speed: float  # how long the department takes, relative to the typical one


@dataclass
class World:
    homes: Weighted[DistrictInfo]  # where citizens live: every district
    districts: Weighted[DistrictInfo]  # where complaints come from: districts someone serves
    categories: dict[str, Weighted[CategoryInfo]]  # by province code
    holders: dict[int, int]  # position → its current holder
    supervisors: dict[int, int]  # position → its supervisor position
    triage_targets: dict[int, tuple[int, ...]]  # department → positions its focal routes to
    routes: RouteBook

    def route(self, category: CategoryInfo, district: DistrictInfo) -> Route:
        return self.routes.route(category.id, district.id)

    def routes_resolve(self) -> None:
        """Ask the router now about every pair a complaint can be drawn from, then close the
        book: drafts are drawn on a worker thread, which must not query."""
        for district in self.districts.items:
            served = self.categories.get(district.province)
            for category in served.items if served else ():
                self.route(category, district)
        self.routes.closed = True


def world_load(*, seed: int) -> World:
    """Read the directory once. Raises ApplicationError when it cannot carry complaints."""
    district_rows = list(
        AdminUnit.objects.filter(level=AdminUnit.Level.DISTRICT, is_active=True).order_by("code")
    )
    if not district_rows or not Category.objects.exists():
        raise ApplicationError(
            _(
                "The directory is empty: run `python manage.py load_directory` first "
                "(and `DEBUG=1 python manage.py seed_demo` for offices and routing rules)."
            ),
            code="empty_directory",
        )
    districts, weights = _districts(district_rows)
    categories, category_rows = _categories(seed)
    by_province: dict[str, Weighted[CategoryInfo]] = {}
    for province in sorted({d.province for d in districts}):
        served = [(c, w) for c, w, scope in categories if scope is None or scope == province]
        if served:
            by_province[province] = Weighted([c for c, _w in served], [w for _c, w in served])
    lodging = [
        w if d.province in by_province else 0.0 for d, w in zip(districts, weights, strict=True)
    ]
    if not any(lodging):
        raise ApplicationError(_("No department on the portal serves any district."))
    positions = list(
        Position.objects.order_by("pk").values_list(
            "pk", "supervisor_id", "office__department_id", "is_active"
        )
    )
    focal_ids = {c.department_id: c.focal_id for c, _w, _s in categories}
    return World(
        homes=Weighted(districts, weights),
        districts=Weighted(districts, lodging),
        categories=by_province,
        holders=_holders(),
        supervisors={pk: boss for pk, boss, _d, _a in positions if boss is not None},
        triage_targets=_triage_targets(focal_ids, positions),
        routes=RouteBook(categories=category_rows, districts={d.pk: d for d in district_rows}),
    )


def _districts(rows: list[AdminUnit]) -> tuple[list[DistrictInfo], list[float]]:
    """Districts with their province, weighted by the 2023 census population."""
    above = {
        pk: (parent, level, code)
        for pk, parent, level, code in AdminUnit.objects.filter(
            level__in=[AdminUnit.Level.PROVINCE, AdminUnit.Level.DIVISION]
        ).values_list("pk", "parent_id", "level", "code")
    }
    counted = [r.population for r in rows if r.population]
    uncounted = UNCOUNTED_SHARE * statistics.median(counted) if counted else 1.0
    districts, weights = [], []
    for row in rows:
        # A district hangs under a division, or straight under its territory (Islamabad).
        node = above.get(row.parent_id) if row.parent_id else None
        if node is not None and node[1] == AdminUnit.Level.DIVISION:
            node = above.get(node[0]) if node[0] else None
        province = node[2] if node is not None and node[1] == AdminUnit.Level.PROVINCE else ""
        name_ur = row.name_ur or row.name_en
        districts.append(DistrictInfo(row.pk, row.code, row.name_en, name_ur, province))
        weights.append(float(row.population) if row.population else uncounted)
    return districts, weights


CategoryDraw = tuple[CategoryInfo, float, str | None]  # category, popularity, province or None


def _categories(seed: int) -> tuple[list[CategoryDraw], dict[int, Category]]:
    """Categories of onboarded departments, each with its popularity and the province it
    serves (None: everywhere)."""
    departments = {d.pk: d for d in onboarded_departments()}
    rows = list(
        Category.objects.filter(department_id__in=departments, is_active=True, out_of_scope=False)
        .select_related("department__tier")
        .order_by("code")
    )
    if not rows:
        raise ApplicationError(
            _(
                "No department takes complaints yet (none has a focal position): run "
                "`DEBUG=1 python manage.py seed_demo`, or give a department a focal position."
            ),
            code="not_onboarded",
        )
    parents = set(Category.objects.filter(parent__isnull=False).values_list("parent_id", flat=True))
    scopes = _tier_scopes()
    focal: dict[int, int] = {}
    # Popularity follows a shuffled ranking so that the top categories differ by seed, but
    # the shuffle starts from code order: never from the database's row order.
    ranked = list(rows)
    seeded(seed, "popularity").shuffle(ranked)
    rank = {c.pk: n for n, c in enumerate(ranked, start=1)}
    draws: list[CategoryDraw] = []
    for row in rows:
        department = row.department
        if department.pk not in focal:
            position = focal_position_for(departments[department.pk])
            assert position is not None  # onboarded: it or a parent has an active focal
            focal[department.pk] = position.pk
        info = CategoryInfo(
            id=row.pk,
            code=row.code,
            department_id=department.pk,
            prefix=department.tier.reference_prefix,
            deadline=row.deadline_working_days,
            name_en=row.name_en,
            name_ur=row.name_ur or row.name_en,
            focal_id=focal[department.pk],
            speed=seeded(seed, f"speed:{department.code}").uniform(0.5, 2.0),
        )
        weight = rank[row.pk] ** -ZIPF * (PARENT_CATEGORY_SHARE if row.pk in parents else 1.0)
        draws.append((info, weight, scopes.get(department.tier_id)))
    return draws, {row.pk: row for row in rows}


def _tier_scopes() -> dict[int, str]:
    """Tier → the province it governs; national tiers, and tiers no province matches, are
    left out: they serve everywhere."""
    provinces = dict(
        AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).values_list("name_en", "code")
    )
    by_name = {name.casefold(): code for name, code in provinces.items()}
    scopes = {}
    for tier in Tier.objects.order_by("pk"):
        if tier.code in NATIONAL_TIERS:
            continue
        code = TIER_PROVINCE.get(tier.code) or by_name.get(tier.name_en.casefold())
        if code is not None:
            scopes[tier.pk] = code
    return scopes


def _holders() -> dict[int, int]:
    """Position → its current holder (the first, should data ever have two)."""
    holders: dict[int, int] = {}
    for position_id, user_id in (
        PositionHolding.objects.filter(ended_at__isnull=True)
        .order_by("position_id", "user_id")
        .values_list("position_id", "user_id")
    ):
        holders.setdefault(position_id, user_id)
    return holders


def _triage_targets(
    focal_ids: dict[int, int], positions: Sequence[tuple[int, int | None, int, bool]]
) -> dict[int, tuple[int, ...]]:
    """Where a focal person sends what routing could not place: the department's own
    positions, field positions (those with a supervisor) first; else the focal's department's;
    else the focal position keeps it."""
    department_of = {pk: department for pk, _b, department, _a in positions}
    targets = {}
    for department, focal in sorted(focal_ids.items()):
        for owner in (department, department_of.get(focal)):
            candidates = [
                (boss is None, pk)
                for pk, boss, dept, active in positions
                if dept == owner and active and pk != focal
            ]
            if candidates:
                best = min(candidates)[0]
                targets[department] = tuple(pk for top, pk in sorted(candidates) if top == best)
                break
        else:
            targets[department] = (focal,)
    return targets
