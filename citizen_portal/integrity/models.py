"""Hashed client fingerprints, for the "feedback from staff devices" signal.

Only keyed hashes (HMAC, accounts/crypto.blind_index) of the client's address and of its
browser's user agent are stored, never the address or the user agent themselves: a copy of
these tables tells nobody where anyone was, yet two rows with the same hash came from the same
address (or browser) as seen by the portal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models import Complaint, Feedback


class StaffFingerprint(models.Model):
    """A staff member was seen at an address with a browser: logging in, or acting (any POST).
    One row per (user, address, browser), with when it was first and last seen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ip_hash = models.CharField(max_length=64)
    agent_hash = models.CharField(max_length=64)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    uses = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("staff fingerprint")
        verbose_name_plural = _("staff fingerprints")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "ip_hash", "agent_hash"], name="one_staff_fingerprint"
            )
        ]
        indexes = [
            # selectors/people.py: the staff seen at the addresses feedback came from.
            models.Index(fields=["ip_hash"], name="staff_fingerprint_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.ip_hash[:8]}"


class FeedbackFingerprint(models.Model):
    """Where the citizen's verdict on a resolution came from (their own request, on the web or
    the app; verdicts staff recorded for a caller or a letter are not fingerprinted)."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    ip_hash = models.CharField(max_length=64)
    agent_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("feedback fingerprint")
        verbose_name_plural = _("feedback fingerprints")

    def __str__(self) -> str:
        return f"{self.complaint_id}@{self.ip_hash[:8]}"
