"""Test helpers for staff accounts with an authenticator app."""

from __future__ import annotations

import pyotp
from django.utils import timezone

from citizen_portal.accounts import crypto
from citizen_portal.accounts.models import StaffTotp, User


def enable_totp(user: User) -> pyotp.TOTP:
    """Give `user` a confirmed authenticator app; returns the app, to read codes from."""
    secret = pyotp.random_base32()
    StaffTotp.objects.update_or_create(
        user=user,
        defaults={"secret_encrypted": crypto.encrypt(secret), "confirmed_at": timezone.now()},
    )
    return pyotp.TOTP(secret)
