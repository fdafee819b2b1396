"""The one-page lodge form for writing a complaint without a network (views_offline.py).

The step-by-step form keeps its draft on the server, one step at a time, so it cannot be
filled in offline. This form carries everything in one post, which the service worker can keep
on the phone and send later. Its fields are the step-by-step form's own (forms_lodge.py), so
the limits and words stay the same."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.forms_lodge import DetailsForm, FilesForm, WhatForm
from citizen_portal.complaints.models import Kind
from citizen_portal.complaints.selectors.lodge import category_for_lodging, district_check
from citizen_portal.complaints.services.lodging import KEY_PATTERN
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.directory.selectors.catalogue import category_choices, district_choices


class OfflineLodgeForm(forms.Form):
    kind = WhatForm.base_fields["kind"]
    category = forms.ChoiceField(label=_("What is it about?"))
    district = forms.ChoiceField(label=_("District"))
    subject = DetailsForm.base_fields["subject"]
    description = DetailsForm.base_fields["description"]
    files = FilesForm.base_fields["files"]  # type: ignore[assignment]  # see FilesForm.files
    # Made when the form is shown (and made again by pwa.js on a stored copy): sent twice, or
    # sent later by the service worker, the form lodges one complaint.
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank: list[Any] = [("", _("Choose…"))]
        category = self.fields["category"]
        district = self.fields["district"]
        assert isinstance(category, forms.ChoiceField)
        assert isinstance(district, forms.ChoiceField)
        category.choices = blank + category_choices()
        district.choices = blank + district_choices()

    def clean_kind(self) -> Kind:
        return Kind(self.cleaned_data.get("kind") or Kind.COMPLAINT)

    def clean_category(self) -> Category:
        category = category_for_lodging(self.cleaned_data["category"])
        if category is None:
            raise forms.ValidationError(_("Choose a category from the list."), code="category")
        return category

    def clean_district(self) -> AdminUnit:
        check = district_check(self.cleaned_data["district"])
        if check.unit is None:
            raise forms.ValidationError(_("Choose a district from the list."), code="district")
        return check.unit

    def clean_idempotency_key(self) -> str | None:
        # Not typed by the citizen: a missing or garbled key only leaves this submission
        # unprotected against being sent twice.
        key = self.cleaned_data.get("idempotency_key") or ""
        return key if KEY_PATTERN.match(key) else None
