"""Checks that every form lodging a complaint shares (the citizen's lodge steps, the helpline's
and the mail room's forms): a category or district sent back by the page is looked up in the
directory, never trusted, and refused with the reason a person can act on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.selectors.lodge import (
    Groups,
    category_for_lodging,
    district_check,
    ground_for,
)
from citizen_portal.directory.models import AdminUnit, Category


def category_checked(value: Any) -> Category:
    """The category in use that `value` names; a matter the portal cannot take is refused
    here, with its reason, not in a drop weeks later."""
    category = category_for_lodging(value)
    if category is None:
        raise forms.ValidationError(_("Choose a category from the list."), code="category")
    if category.out_of_scope:
        ground = ground_for(category)
        reason = ground.reason if ground else _("See the matters the portal cannot take.")
        raise forms.ValidationError(
            format_lazy("{} {}", _("The portal cannot take this matter."), reason),
            code="out_of_scope",
        )
    return category


def district_checked(value: Any) -> AdminUnit:
    """The current district `value` names; a divided one is refused naming its successors."""
    check = district_check(value)
    if check.unit is not None:
        return check.unit
    if check.successors:
        names = ", ".join(unit.name for unit in check.successors)
        raise forms.ValidationError(
            _("That district is no longer a unit of its own; please choose %(new)s.")
            % {"new": names},
            code="retired_area",
        )
    raise forms.ValidationError(_("Choose a district from the list."), code="district")


def grouped_choices(groups: Groups) -> list[Any]:
    """Django's grouped choices; a group without a name (search results) as plain options."""
    choices: list[Any] = []
    for name, options in groups:
        if name:
            choices.append((name, options))
        else:
            choices.extend(options)
    return choices
