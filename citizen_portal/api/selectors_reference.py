"""Reads behind the API's reference data: areas, departments and categories, each list bounded
by its filters (see docs/api/reference.md for why each list is shaped as it is)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from citizen_portal.directory.models import AdminUnit, Category, Department, Tier
from citizen_portal.directory.models.base import MAX_TREE_DEPTH
from citizen_portal.directory.selectors.catalogue import onboarded_departments


def _within(ancestor: AdminUnit) -> Q:
    """Units anywhere below `ancestor`: its children, their children, and so on."""
    condition = Q()
    for generations in range(1, MAX_TREE_DEPTH + 1):
        condition |= Q(**{"__".join(["parent"] * generations): ancestor})
    return condition


def areas_list(
    *, level: str | None, parent: AdminUnit | None, include_retired: bool
) -> QuerySet[AdminUnit]:
    """One level or one parent's units, never the whole tree:

    - neither level nor parent: the provinces and territories (the top of the tree users see);
    - parent only: its direct children;
    - level only: every unit at that level (the caller refuses tehsils without a parent);
    - both: the units at that level anywhere below the parent ("districts of Punjab")."""
    units = AdminUnit.objects.select_related("parent").prefetch_related(
        # Successors name where a retired unit went; only their codes are shown.
        Prefetch("successors", queryset=AdminUnit.objects.only("id", "code").order_by("code"))
    )
    if not include_retired:
        units = units.filter(is_active=True)
    if parent is None:
        units = units.filter(level=level or AdminUnit.Level.PROVINCE)
    elif level is None:
        units = units.filter(parent=parent)
    else:
        units = units.filter(_within(parent), level=level)
    return units.order_by("name_en", "code")


def tiers_list() -> QuerySet[Tier]:
    return Tier.objects.order_by("id")


def departments_list(*, tier: Tier | None) -> QuerySet[Department]:
    """Active departments, of one tier if given."""
    departments = Department.objects.filter(is_active=True).select_related("tier", "parent")
    if tier is not None:
        departments = departments.filter(tier=tier)
    return departments.order_by("name_en", "code")


def department_ids_on_portal() -> set[int]:
    """Departments that take complaints: the same test as the lodge form's."""
    return {department.pk for department in onboarded_departments()}


def categories_list(
    *, department: Department | None, parent: Category | None
) -> QuerySet[Category]:
    """Active categories of one department (its whole tree, parents before children) or one
    parent's direct children; the caller requires at least one of the two."""
    categories = Category.objects.filter(is_active=True).select_related("department", "parent")
    if department is not None:
        categories = categories.filter(department=department)
    if parent is not None:
        categories = categories.filter(parent=parent)
    # Codes are paths (FED-LESCO.BILL.OVER), so ordering by code puts a parent first.
    return categories.order_by("code")


def category_by_code(code: str) -> Category | None:
    """Any category, retired ones too: complaints filed under them still name them."""
    return Category.objects.select_related("department", "parent").filter(code=code).first()


def category_is_lodgeable(category: Category, on_portal: set[int]) -> bool:
    """Whether a citizen can lodge under it now: what the lodge form offers."""
    return (
        category.is_active
        and not category.out_of_scope
        and category.department.is_active
        and category.department_id in on_portal
    )
