"""Reports of accessibility problems, as their senders wrote them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import Language


class BarrierReport(models.Model):
    """Something on the portal that stopped someone. Kept for the team that answers it, with
    the sender's way back (if they gave one) and the language they were using, to answer in."""

    page = models.CharField(max_length=500, blank=True)
    problem = models.TextField(max_length=4000)
    # Phone or computer, browser, and any assistive technology (screen reader, magnifier …).
    technology = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=16, blank=True)  # E.164
    language = models.CharField(max_length=2, choices=Language.choices)
    # The account, when the sender was logged in.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The address that sent it, to limit how many reports one client can send.
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Rate limit: reports one address sent in the last hour.
            models.Index(fields=["submitted_ip", "created_at"], name="a11y_report_ip_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}: {self.problem[:60]}"
