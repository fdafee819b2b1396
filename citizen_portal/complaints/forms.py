"""The citizen's forms: answering an information request, feedback. Lodging's forms are in
forms_lodge.py, the officer's in forms_officer.py."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.fields import MultipleFileField, limits_text
from citizen_portal.complaints.forms_lodge import DetailsForm

# The web form whose subject and description lengths the API repeats
# (api/serializers_requests.py): lodging is now step by step (forms_lodge.py).
LodgeForm = DetailsForm


class ProvideInfoForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        help_text=_("Answer the office's question as fully as you can."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = MultipleFileField(  # type: ignore[assignment]  # see FilesForm.files
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
