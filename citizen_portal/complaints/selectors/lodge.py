"""Reads for the citizen's step-by-step lodge form: what the steps offer (departments, their
categories, search by words, districts and tehsils, the posts a complaint can name) and the
checks that an id sent back is one of them.

Every function is a fixed number of queries, whatever the size of the directory: the page
that lists departments must stay small and quick on a phone (issue 9), and is shown before
anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from citizen_portal.complaints.models import Complaint, SubmissionKey
from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    OutOfScopeGround,
    Position,
)
from citizen_portal.directory.selectors.catalogue import onboarded_departments

Options = list[tuple[int, str]]
Groups = list[tuple[str, Options]]

# Search: a few words, each a few letters at least, and one screen of answers.
SEARCH_WORDS = 5
SEARCH_WORD_CHARS = 40
SEARCH_RESULTS = 20
# How an out-of-scope category names its ground. The catalogue does not tie such a category to
# a ground, but its code ends with the kind of matter (FED-FBR.OOS.APPEAL, PB-BOR.OOS.PRIVATE,
# OVS-OPF.OOS.FAMILY): the last part, or its alias here, is the ground's code after "OOS-".
_GROUND_ALIASES = {"REVCOURT": "COURT", "APPEAL": "COURT"}


def lodge_department_ids() -> set[int]:
    """Departments a citizen can lodge with: on the portal (a complaint cell above them) and
    with at least one category in use. Four queries."""
    on_portal = {department.pk for department in onboarded_departments()}
    return set(
        Category.objects.filter(is_active=True, department_id__in=on_portal)
        .order_by()  # the model's order would make DISTINCT one row per category
        .values_list("department_id", flat=True)
        .distinct()
    )


def department_groups(wanted: set[int] | None = None) -> Groups:
    """The departments to choose from, grouped by government (tier), by name. Five queries,
    one when `wanted` (lodge_department_ids) is given."""
    wanted = lodge_department_ids() if wanted is None else wanted
    departments = Department.objects.filter(pk__in=wanted).select_related("tier")
    groups: dict[tuple[int, str], Options] = {}
    for department in departments:
        tier = department.tier
        groups.setdefault((tier.pk, tier.name), []).append((department.pk, department.name))
    # Tiers in their own order (federal first), departments by name in the page's language.
    return [
        (tier_name, sorted(options, key=lambda option: option[1].casefold()))
        for (_pk, tier_name), options in sorted(groups.items())
    ]


def department_for_lodging(pk: object, wanted: set[int] | None = None) -> Department | None:
    """The department `pk` names, if a citizen can lodge with it now."""
    number = as_id(pk)
    if number is None:
        return None
    if number not in (lodge_department_ids() if wanted is None else wanted):
        return None
    return Department.objects.filter(pk=number, is_active=True).select_related("tier").first()


def category_options(department: Department) -> Options:
    """The department's categories in use, as paths (Billing › Over-billing), parents first.
    Matters the portal cannot take are offered too: choosing one stops the citizen with the
    explanation, which is the point of asking up front. One query."""
    categories = list(
        Category.objects.filter(department=department, is_active=True).order_by("code")
    )
    return [(category.pk, category_path(category, categories)) for category in categories]


def category_path(category: Category, known: list[Category]) -> str:
    by_pk = {item.pk: item for item in known}
    names = [category.name]
    parent = by_pk.get(category.parent_id) if category.parent_id else None
    while parent is not None and len(names) < 6:
        names.insert(0, parent.name)
        parent = by_pk.get(parent.parent_id) if parent.parent_id else None
    return " › ".join(names)


def categories_matching(text: str, wanted: set[int] | None = None) -> Options:
    """Categories whose name, or whose department's name, contains every word of `text`
    (either language), labelled with their department. At most SEARCH_RESULTS; one query
    when `wanted` (lodge_department_ids) is given."""
    words = [word[:SEARCH_WORD_CHARS] for word in text.split()][:SEARCH_WORDS]
    if not words:
        return []
    wanted = lodge_department_ids() if wanted is None else wanted
    found = Category.objects.filter(is_active=True, department_id__in=wanted)
    for word in words:
        found = found.filter(
            Q(name_en__icontains=word)
            | Q(name_ur__icontains=word)
            | Q(parent__name_en__icontains=word)
            | Q(parent__name_ur__icontains=word)
            | Q(department__name_en__icontains=word)
            | Q(department__name_ur__icontains=word)
        )
    found = found.select_related("parent", "department").order_by("department__name_en", "code")
    options = []
    for category in found[:SEARCH_RESULTS]:
        path = f"{category.parent.name} › {category.name}" if category.parent else category.name
        options.append((category.pk, f"{path} — {category.department.name}"))
    return options


def category_for_lodging(pk: object) -> Category | None:
    """The category `pk` names, if it is in use in a department a citizen can lodge with."""
    number = as_id(pk)
    if number is None:
        return None
    category = (
        Category.objects.filter(pk=number, is_active=True, department__is_active=True)
        .select_related("department__tier", "parent")
        .first()
    )
    if category is None or category.department_id not in lodge_department_ids():
        return None
    return category


def ground_for(category: Category) -> OutOfScopeGround | None:
    """The out-of-scope ground that explains why `category` cannot be lodged, when its code
    names one; None for a category in scope or one that names no ground."""
    if not category.out_of_scope:
        return None
    last = category.code.rsplit(".", 1)[-1].upper()
    code = f"OOS-{_GROUND_ALIASES.get(last, last)}"
    return OutOfScopeGround.objects.filter(code=code, is_active=True).first()


@dataclass(frozen=True)
class PlaceCheck:
    """A district (or tehsil) sent back by the form: the unit, or why it cannot be used."""

    unit: AdminUnit | None
    successors: list[AdminUnit]  # for a retired unit: the ones that replaced it


def district_check(pk: object) -> PlaceCheck:
    """The district `pk` names: active, or retired with its successors, or nothing."""
    number = as_id(pk)
    unit = (
        AdminUnit.objects.filter(pk=number, level=AdminUnit.Level.DISTRICT).first()
        if number is not None
        else None
    )
    if unit is None or unit.is_active:
        return PlaceCheck(unit, [])
    return PlaceCheck(None, list(unit.successors.filter(is_active=True)))


def tehsil_options(district: AdminUnit) -> Options:
    tehsils = AdminUnit.objects.filter(
        parent=district, level=AdminUnit.Level.TEHSIL, is_active=True
    ).order_by("name_en")
    return [(tehsil.pk, tehsil.name) for tehsil in tehsils]


def tehsil_in(district: AdminUnit, pk: object) -> AdminUnit | None:
    number = as_id(pk)
    if number is None:
        return None
    return AdminUnit.objects.filter(
        pk=number, parent=district, level=AdminUnit.Level.TEHSIL, is_active=True
    ).first()


def posts_in_district(department: Department, district: AdminUnit) -> list[Position]:
    """The posts of `department`'s offices in `district` (its own offices and its tehsils'),
    for a complaint that names the post of an officer. Titles only: the list never shows who
    holds a post. One query."""
    return list(
        Position.objects.filter(
            office__department=department,
            office__is_active=True,
            is_active=True,
        )
        .filter(Q(office__jurisdiction=district) | Q(office__jurisdiction__parent=district))
        .select_related("office")
        .order_by("office__name_en", "title_en")
    )


def post_options(posts: list[Position]) -> Options:
    return [(post.pk, f"{post.title}, {post.office.name}") for post in posts]


def complaint_lodged_with_key(user_id: int, key: str) -> Complaint | None:
    """The complaint this citizen's submission key lodged, if any: a lodge form sent again
    (a double click, the Back button) is answered with it instead of a second complaint. Kept
    as long as the key is (the hourly sweep forgets keys past the idempotency window)."""
    found = (
        SubmissionKey.objects.filter(user_id=user_id, key=key, complaint__isnull=False)
        .select_related("complaint")
        .first()
    )
    return found.complaint if found is not None else None


def as_id(value: object) -> int | None:
    """A database id from what a form sent, or None: never an error, whatever was sent."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip()[:18])
    else:
        return None
    return number if 0 < number < 2**63 else None


def category_groups(words: str = "") -> Groups:
    """For staff lodging for a citizen (the helpline, the mail room): the categories the web's
    lodge form offers, every one in use grouped by department and labelled by its path, or
    those `words` find (one group). A fixed number of queries."""
    wanted = lodge_department_ids()
    if words.strip():
        found = categories_matching(words, wanted)
        return [("", found)] if found else []
    categories = list(
        Category.objects.filter(is_active=True, department_id__in=wanted)
        .select_related("department")
        .order_by("department_id", "code")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for category in categories:
        label = category_path(category, categories)
        groups.setdefault(category.department.name, []).append((category.pk, label))
    return sorted(groups.items(), key=lambda group: group[0].casefold())
