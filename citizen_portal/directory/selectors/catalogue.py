"""Lists citizens choose from: the categories of departments on the portal, and districts."""

from __future__ import annotations

from django.db.models import Q

from citizen_portal.directory.models import AdminUnit, Category, Department

Choices = list[tuple[str, list[tuple[int, str]]]]


def onboarded_departments() -> list[Department]:
    """Departments that take complaints: they (or a parent) have an active focal position."""
    has_focal = Q(focal_position__isnull=False, focal_position__is_active=True)
    departments = Department.objects.filter(is_active=True).select_related("parent")
    onboarded_ids = set(Department.objects.filter(has_focal).values_list("pk", flat=True))
    result = []
    for department in departments:
        node: Department | None = department
        while node is not None:
            if node.pk in onboarded_ids:
                result.append(department)
                break
            node = node.parent
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
    return [(departments[pk].name, options) for pk, options in groups.items()]


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
