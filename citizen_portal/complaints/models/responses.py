"""Response templates: wording a department's focal persons keep for officers to start from,
per action and (optionally) category, with placeholders filled in from the complaint.

A template is only a starting point: the officer's final text is copied into the event when the
action is taken, so editing or retiring a template never changes a past event."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.directory.models import Category, Department

# What a placeholder looks like: a name in braces, e.g. {reference}. A lone brace is text.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# The placeholders a template may use, and what each stands for (shown on the editing page).
PLACEHOLDERS: dict[str, StrOrPromise] = {
    "reference": _("the complaint's reference, e.g. PB-2026-0000001-Q"),
    "subject": _("the subject the citizen gave"),
    "category": _("the complaint's category"),
    "department": _("the department"),
    "area": _("the district (or tehsil) of the complaint"),
    "due_on": _("the date the reply is due"),
    "position": _("the post the complaint is with"),
    "office": _("the office of that post"),
    "today": _("today's date"),
}

# Longest template text: the filled text (a subject is up to 200 characters) must still fit
# the action forms' 2,000 characters.
TEMPLATE_TEXT_MAX = 1500


def placeholders_in(text: str) -> list[str]:
    """The names in braces in `text`, in order of appearance, each once."""
    names: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1).strip()
        if name not in names:
            names.append(name)
    return names


class TemplateAction(models.TextChoices):
    """The actions a template can be for. The values are those of `Action`, so that the
    complaint page matches a template to its action form by value."""

    RESOLVE = "resolve", _("Resolution remark")
    INTERIM_REPLY = "interim_reply", _("Interim reply")
    REQUEST_INFO = "request_info", _("Request for information")
    DROP = "drop", _("Drop explanation")
    REMARK = "remark", _("Public remark")


class ResponseTemplate(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="response_templates"
    )
    # Empty: for every complaint of the department. Else for this category and those below it.
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response_templates",
    )
    action = models.CharField(_("for"), max_length=20, choices=TemplateAction.choices)
    title = models.CharField(_("title"), max_length=120)
    text_en = models.TextField(_("text (English)"), blank=True, max_length=TEMPLATE_TEXT_MAX)
    text_ur = models.TextField(_("text (Urdu)"), blank=True, max_length=TEMPLATE_TEXT_MAX)
    # Retired templates are kept (their history stays readable) but no longer offered.
    is_active = models.BooleanField(default=True, db_default=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title", "pk"]
        indexes = [
            # The complaint page: a department's active templates for the offered actions.
            models.Index(
                fields=["department", "is_active", "action"], name="response_template_use"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_en="") | ~Q(text_ur=""), name="response_template_has_text"
            )
        ]

    def __str__(self) -> str:
        return self.title
