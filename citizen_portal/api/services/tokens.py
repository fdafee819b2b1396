"""Issuing, checking and revoking API tokens. The raw token is returned once and never stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from citizen_portal.accounts.models import User
from citizen_portal.api.models import ApiToken

PREFIX = "cpt_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(
    *, user: User, label: str = "", second_factor: bool = False
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the raw token (shown to the client once)."""
    raw = PREFIX + secrets.token_urlsafe(32)
    days = settings.API_TOKEN_DAYS if user.is_citizen else settings.API_STAFF_TOKEN_HOURS / 24
    token = ApiToken.objects.create(
        user=user,
        key_hash=token_hash(raw),
        prefix=raw[: len(PREFIX) + 6],
        label=label[:100],
        second_factor=second_factor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


def token_find(raw: str) -> ApiToken | None:
    """The live token for `raw`: not expired, not revoked, of an active user."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    # The hash is unique: no ORDER BY (which `.first()` would add) is needed.
    found = ApiToken.objects.select_related("user").filter(
        key_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now()
    )[:1]
    token = next(iter(found), None)
    if token is None or not token.user.is_active:
        return None
    if not token.user.is_citizen and not token.second_factor:
        return None
    return token


def token_touch(token: ApiToken) -> None:
    """Record use, at most once a minute (a write per request would cost more than the read)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def token_revoke(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_revoke_all(user: User) -> int:
    """End every API session of `user` (account blocked or closed, number changed)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def tokens_live(user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first (the "signed-in devices" list)."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-pk")


def tokens_revoke_others(*, user: User, keep: ApiToken) -> int:
    """Sign out every other device of `user`; the token making the request stays."""
    return (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .exclude(pk=keep.pk)
        .update(revoked_at=timezone.now())
    )
