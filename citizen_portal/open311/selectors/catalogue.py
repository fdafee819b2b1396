"""What a partner may post: the services (leaf categories that take complaints now) and the
attributes each one asks for."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from citizen_portal.directory.models import AdminUnit, Category, Department
from citizen_portal.directory.selectors.catalogue import onboarded_departments

DISTRICT = "district"
SUBJECT = "subject"
SUBJECT_MIN, SUBJECT_MAX = 5, 200


@dataclass(frozen=True)
class Attribute:
    """One attribute of a service definition, in the spec's terms."""

    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    required: bool
    description: str
    order: int
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = ()
    variable: bool = True
    # Checked on posts; not part of the spec's definition.
    min_length: int = 0
    max_length: int = 0


def _lodgeable(department_ids: list[int]) -> QuerySet[Category]:
    # A leaf is a category without active children: the web form offers parents too, but a
    # partner's request goes straight to the office that handles the precise matter.
    return (
        Category.objects.filter(department_id__in=department_ids, is_active=True)
        .filter(out_of_scope=False)
        .exclude(children__is_active=True)
        .select_related("department__tier", "parent__parent")
    )


def services_list() -> list[Category]:
    """Every service, grouped by department. Four queries, however many categories."""
    departments = [d.pk for d in onboarded_departments()]
    return list(_lodgeable(departments).order_by("department__name_en", "code"))


def service_for(code: str) -> Category | None:
    """The service `code` names, if it is one a partner may post to now."""
    departments = [d.pk for d in onboarded_departments()]
    return _lodgeable(departments).filter(code=code).first()


def category_path(category: Category) -> list[str]:
    """Names from the department's top category down to this one (Billing, Over-billing).
    Categories are at most three deep, and the services' queries load two parents."""
    names: list[str] = []
    node: Category | None = category
    while node is not None:
        names.insert(0, node.name)
        node = node.parent
    return names


def department_label(department: Department) -> str:
    """The department and its government: several provinces have a "Health Department"."""
    return f"{department.name} ({department.tier.name})"


def service_notice(department: Department, working_days: int) -> str:
    return _("%(department)s answers within %(days)d working days.") % {
        "department": department.name,
        "days": working_days,
    }


def districts() -> list[tuple[str, str]]:
    """(code, "District (Province)") for every district a complaint can be lodged in."""
    units = (
        AdminUnit.objects.filter(level=AdminUnit.Level.DISTRICT, is_active=True)
        .select_related("parent__parent")
        .order_by("name_en", "code")
    )
    choices = []
    for unit in units:
        province = unit.parent
        if province is not None and province.level == AdminUnit.Level.DIVISION:
            province = province.parent
        label = f"{unit.name} ({province.name})" if province is not None else unit.name
        choices.append((unit.code, label))
    return choices


def attributes_for(category: Category) -> list[Attribute]:
    """The same for every service today: the district (the portal routes by district and
    cannot place a point in one), and an optional subject."""
    return [
        Attribute(
            code=DISTRICT,
            datatype="singlevaluelist",
            required=True,
            description=_("District where the problem is"),
            order=1,
            datatype_description=_("The district's code, from the list."),
            values=tuple(districts()),
        ),
        Attribute(
            code=SUBJECT,
            datatype="string",
            required=False,
            description=_("A short title for the complaint"),
            order=2,
            datatype_description=_(
                "%(min)d to %(max)d characters; taken from the description if left out."
            )
            % {"min": SUBJECT_MIN, "max": SUBJECT_MAX},
            min_length=SUBJECT_MIN,
            max_length=SUBJECT_MAX,
        ),
    ]
