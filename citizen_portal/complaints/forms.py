"""The citizen's forms: lodging, answering an information request, feedback. The officer's
forms are in forms_officer.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.fields import MultipleFileField, limits_text
from citizen_portal.complaints.models import Kind
from citizen_portal.complaints.services.lodging import KEY_PATTERN
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.directory.selectors.catalogue import (
    category_choices,
    district_choices,
)


class LodgeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is it a complaint or a suggestion?"),
        choices=Kind.choices,
        initial=Kind.COMPLAINT,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "A complaint asks an office to put something right, by a deadline. A suggestion "
            "proposes an improvement: the department acknowledges it and tells you whether it "
            "is adopted."
        ),
    )
    category = forms.ChoiceField(label=_("What is it about?"))
    area = forms.ChoiceField(label=_("District"))
    subject = forms.CharField(label=_("Subject"), min_length=5, max_length=200)
    description = forms.CharField(
        label=_("Describe the problem"),
        min_length=20,
        max_length=5000,
        help_text=_("What happened, where exactly, since when, and what you have tried."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Named as Django's own `files` (the uploads): the form metaclass takes declared fields
    # off the class, so the two never meet at run time; only the stubs see a clash.
    files = MultipleFileField(  # type: ignore[assignment]
        required=False,
        label=_("Photos or documents (optional)"),
        help_text=format_lazy(
            "{} {}", _("For example a photo of the problem or a copy of the bill."), limits_text()
        ),
    )
    share_location = forms.BooleanField(
        required=False,
        label=_("Share my location"),
        help_text=_(
            "Lets the office see where your photos were taken. Without it, the place is removed "
            "from them."
        ),
    )
    # Generated when the form is shown and sent back with it: submitting the same form twice
    # (a double click, a retry on a slow connection) lodges one complaint, not two.
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank: list[Any] = [("", _("Choose…"))]
        category = self.fields["category"]
        area = self.fields["area"]
        assert isinstance(category, forms.ChoiceField)
        assert isinstance(area, forms.ChoiceField)
        category.choices = blank + category_choices()
        area.choices = blank + district_choices()

    def clean_category(self) -> Category:
        category = (
            Category.objects.select_related("department__tier")
            .filter(pk=self.cleaned_data["category"], is_active=True)
            .first()
        )
        if category is None:
            raise forms.ValidationError(_("Choose a category from the list."), code="category")
        return category

    def clean_area(self) -> AdminUnit:
        area = AdminUnit.objects.filter(
            pk=self.cleaned_data["area"], is_active=True, level=AdminUnit.Level.DISTRICT
        ).first()
        if area is None:
            raise forms.ValidationError(_("Choose a district from the list."), code="area")
        return area

    def clean_kind(self) -> Kind:
        return Kind(self.cleaned_data.get("kind") or Kind.COMPLAINT)

    def clean_idempotency_key(self) -> str | None:
        # Not typed by the citizen, so nothing to tell them: a missing or garbled key only
        # means this submission is not protected against being sent twice.
        key = self.cleaned_data.get("idempotency_key") or ""
        return key if KEY_PATTERN.match(key) else None


class ProvideInfoForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        help_text=_("Answer the office's question as fully as you can."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = MultipleFileField(  # type: ignore[assignment]  # see LodgeForm.files
        required=False,
        label=_("Photos or documents (optional)"),
        help_text=format_lazy(
            "{} {}",
            _("If the office asked for a document or a photo, attach it here."),
            limits_text(),
        ),
    )


class FeedbackForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Was your problem solved?"),
        choices=[("yes", _("Yes, it was solved")), ("no", _("No, it was not solved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label=_("How would you rate the response?"),
        choices=[(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
