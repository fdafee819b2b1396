from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import Language
from citizen_portal.accounts.services.phones import phone_normalise
from citizen_portal.core.errors import ApplicationError


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        help_text=_("Pakistani numbers as you usually write them (0300 1234567); others with +."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )

    def clean_phone(self) -> str:
        try:
            return phone_normalise(self.cleaned_data["phone"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}
        ),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has 6 digits."), code="digits")
        return code


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send updates by SMS; give an e-mail if you also want them there."),
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"), choices=Language.choices
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Please enter your name."), code="name")
        return name


class StaffLoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.is_citizen:
            # Citizens log in with their mobile number; they have no password anyway.
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
