"""Citizen accounts: created only once the phone number has been proved with a code, with an
identity document that no other active account uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.password_validation import (
    get_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts import crypto
from citizen_portal.accounts.identity import Document
from citizen_portal.accounts.models import CitizenProfile, Role, User
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Country


def citizen_by_phone(phone: str) -> User | None:
    return User.objects.filter(phone=phone, role=Role.CITIZEN).first()


@dataclass(frozen=True)
class RegistrationInput:
    phone: str
    full_name: str
    gender: str
    date_of_birth: date
    document: Document
    country_of_residence: Country
    home_district: AdminUnit | None
    email: str
    language: str
    password: str
    # True when the citizen proved an e-mail address because SMS could not reach the number.
    proved_email: bool = False


def citizen_password_check(password: str, user: User | None = None) -> None:
    """Raise ApplicationError with every reason the password is refused."""
    validators = get_password_validators(settings.CITIZEN_PASSWORD_VALIDATORS)
    try:
        validate_password(password, user, password_validators=validators)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="password") from None


def citizen_register(*, data: RegistrationInput) -> User:
    """Create the account for a phone number the caller has verified with a one-time code."""
    full_name = " ".join(data.full_name.split())
    if not full_name:
        raise ApplicationError(_("Please enter your name."))
    if not date(1900, 1, 1) <= data.date_of_birth <= timezone.localdate():
        raise ApplicationError(_("Enter your real date of birth."), code="date_of_birth")
    living_in_pakistan = data.country_of_residence.code == "PK"
    if living_in_pakistan and data.home_district is None:
        raise ApplicationError(_("Choose your home district."), code="home_district")
    citizen_password_check(data.password)
    email = data.email.strip().lower()
    if (
        data.proved_email
        and User.objects.filter(
            email=email, email_verified_at__isnull=False, is_active=True
        ).exists()
    ):
        # A proved address identifies one account: e-mail intake and codes find it by it.
        raise ApplicationError(
            _(
                "Another account already uses this e-mail address. Log in to that account, "
                "or use another address."
            ),
            code="email_taken",
        )
    try:
        with transaction.atomic():
            user = User.objects.create_citizen(
                phone=data.phone,
                full_name=full_name,
                email=email,
                preferred_language=data.language,
            )
            user.set_password(data.password)
            if data.proved_email:
                user.phone_verified = False
                user.email_verified_at = timezone.now()
            user.save(update_fields=["password", "phone_verified", "email_verified_at"])
            if data.proved_email:
                from citizen_portal.accounts.services.emails import (
                    release_waiting_mail_on_commit,
                )

                release_waiting_mail_on_commit(user)
            CitizenProfile.objects.create(
                user=user,
                document_type=data.document.type,
                document_encrypted=crypto.encrypt(data.document.number),
                document_index=crypto.blind_index(data.document.lookup_value),
                document_masked=data.document.masked,
                nationality_id=data.document.nationality or None,
                gender=data.gender,
                date_of_birth=data.date_of_birth,
                home_district=data.home_district,
                country_of_residence=data.country_of_residence,
            )
    except IntegrityError:
        # Either the phone or the document is taken; both answers only reach the person who
        # proved this phone, so saying which is no leak to a stranger.
        if User.objects.filter(phone=data.phone).exists():
            raise ApplicationError(
                _("An account already uses this mobile number. Please log in."), code="exists"
            ) from None
        raise ApplicationError(
            _(
                "An account already uses this identity document. "
                "Call the helpline if it is not yours."
            ),
            code="document_taken",
        ) from None
    return user


def document_find(document: Document) -> CitizenProfile | None:
    """The active account with this document, found by its keyed hash."""
    return (
        CitizenProfile.objects.select_related("user")
        .filter(document_index=crypto.blind_index(document.lookup_value))
        .first()
    )
