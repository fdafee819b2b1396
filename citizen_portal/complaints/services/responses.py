"""Response templates kept by a department's focal persons: create, edit, retire, restore.

Only the holder of the department's focal position (or of the nearest department above that has
one) keeps its templates. A template's wording is checked on every save: a placeholder the
portal does not know is refused, naming it, so that no officer is ever offered "{refrence}".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import ResponseTemplate, TemplateAction
from citizen_portal.complaints.models.responses import (
    PLACEHOLDERS,
    TEMPLATE_TEXT_MAX,
    placeholders_in,
)
from citizen_portal.complaints.selectors.focal import departments_kept_by
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.models import Category, Department, lineage

TITLE_MAX = 120


@dataclass(frozen=True)
class TemplateInput:
    department: Department
    category: Category | None
    action: str
    title: str
    text_en: str = ""
    text_ur: str = ""


def _require_keeper(user: User, *departments: Department) -> None:
    kept = {d.pk for d in departments_kept_by(user)}
    if any(d.pk not in kept for d in departments):
        raise NotAllowed(_("Only the department's focal person keeps its response templates."))


def check_placeholders(text: str, *, code: str) -> None:
    """Refuse a placeholder the portal cannot fill, naming it and those it can."""
    for name in placeholders_in(text):
        if name not in PLACEHOLDERS:
            known = ", ".join(f"{{{known}}}" for known in PLACEHOLDERS)
            raise ApplicationError(
                _("“{%(name)s}” is not a placeholder the portal knows. Use one of: %(known)s.")
                % {"name": name, "known": known},
                code=code,
            )


def _checked(data: TemplateInput) -> TemplateInput:
    title = (data.title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise ApplicationError(
            _("Give the template a title of at most %(n)d characters.") % {"n": TITLE_MAX},
            code="title",
        )
    if data.action not in TemplateAction.values:
        raise ApplicationError(_("Choose what the template is for."), code="action")
    text_en, text_ur = (data.text_en or "").strip(), (data.text_ur or "").strip()
    if not text_en and not text_ur:
        raise ApplicationError(_("Write the text in English, in Urdu, or both."), code="text_en")
    for code, text in (("text_en", text_en), ("text_ur", text_ur)):
        if len(text) > TEMPLATE_TEXT_MAX:
            raise ApplicationError(
                _("Please keep it under %(n)d characters.") % {"n": TEMPLATE_TEXT_MAX}, code=code
            )
        check_placeholders(text, code=code)
    category = data.category
    if category is not None and category.department_id != data.department.pk:
        raise ApplicationError(_("Choose a category of the same department."), code="category")
    if category is not None and not all(c.is_active for c in lineage(category)):
        raise ApplicationError(_("This category is not in use."), code="category")
    return TemplateInput(
        department=data.department,
        category=category,
        action=data.action,
        title=title,
        text_en=text_en,
        text_ur=text_ur,
    )


def response_template_create(*, user: User, data: TemplateInput) -> ResponseTemplate:
    _require_keeper(user, data.department)
    data = _checked(data)
    with transaction.atomic():
        return ResponseTemplate.objects.create(
            department=data.department,
            category=data.category,
            action=data.action,
            title=data.title,
            text_en=data.text_en,
            text_ur=data.text_ur,
            created_by=user,
            updated_by=user,
        )


def response_template_update(
    *, template: ResponseTemplate, user: User, data: TemplateInput
) -> ResponseTemplate:
    """Change the wording (or what it is for). Events already written keep the text the
    officer sent: it was copied into them, never referenced."""
    # Moving a template between departments needs the keeper of both.
    _require_keeper(user, template.department, data.department)
    data = _checked(data)
    changes = {
        "department": data.department,
        "category": data.category,
        "action": data.action,
        "title": data.title,
        "text_en": data.text_en,
        "text_ur": data.text_ur,
    }
    changed = [name for name, value in changes.items() if getattr(template, name) != value]
    if not changed:
        return template
    with transaction.atomic():
        for name in changed:
            setattr(template, name, changes[name])
        template.updated_by = user
        template.save(update_fields=[*changed, "updated_by", "updated_at"])
    return template


def response_template_retire(
    *, template: ResponseTemplate, user: User, retired: bool = True
) -> ResponseTemplate:
    """Stop offering it (or, `retired=False`, offer it again). It is kept, never deleted."""
    _require_keeper(user, template.department)
    if template.is_active != retired:
        return template
    with transaction.atomic():
        template.is_active = not retired
        template.retired_at = clock.now() if retired else None
        template.updated_by = user
        template.save(update_fields=["is_active", "retired_at", "updated_by", "updated_at"])
    return template
