"""The mail room's forms: a letter as the operator enters it, marking a reply dispatched,
finding a letter by its reference, and the sender's reply or feedback in a later letter.
Ids sent back are checked against the directory by the selectors, never trusted from the
page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.identity import Document, DocumentType, document_parse
from citizen_portal.accounts.models import Language
from citizen_portal.accounts.services.phones import phone_normalise
from citizen_portal.complaints.fields import MultipleFileField, MultipleFileInput
from citizen_portal.complaints.form_checks import (
    category_checked,
    district_checked,
    grouped_choices,
)
from citizen_portal.complaints.forms import FeedbackForm
from citizen_portal.complaints.models import Kind
from citizen_portal.complaints.selectors.lodge import Groups
from citizen_portal.complaints.services.lodging import KEY_PATTERN
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.directory.selectors.catalogue import district_choices
from citizen_portal.mailroom.services.letters import LetterInput
from citizen_portal.mailroom.services.replies import TRACKING_MAX

LTR = {"dir": "ltr"}
AUTO = {"dir": "auto"}
DATE = {"type": "date", **LTR}
REATTACH = _("Please attach the scans again: files are not kept when a form is refused.")


class LetterForm(forms.Form):
    sender_name = forms.CharField(
        label=_("Sender's name"), max_length=150, widget=forms.TextInput(attrs=AUTO)
    )
    postal_address = forms.CharField(
        label=_("Sender's postal address"),
        max_length=500,
        help_text=_("As on the envelope, one line per line: replies are posted to it."),
        widget=forms.Textarea(attrs={"rows": 4, **AUTO}),
    )
    phone = forms.CharField(
        label=_("Mobile number (if the letter gives one)"),
        max_length=32,
        required=False,
        help_text=_("If it is a registered citizen's, the complaint is added to their account."),
        widget=forms.TextInput(attrs={"inputmode": "tel", **LTR}),
    )
    cnic = forms.CharField(
        label=_("CNIC (if the letter gives one)"),
        max_length=20,
        required=False,
        help_text=_("13 digits, e.g. 35202-1234567-1. Only used to find the sender's account."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", **LTR}),
    )
    language = forms.ChoiceField(
        label=_("Language of the letter"),
        choices=Language.choices,
        initial=Language.URDU,
        widget=forms.RadioSelect,
        help_text=_("Replies are printed in this language."),
    )
    letter_date = forms.DateField(
        label=_("Date on the letter (optional)"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(
        label=_("Complaint or suggestion"),
        choices=Kind.choices,
        initial=Kind.COMPLAINT,
        widget=forms.RadioSelect,
    )
    category = forms.CharField(
        label=_("What it is about"),
        required=False,
        widget=forms.Select,
        help_text=_(
            "Leave it at “Not clear” when the letter does not say: the complaint cell sorts it."
        ),
    )
    district = forms.CharField(
        label=_("District the complaint is about"),
        required=False,
        widget=forms.Select,
        help_text=_("Leave empty if the letter does not say."),
    )
    subject = forms.CharField(
        label=_("Subject"), min_length=5, max_length=200, widget=forms.TextInput(attrs=AUTO)
    )
    description = forms.CharField(
        label=_("What the letter says"),
        min_length=20,
        max_length=5000,
        help_text=_("A faithful summary, in the letter's words where you can."),
        widget=forms.Textarea(attrs={"rows": 8, **AUTO}),
    )
    scans = MultipleFileField(label=_("Scans of the letter"))
    # Made when the form is shown and sent back with it: the same form sent twice (a double
    # click, a retry) enters one letter.
    idempotency_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, categories: Groups, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unclear: list[Any] = [("", _("Not clear: for the complaint cell to sort"))]
        self.fields["category"].widget.choices = unclear + grouped_choices(categories)
        self.fields["district"].widget.choices = [("", _("Not given")), *district_choices()]
        self.fields["scans"].help_text = _scans_help()

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone") or ""
        if not raw.strip():
            return ""
        try:
            return phone_normalise(raw)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def clean_cnic(self) -> Document | None:
        raw = self.cleaned_data.get("cnic") or ""
        if not raw.strip():
            return None
        try:
            return document_parse(doc_type=DocumentType.CNIC, number=raw)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def _not_future(self, name: str) -> date | None:
        value: date | None = self.cleaned_data.get(name)
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."), code="future")
        return value

    def clean_letter_date(self) -> date | None:
        return self._not_future("letter_date")

    def clean_received_on(self) -> date | None:
        return self._not_future("received_on")

    def clean_category(self) -> Category | None:
        value = self.cleaned_data.get("category") or ""
        return category_checked(value) if value else None

    def clean_district(self) -> AdminUnit | None:
        value = self.cleaned_data.get("district") or ""
        return district_checked(value) if value else None

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data.get("idempotency_key") or ""
        if not KEY_PATTERN.match(key):
            raise forms.ValidationError(
                _("This form is out of date; please open “Enter a letter” again."), code="key"
            )
        return str(key)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        letter_date, received = data.get("letter_date"), data.get("received_on")
        if letter_date and received and letter_date > received:
            self.add_error(
                "letter_date",
                forms.ValidationError(
                    _("The letter cannot be dated after the day it was received."), "order"
                ),
            )
        if self.errors and "scans" not in self.errors and self.files:
            # A browser never sends files back: say so where the operator looks.
            self.add_error(
                "scans",
                forms.ValidationError(REATTACH, code="reattach"),
            )
        return data

    def letter_input(self) -> LetterInput:
        data = self.cleaned_data
        return LetterInput(
            sender_name=" ".join(data["sender_name"].split()),
            postal_address="\n".join(
                " ".join(line.split())
                for line in data["postal_address"].splitlines()
                if line.strip()
            ),
            phone=data["phone"],
            document=data["cnic"],
            language=data["language"],
            received_on=data["received_on"],
            letter_date=data["letter_date"],
            category=data["category"],
            area=data["district"],
            kind=Kind(data["kind"]),
            subject=data["subject"],
            description=data["description"],
        )


class DispatchForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number (optional)"),
        max_length=TRACKING_MAX,
        required=False,
        widget=forms.TextInput(attrs=LTR),
    )


def _scans_help() -> str:
    return gettext(
        "Every page of the letter: PDF, JPEG or PNG files, up to %(count)d files of up to "
        "%(size)s each."
    ) % {
        "count": settings.ATTACHMENT_MAX_FILES,
        "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
    }


SCAN_ACCEPT = "application/pdf,image/jpeg,image/png"


class ReplyForm(forms.Form):
    """The sender's reply letter to an office's question: the operator's summary, the scans."""

    summary = forms.CharField(
        label=_("What the sender's reply says"),
        min_length=5,
        max_length=5000,
        help_text=_("A faithful summary, in the letter's words where you can."),
        widget=forms.Textarea(attrs={"rows": 6, **AUTO}),
    )
    scans = MultipleFileField(
        label=_("Scans of the reply letter"),
        widget=MultipleFileInput(attrs={"accept": SCAN_ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scans"].help_text = _scans_help()

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.errors and "scans" not in self.errors and self.files:
            self.add_error("scans", forms.ValidationError(REATTACH, code="reattach"))
        return self.cleaned_data


class SenderFeedbackForm(FeedbackForm):
    """The citizen's feedback form, filled in from the sender's letter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["satisfied"].label = _("Does the sender say the problem was solved?")
        self.fields["rating"].label = _(
            "How does the sender rate the response (5 is best; 3 if the letter does not say)?"
        )
        self.fields["comment"].label = _("What the sender writes about it (optional)")
        self.fields["comment"].widget.attrs["dir"] = "auto"


class FindForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference on the letter"),
        max_length=40,
        help_text=_("As the sender copied it from our reply, letters and digits with dashes."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", **LTR}),
    )

    def clean_reference(self) -> str:
        return "".join(str(self.cleaned_data.get("reference") or "").split()).upper()
