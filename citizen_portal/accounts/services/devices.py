"""Devices a citizen has proved with a code: password alone is enough there."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from citizen_portal.accounts.models import TrustedDevice, User
from citizen_portal.accounts.services.sessions import sessions_end_all
from citizen_portal.api.services.tokens import tokens_revoke_all


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_trust(*, user: User, label: str) -> str:
    """Remember this device for the user; returns the token for its cookie."""
    token = secrets.token_urlsafe(32)
    TrustedDevice.objects.create(
        user=user,
        token_hash=_hash(token),
        label=label[:200],
        expires_at=timezone.now() + timedelta(days=settings.TRUSTED_DEVICE_DAYS),
    )
    return token


def device_is_trusted(*, user: User, token: str | None) -> bool:
    if not token:
        return False
    return TrustedDevice.objects.filter(
        user=user, token_hash=_hash(token), expires_at__gt=timezone.now()
    ).exists()


def devices_forget(*, user: User) -> int:
    """After a password reset, a change of number or of privileges, an authenticator reset, or
    the account's closing or blocking, every device must prove itself again: remembered
    browsers, web sessions, and apps signed in with API tokens. (Every one of those steps calls
    this, so no session outlives them; the view of a change the user made themselves keeps
    their own session with sessions_end_all(keep=request).)"""
    deleted, _ = TrustedDevice.objects.filter(user=user).delete()
    tokens_revoke_all(user)
    sessions_end_all(user=user)
    return deleted
