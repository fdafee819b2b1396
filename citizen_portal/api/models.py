"""Credentials for the API: tokens for the mobile app and other clients of signed-in users, and
keys for partner systems (Open311). Only a hash of each secret is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token of one user on one device. It expires, and can be revoked by the user
    (log out), by an administrator, or by the portal (account blocked, number changed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters, to tell tokens apart in lists; not enough to use one.
    prefix = models.CharField(max_length=12)
    label = models.CharField(_("device"), max_length=100, blank=True)
    # Staff tokens are issued only after the second factor; recorded for the audit.
    second_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="token_user_live")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


class PartnerKey(models.Model):
    """A partner system (a provincial portal, a city app, an ombudsman) allowed to post
    requests through Open311. The key is shown once, when it is issued in the admin."""

    name = models.CharField(_("partner"), max_length=200)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    # Requests a partner posts are lodged under this account (the partner's intake account).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_keys"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("partner key")
        verbose_name_plural = _("partner keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
