"""Citizen accounts: created only once the phone number has been proved with a code."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import Role, User
from citizen_portal.core.errors import ApplicationError


def citizen_by_phone(phone: str) -> User | None:
    return User.objects.filter(phone=phone, role=Role.CITIZEN).first()


def citizen_register(*, phone: str, full_name: str, email: str, language: str) -> User:
    """Create the account for a phone number the caller has verified with a one-time code."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ApplicationError(_("Please enter your name."))
    try:
        with transaction.atomic():
            return User.objects.create_citizen(
                phone=phone,
                full_name=full_name,
                email=email.strip().lower(),
                preferred_language=language,
            )
    except IntegrityError:
        raise ApplicationError(
            _("An account already uses this mobile number. Please log in."), code="exists"
        ) from None
