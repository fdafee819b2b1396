"""What the helpline keeps: a record of every search for a caller and every registration code
sent, by whom and when. The record names the kind of identifier and shows it masked, never
the full number; it is both the audit trail and what the per-agent hourly limits count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LookupKind(models.TextChoices):
    PHONE = "phone", _("Mobile number")
    DOCUMENT = "document", _("CNIC, NICOP or POC number")
    PASSPORT = "passport", _("Passport number")
    CODE = "code", _("Registration code sent")


class HelplineLookup(models.Model):
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=LookupKind.choices)
    # The identifier as the screens show it (+923••••••567, 35202-•••••••-1).
    masked = models.CharField(max_length=40)
    # The account found (or, for a code, the number's existing account), if any.
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helpline lookup")
        verbose_name_plural = _("helpline lookups")
        ordering = ["-at"]
        indexes = [
            # The hourly limits: one agent's searches (or codes) since an hour ago.
            models.Index(fields=["agent", "kind", "at"], name="helpline_agent_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.kind} {self.masked} at {self.at:%Y-%m-%d %H:%M}"
