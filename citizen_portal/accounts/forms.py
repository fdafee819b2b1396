from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.identity import DocumentType, document_parse
from citizen_portal.accounts.models import Gender, Language
from citizen_portal.accounts.services.citizens import citizen_password_check
from citizen_portal.accounts.services.login_pace import LoginTooSoon, login_pace_check
from citizen_portal.accounts.services.names import name_clean
from citizen_portal.accounts.services.phones import phone_normalise
from citizen_portal.core.digits import ascii_digits
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Country
from citizen_portal.directory.selectors.catalogue import district_choices

LTR = {"dir": "ltr"}


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        help_text=_("Pakistani numbers as you usually write them (0300 1234567); others with +."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", **LTR}),
    )

    def clean_phone(self) -> str:
        try:
            return phone_normalise(self.cleaned_data["phone"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


class CitizenLoginForm(PhoneForm):
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs=LTR)
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class PasswordConfirmForm(forms.Form):
    """The password, asked again before a change to the account (services/reauth.py)."""

    password = forms.CharField(
        label=_("Your password, to confirm"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ChangeEmailForm(EmailForm, PasswordConfirmForm):
    field_order = ["email", "password"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("New e-mail address")
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class NameForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("In Urdu or English letters, as officers should address you."),
        # dir="auto": a name in Urdu is typed right to left even on an English page.
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )

    def clean_full_name(self) -> str:
        try:
            return name_clean(self.cleaned_data["full_name"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", **LTR}
        ),
    )

    def clean_code(self) -> str:
        code = ascii_digits(self.cleaned_data["code"].strip())
        if not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("The code has 6 digits."), code="digits")
        return code


class NewPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        help_text=_("At least 8 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                citizen_password_check(first)
            except ApplicationError as exc:
                self.add_error("password1", exc.message)
        return data


def _country_choices() -> list[tuple[str, str]]:
    countries = sorted(Country.objects.all(), key=lambda c: c.name)
    return [(c.code, c.name) for c in countries]


class RegistrationForm(NewPasswordForm):
    field_order = [
        "full_name", "gender", "date_of_birth", "document_type", "document_number",
        "nationality", "country_of_residence", "home_district", "email",
        "preferred_language", "password1", "password2",
    ]  # fmt: skip

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date", **LTR})
    )
    document_type = forms.ChoiceField(label=_("Identity document"), choices=DocumentType.choices)
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=32,
        help_text=_("CNIC, NICOP and POC: the 13 digits, e.g. 35202-1234567-1."),
        widget=forms.TextInput(attrs=LTR),
    )
    nationality = forms.ChoiceField(
        label=_("Passport issued by"),
        required=False,
        help_text=_("Only for a passport."),
    )
    country_of_residence = forms.ChoiceField(label=_("Country where you live"), initial="PK")
    home_district = forms.ChoiceField(
        label=_("Home district"),
        required=False,
        help_text=_("Required if you live in Pakistan."),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send updates by SMS; give an e-mail if you also want them there."),
        widget=forms.EmailInput(attrs=LTR),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"), choices=Language.choices
    )

    def __init__(self, *args: Any, proved_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proved_email = proved_email
        if proved_email:
            # The address was proved with a code: it is the one the account keeps.
            self.fields["email"].required = True
            self.fields["email"].disabled = True
            self.fields["email"].label = _("E-mail (confirmed)")
        countries = _country_choices()
        blank: list[Any] = [("", _("Choose…"))]
        for name, choices in (
            ("nationality", blank + countries),
            ("country_of_residence", countries),
            ("home_district", blank + district_choices()),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean_full_name(self) -> str:
        # The same rule as changing the name later (accounts/services/names.py).
        try:
            return name_clean(self.cleaned_data["full_name"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if not date(1900, 1, 1) <= born <= date.today():
            raise forms.ValidationError(_("Enter your real date of birth."), code="dob")
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "document_type" in data and "document_number" in data:
            try:
                data["document"] = document_parse(
                    doc_type=data["document_type"],
                    number=data["document_number"],
                    nationality=data.get("nationality", ""),
                )
            except ApplicationError as exc:
                self.add_error("document_number", exc.message)
        residence = data.get("country_of_residence")
        data["residence"] = Country.objects.filter(code=residence).first()
        district = data.get("home_district")
        data["district"] = (
            AdminUnit.objects.filter(pk=district, level="district", is_active=True).first()
            if district
            else None
        )
        if residence == "PK" and data["district"] is None:
            self.add_error("home_district", _("Choose your home district."))
        return data


class StaffLoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")

    def clean(self) -> dict[str, Any]:
        """The pace of tries first (services/login_pace.py): a try that comes too soon is not
        checked, and does not count as a failure."""
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            try:
                login_pace_check(request=self.request, username=username)
            except LoginTooSoon as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return super().clean()

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.is_citizen:
            # Citizens log in on their own page, with their mobile number.
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        help_text=_("6 digits; or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", **LTR}),
    )
