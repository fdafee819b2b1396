from __future__ import annotations

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.accessibility.services.reports import BarrierReportInput

LTR = {"dir": "ltr"}


class BarrierReportForm(forms.Form):
    problem = forms.CharField(
        label=_("What stopped you?"),
        min_length=10,
        max_length=4000,
        help_text=_("What you were trying to do, and what happened instead."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    page = forms.CharField(
        label=_("Which page? (optional)"),
        required=False,
        max_length=500,
        help_text=_("The page's title or its address, if you know it."),
    )
    technology = forms.CharField(
        label=_("Your phone or computer, browser and assistive technology (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example: an Android phone, Chrome and TalkBack."),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=_("Leave an e-mail address or a phone number if you would like an answer."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", **LTR}),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=32,
        help_text=_("Pakistani numbers as you usually write them (0300 1234567); others with +."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", **LTR}),
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data["phone"]
        if not raw.strip():
            return ""
        # Any number to call back, landlines too (the registration form takes mobiles only).
        text = raw.strip()
        text = "+" + text[2:] if text.startswith("00") else text
        try:
            number = phonenumbers.parse(text, "PK")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("Enter a valid phone number, e.g. 0300 1234567 or 042 35761234."), code="phone"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def input(self) -> BarrierReportInput:
        data = self.cleaned_data
        return BarrierReportInput(
            problem=data["problem"],
            page=data["page"],
            technology=data["technology"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
        )
