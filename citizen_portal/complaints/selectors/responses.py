"""Reads for response templates: the ones a focal person keeps, and the ones an officer is
offered on a complaint's page, filled in from the complaint in English and Urdu."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, ResponseTemplate, TemplateAction
from citizen_portal.complaints.models.responses import PLACEHOLDER, PLACEHOLDERS
from citizen_portal.complaints.selectors.focal import departments_kept_by
from citizen_portal.core import clock
from citizen_portal.directory.models.base import MAX_TREE_DEPTH

# The text field of each action's form on the complaint page (forms_officer.py), which a
# picked template fills. Field ids there are "id_<action>_<field>".
FIELD_OF: dict[str, str] = {
    TemplateAction.RESOLVE: "remark",
    TemplateAction.INTERIM_REPLY: "reason",
    TemplateAction.REQUEST_INFO: "question",
    TemplateAction.DROP: "explanation",
    TemplateAction.REMARK: "remark",
}
LANGUAGES: dict[str, StrOrPromise] = {"en": _("English"), "ur": _("Urdu")}


def templates_kept(user: User) -> list[ResponseTemplate]:
    """Every template of the departments the user keeps, retired ones included."""
    departments = [d.pk for d in departments_kept_by(user)]
    return list(
        ResponseTemplate.objects.filter(department_id__in=departments)
        .select_related("department", "category")
        .order_by("department__name_en", "action", "title", "pk")
    )


def template_kept(user: User, pk: int) -> ResponseTemplate:
    """One template of a department the user keeps; any other is answered as not found."""
    departments = [d.pk for d in departments_kept_by(user)]
    template = (
        ResponseTemplate.objects.select_related("department", "category")
        .filter(pk=pk, department_id__in=departments)
        .first()
    )
    if template is None:
        raise Http404
    return template


@dataclass(frozen=True)
class FilledTemplate:
    title: str
    language: str
    language_name: StrOrPromise
    text: str


@dataclass(frozen=True)
class TemplateGroup:
    """The filled templates offered next to one action form."""

    action: str
    field_id: str
    options: list[FilledTemplate] = field(default_factory=list)


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each known {placeholder} replaced; anything else in braces is left as it is
    (templates are checked when saved, so only older wording could hold one)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return values[name] if name in values else match.group(0)

    return PLACEHOLDER.sub(replace, text)


def placeholder_values(complaint: Complaint, language: str) -> dict[str, str]:
    """What each placeholder stands for on `complaint`, in `language`. Reads only what the
    complaint page already loaded (category, department, area, post and office)."""
    with translation.override(language):
        position = complaint.assigned_position
        values = {
            "reference": complaint.reference,
            "subject": complaint.subject,
            "category": complaint.category.name,
            "department": complaint.department.name,
            "area": complaint.area.name,
            "due_on": date_format(complaint.due_on, "DATE_FORMAT") if complaint.due_on else "",
            "position": position.title if position is not None else "",
            "office": position.office.name if position is not None else "",
            "today": date_format(clock.today(), "DATE_FORMAT"),
        }
    assert set(values) == set(PLACEHOLDERS)
    return values


def _applies_to(category_id: int) -> Q:
    """Templates for every category of the department (none named), for this category, or for
    one above it (which has it among its children, or its children's children …)."""
    applies = Q(category__isnull=True) | Q(category_id=category_id)
    for depth in range(1, MAX_TREE_DEPTH + 1):
        path = "__".join(["category", *["children"] * depth, "pk"])
        applies |= Q(**{path: category_id})
    return applies


def response_templates_for(
    complaint: Complaint, actions: Iterable[str] = tuple(FIELD_OF)
) -> list[TemplateGroup]:
    """The active templates of the complaint's department for those of `actions` (by default
    every action a template can be for) that apply to its category (a template for a category
    applies to it and the categories below it), filled in. One query; none on a closed
    complaint, or when no such action is asked for."""
    wanted = [a for a in actions if a in FIELD_OF]
    if not wanted or not complaint.is_open:
        return []
    templates = (
        ResponseTemplate.objects.filter(
            _applies_to(complaint.category_id),
            department_id=complaint.department_id,
            is_active=True,
            action__in=wanted,
        )
        .distinct()
        .order_by("title", "pk")
    )
    # The complaint's own language first: most replies are written in it.
    languages = sorted(LANGUAGES, key=lambda code: code != complaint.language)
    values = {code: placeholder_values(complaint, code) for code in languages}
    groups = {a: TemplateGroup(action=a, field_id=f"id_{a}_{FIELD_OF[a]}") for a in wanted}
    for template in templates:
        for code in languages:
            text = template.text_en if code == "en" else template.text_ur
            if text:
                groups[template.action].options.append(
                    FilledTemplate(
                        title=template.title,
                        language=code,
                        language_name=LANGUAGES[code],
                        text=fill(text, values[code]),
                    )
                )
    return [group for group in groups.values() if group.options]
