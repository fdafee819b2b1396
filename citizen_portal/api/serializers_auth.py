"""Input and output shapes of /api/v1/auth/. Field checks mirror the web's forms
(accounts/forms.py); domain rules stay in the services, which check again."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from citizen_portal.accounts.identity import DocumentType, document_parse
from citizen_portal.accounts.models import Gender, Language, Role, User
from citizen_portal.accounts.services.citizens import citizen_password_check
from citizen_portal.accounts.services.names import name_clean
from citizen_portal.accounts.services.phones import phone_normalise
from citizen_portal.api.models import ApiToken
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Country

# "<one-time code id>.<nonce>": the id fits a 64-bit column; the nonce is URL-safe base64.
CHALLENGE = re.compile(r"^(\d{1,18})\.([A-Za-z0-9_-]{16,100})$")


def _password(help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=128, trim_whitespace=False, help_text=help_text)


def _device() -> serializers.CharField:
    return serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="A name for this device in the list of signed-in devices; "
        "the User-Agent when left out.",
    )


# --- Requests -------------------------------------------------------------------------------


class AuthCodeSerializer(serializers.Serializer[None]):
    phone = serializers.CharField(
        max_length=32,
        help_text="Pakistani numbers as people write them (0300 1234567); others with +.",
    )
    purpose = serializers.ChoiceField(choices=[("register", "register"), ("login", "login")])

    def validate_phone(self, value: str) -> str:
        try:
            return phone_normalise(value)
        except ApplicationError as exc:
            raise serializers.ValidationError(str(exc.message), code=exc.code) from None


class _RegistrationFields(serializers.Serializer[None]):
    """What the web's registration form asks, besides the password."""

    full_name = serializers.CharField(max_length=150)
    gender = serializers.ChoiceField(choices=Gender.choices)
    date_of_birth = serializers.DateField()
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    document_number = serializers.CharField(
        max_length=32, help_text="CNIC, NICOP and POC: the 13 digits, e.g. 35202-1234567-1."
    )
    nationality = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        default="",
        help_text="ISO 3166-1 alpha-2 code of the country that issued the passport; "
        "passports only.",
    )
    country_of_residence = serializers.CharField(
        max_length=2, help_text="ISO 3166-1 alpha-2 code of the country where the citizen lives."
    )
    home_district = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="Code of the home district (e.g. PK-PB-LHR-LHR); required for residents "
        "of Pakistan.",
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    preferred_language = serializers.ChoiceField(
        choices=Language.choices, help_text="Language of SMS and e-mail messages."
    )


class AuthRegistrationSerializer(_RegistrationFields):
    """The registration fields, all checked: the second step of a registration challenge."""

    password = _password("At least 8 characters; not a common password.")

    def validate_full_name(self, value: str) -> str:
        # The same rule as the web's registration and name change (accounts/services/names.py).
        try:
            return name_clean(value)
        except ApplicationError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from None

    def validate_date_of_birth(self, value: date) -> date:
        if not date(1900, 1, 1) <= value <= timezone.localdate():
            raise serializers.ValidationError(_("Enter your real date of birth."), code="dob")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Every check at once, as the web's form reports them (DRF would stop at the first).
        errors: dict[str, str] = {}
        nationality = attrs["nationality"].upper()
        passport = attrs["document_type"] == DocumentType.PASSPORT
        if passport and nationality and not Country.objects.filter(code=nationality).exists():
            errors["nationality"] = str(_("Choose the country that issued the passport."))
        else:
            try:
                attrs["document"] = document_parse(
                    doc_type=attrs["document_type"],
                    number=attrs["document_number"],
                    nationality=nationality if passport else "",
                )
            except ApplicationError as exc:
                errors["document_number"] = str(exc.message)
        residence = Country.objects.filter(code=attrs["country_of_residence"].upper()).first()
        if residence is None:
            errors["country_of_residence"] = str(_("Choose the country where you live."))
        district = attrs["home_district"]
        attrs["district"] = (
            AdminUnit.objects.filter(
                code=district, level=AdminUnit.Level.DISTRICT, is_active=True
            ).first()
            if district
            else None
        )
        living_in_pakistan = residence is not None and residence.code == "PK"
        if attrs["district"] is None and (district or living_in_pakistan):
            errors["home_district"] = str(_("Choose your home district."))
        try:
            citizen_password_check(attrs["password"])
        except ApplicationError as exc:
            errors["password"] = str(exc.message)
        if errors:
            raise serializers.ValidationError(errors)
        attrs["residence"] = residence
        return attrs


class AuthVerifySerializer(_RegistrationFields):
    """The code, with the password (login) or the password and the registration fields
    (register). The registration fields are required when, and only when, the challenge is
    for registering; they are checked after the code."""

    challenge = serializers.RegexField(
        CHALLENGE.pattern,
        max_length=120,
        help_text="As returned by POST /api/v1/auth/code/.",
        error_messages={"invalid": _("This code has expired. Please ask for a new one.")},
    )
    code = serializers.RegexField(
        r"^[0-9]{6}$",
        help_text="The 6 digits of the SMS.",
        # Refused before the code service sees it, so a typo costs no try (as on the web).
        error_messages={"invalid": _("The code has 6 digits.")},
    )
    password = _password("Login: the account's password. Register: the new password.")
    device = _device()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        registration = _RegistrationFields._declared_fields
        for name in registration:
            fields[name].required = False
        # The fields every challenge needs first, then the registration ones.
        return {n: f for n, f in fields.items() if n not in registration} | {
            n: f for n, f in fields.items() if n in registration
        }

    def validate_challenge(self, value: str) -> tuple[int, str]:
        match = CHALLENGE.match(value)
        assert match is not None  # the field's pattern
        return int(match.group(1)), match.group(2)


class AuthStaffLoginSerializer(serializers.Serializer[None]):
    username = serializers.CharField(max_length=150)
    password = _password("The staff password.")
    code = serializers.CharField(
        max_length=20, help_text="6 digits from the authenticator app, or a recovery code."
    )
    device = _device()


# --- Responses ------------------------------------------------------------------------------


class AuthChallengeSerializer(serializers.Serializer[dict[str, Any]]):
    challenge = serializers.CharField(
        help_text="Send it back with the code to POST /api/v1/auth/verify/. Keep it secret: "
        "it binds the code to this client."
    )
    expires_in = serializers.IntegerField(help_text="Seconds the code stays valid.")
    resend_after = serializers.IntegerField(
        help_text="Seconds to wait before asking for another code for this number."
    )


class AuthUserSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    full_name = serializers.CharField(read_only=True)
    masked_phone = serializers.SerializerMethodField(
        help_text="The mobile number with its middle hidden (+923••••••567); null for "
        "staff without one."
    )
    preferred_language = serializers.ChoiceField(choices=Language.choices, read_only=True)

    def get_masked_phone(self, user: User) -> str | None:
        return user.masked_phone if user.phone else None


class AuthTokenIssuedSerializer(serializers.Serializer[dict[str, Any]]):
    token = serializers.CharField(
        help_text="Send as `Authorization: Bearer <token>`. Shown this once only."
    )
    expires_at = serializers.DateTimeField()
    user = AuthUserSerializer()


class AuthTokenSerializer(serializers.Serializer[Any]):  # one ApiToken, or many
    id = serializers.IntegerField(read_only=True)
    prefix = serializers.CharField(
        read_only=True, help_text="The token's first characters, to tell tokens apart."
    )
    device = serializers.CharField(source="label", read_only=True)
    second_factor = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)
    expires_at = serializers.DateTimeField(read_only=True)
    current = serializers.SerializerMethodField(
        help_text="True for the token that made this request."
    )

    def get_current(self, token: ApiToken) -> bool:
        current = self.context.get("current")
        return current is not None and token.pk == current.pk


class AuthRevokedSerializer(serializers.Serializer[dict[str, Any]]):
    revoked = serializers.IntegerField(help_text="How many tokens were signed out.")
