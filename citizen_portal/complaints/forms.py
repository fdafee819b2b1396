from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.directory.selectors.catalogue import (
    category_choices,
    district_choices,
)


class LodgeForm(forms.Form):
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


class ResolveForm(forms.Form):
    remark = forms.CharField(
        label=_("What was done"),
        min_length=10,
        max_length=2000,
        help_text=_("The citizen reads this and decides whether the problem was really solved."),
        widget=forms.Textarea(attrs={"rows": 4}),
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
