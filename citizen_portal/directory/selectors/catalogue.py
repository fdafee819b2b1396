"""Lists citizens choose from: the categories of departments on the portal, and districts."""

from __future__ import annotations

from django.db.models import QuerySet

from citizen_portal.directory.models import AdminUnit, Category, Department, OutOfScopeGround

Choices = list[tuple[str, list[tuple[int, str]]]]


def onboarded_departments() -> list[Department]:
    """Departments that take complaints: they (or a parent) have an active focal position.

    Two queries, whatever the depth of the department tree: the walk up is done in memory."""
    departments = list(Department.objects.filter(is_active=True).select_related("tier"))
    parent_of = dict(Department.objects.values_list("pk", "parent_id"))
    has_focal = set(
        Department.objects.filter(
            focal_position__isnull=False, focal_position__is_active=True
        ).values_list("pk", flat=True)
    )
    result = []
    for department in departments:
        node: int | None = department.pk
        while node is not None and node not in has_focal:
            node = parent_of.get(node)
        if node is not None:
            result.append(department)
    return result


def category_choices() -> Choices:
    """Categories grouped by department, labelled with their path (Billing › Over-billing)."""
    departments = {d.pk: d for d in onboarded_departments()}
    categories = Category.objects.filter(
        department_id__in=departments, is_active=True, out_of_scope=False
    ).order_by("department__name_en", "code")
    by_pk = {c.pk: c for c in categories}
    groups: dict[int, list[tuple[int, str]]] = {}
    for category in categories:
        names = [category.name]
        parent = by_pk.get(category.parent_id) if category.parent_id else None
        while parent is not None:
            names.insert(0, parent.name)
            parent = by_pk.get(parent.parent_id) if parent.parent_id else None
        groups.setdefault(category.department_id, []).append((category.pk, " › ".join(names)))
    # Several tiers have a "Board of Revenue" or a "Health Department": name the tier too.
    labelled = [
        (f"{departments[pk].name} ({departments[pk].tier.name})", options)
        for pk, options in groups.items()
    ]
    return sorted(labelled)


def district_choices() -> Choices:
    districts = AdminUnit.objects.filter(level=AdminUnit.Level.DISTRICT, is_active=True).order_by(
        "name_en"
    )
    provinces = {
        p.pk: p
        for p in AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).order_by("name_en")
    }
    # A district's province is its parent, or its grandparent through a division.
    divisions = dict(
        AdminUnit.objects.filter(level=AdminUnit.Level.DIVISION).values_list("pk", "parent_id")
    )
    groups: dict[int, list[tuple[int, str]]] = {pk: [] for pk in provinces}
    for district in districts:
        parent_id = district.parent_id
        province_id = divisions.get(parent_id, parent_id) if parent_id else None
        if province_id in groups:
            groups[province_id].append((district.pk, district.name))
    return [(provinces[pk].name, options) for pk, options in groups.items() if options]


def out_of_scope_grounds() -> QuerySet[OutOfScopeGround]:
    """What the portal cannot take, shown to citizens before they file."""
    return OutOfScopeGround.objects.filter(is_active=True).order_by("id")
