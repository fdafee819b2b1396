"""Partner keys: issued in the admin, shown once, kept only as a SHA-256 hash. A key works
while it is active and its intake account is an active citizen account."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.api.models import PartnerKey
from citizen_portal.core.errors import ApplicationError

PREFIX = "cpk_"
# The prefix and this many characters are kept in clear, to tell keys apart in lists.
SHOWN = 6


def partner_key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def intake_account_check(account: User) -> None:
    """Requests a partner posts are lodged under its intake account, so it must be an account
    that can lodge: an active citizen account (the partner's own, not a member of the
    public's: complaints lodged under it are the partner's to follow up)."""
    if not account.is_active or not account.is_citizen:
        raise ApplicationError(
            _("The intake account must be an active citizen account."), code="intake_account"
        )


def partner_key_secret(key: PartnerKey) -> str:
    """Give an unsaved key its secret: sets the hash and prefix, returns the raw key, which is
    shown to the administrator once and stored nowhere."""
    raw = PREFIX + secrets.token_urlsafe(32)
    key.key_hash = partner_key_hash(raw)
    key.prefix = raw[: len(PREFIX) + SHOWN]
    return raw


def partner_key_issue(*, name: str, account: User) -> tuple[PartnerKey, str]:
    """A new active key for the partner `name`; returns the row and the raw key."""
    intake_account_check(account)
    key = PartnerKey(name=name.strip()[:200], account=account)
    raw = partner_key_secret(key)
    key.save(force_insert=True)
    return key, raw


def partner_key_find(raw: str) -> PartnerKey | None:
    """The usable key for `raw`: active, with an active citizen intake account."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    key = (
        PartnerKey.objects.select_related("account")
        .filter(key_hash=partner_key_hash(raw), is_active=True)
        .first()
    )
    if key is None or not key.account.is_active or not key.account.is_citizen:
        return None
    return key


def partner_key_touch(key: PartnerKey) -> None:
    """Record use, at most once a minute (a write per request would cost more than the read)."""
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
