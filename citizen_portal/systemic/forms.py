"""The forms of the systemic issue pages: plain input checks; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models import Position


class GroupForm(forms.Form):
    complaints = forms.CharField(
        label=_("Complaints to group (references)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_("The complaint you are on is included. Separate references by spaces."),
    )
    title = forms.CharField(label=_("Public title of the problem"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=4000, widget=forms.Textarea
    )


class RemarkForm(forms.Form):
    remark = forms.CharField(label=_("Remark"), max_length=2000, widget=forms.Textarea)


class LinkForm(forms.Form):
    reference = forms.CharField(label=_("Complaint reference"), max_length=24)


class FixForm(forms.Form):
    remarks = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("Every linked citizen reads this; each complaint with an office is resolved."),
    )


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("New owner"), queryset=Position.objects.none())

    def __init__(self, *args: object, department_id: int, **kwargs: object) -> None:
        from citizen_portal.systemic.services.scope import owner_choices

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = owner_choices(department_id)
