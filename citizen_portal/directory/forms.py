from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models import AdminUnit, Category


class RouteCheckForm(forms.Form):
    """Pick any category and any place (active or retired) and see where it would go."""

    category = forms.CharField(
        label=_("Category code"),
        max_length=80,
        help_text=_("e.g. FED-LESCO.BILL.OVER; see the category list in the administration."),
    )
    area = forms.CharField(
        label=_("Place code"),
        max_length=40,
        help_text=_("A district or tehsil code, e.g. PK-PB-LHR-LHR."),
    )

    def clean_category(self) -> Category:
        code = self.cleaned_data["category"].strip()
        category = Category.objects.select_related("department__tier").filter(code=code).first()
        if category is None:
            raise forms.ValidationError(_("No category has the code %(code)s.") % {"code": code})
        return category

    def clean_area(self) -> AdminUnit:
        code = self.cleaned_data["area"].strip().upper()
        area = AdminUnit.objects.filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("No place has the code %(code)s.") % {"code": code})
        return area

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs.update({"list": "category-codes", "dir": "ltr"})
        self.fields["area"].widget.attrs.update({"list": "area-codes", "dir": "ltr"})
