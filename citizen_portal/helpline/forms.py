"""The helpline's forms: the search for a caller, the caller's registration (the web's
registration form without the password, which the citizen sets later), the code the caller
reads back, the complaint lodged for them, and the caller's answer and feedback on it. Ids
sent back are checked against the directory by the selectors, never trusted from the page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.forms import LTR, PhoneForm, RegistrationForm
from citizen_portal.complaints.form_checks import (
    category_checked,
    district_checked,
    grouped_choices,
)
from citizen_portal.complaints.forms import FeedbackForm
from citizen_portal.complaints.models import Kind
from citizen_portal.complaints.selectors.lodge import Groups
from citizen_portal.complaints.services.lodging import KEY_PATTERN
from citizen_portal.directory.models import AdminUnit, Category, Country
from citizen_portal.directory.selectors.catalogue import district_choices


class FindForm(forms.Form):
    query = forms.CharField(
        label=_("Caller's mobile or document number"),
        max_length=40,
        help_text=_(
            "A mobile number (0300 1234567), or a CNIC, NICOP or POC number (35202-1234567-1)."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", **LTR}),
    )
    nationality = forms.ChoiceField(
        label=_("Passport issued by (only for a passport number)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["nationality"]
        assert isinstance(field, forms.ChoiceField)
        countries = sorted(Country.objects.all(), key=lambda country: country.name)
        field.choices = [("", _("Not a passport")), *((c.code, c.name) for c in countries)]


class CallerForm(PhoneForm, RegistrationForm):
    """Who the caller is, as the web's registration asks it, with the number the code goes
    to; no password."""

    field_order = [
        "phone", "full_name", "gender", "date_of_birth", "document_type", "document_number",
        "nationality", "country_of_residence", "home_district", "email", "preferred_language",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["password1"], self.fields["password2"]
        self.fields["phone"].label = _("Caller's mobile number")
        self.fields["phone"].help_text = _("The code is sent to this number by SMS.")
        self.fields["full_name"].widget.attrs["dir"] = "auto"
        self.fields["country_of_residence"].label = _("Country where the caller lives")
        self.fields["preferred_language"].label = _("Language for the caller's messages")
        self.fields["email"].help_text = _("Only if the caller wants updates by e-mail too.")


class LodgeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Complaint or suggestion"),
        choices=Kind.choices,
        initial=Kind.COMPLAINT,
        widget=forms.RadioSelect,
    )
    category = forms.CharField(label=_("What it is about"), widget=forms.Select)
    district = forms.CharField(label=_("District"), widget=forms.Select)
    subject = forms.CharField(
        label=_("Subject"),
        min_length=5,
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    description = forms.CharField(
        label=_("What the caller says"),
        min_length=20,
        max_length=5000,
        help_text=_("What happened, where exactly, since when, and what the caller has tried."),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    # Made when the form is shown and sent back with it: the same form sent twice (a double
    # click, a retry) lodges one complaint.
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, categories: Groups, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank: list[Any] = [("", _("Choose…"))]
        self.fields["category"].widget.choices = blank + grouped_choices(categories)
        self.fields["district"].widget.choices = blank + district_choices()

    def clean_category(self) -> Category:
        return category_checked(self.cleaned_data.get("category"))

    def clean_district(self) -> AdminUnit:
        return district_checked(self.cleaned_data.get("district"))

    def clean_idempotency_key(self) -> str | None:
        key = self.cleaned_data.get("idempotency_key") or ""
        return key if KEY_PATTERN.match(key) else None


class AnswerForm(forms.Form):
    """The caller's answer to the office's question, as the agent types it."""

    answer = forms.CharField(
        label=_("The caller's answer"),
        min_length=5,
        max_length=5000,
        help_text=_("In the caller's words, as fully as they give it. Read it back to them."),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )


class CallerFeedbackForm(FeedbackForm):
    """The citizen's feedback form, asked of the caller."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["satisfied"].label = _("Does the caller say the problem was solved?")
        self.fields["rating"].label = _("How does the caller rate the response (5 is best)?")
        self.fields["comment"].label = _("The caller's comment (optional)")
        self.fields["comment"].widget.attrs["dir"] = "auto"
