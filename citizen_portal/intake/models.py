"""What came in by e-mail or SMS, kept as received, and what became of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class InboundStatus(models.TextChoices):
    # Stored, not yet handled (the receiver stores first, then hands it to the worker).
    RECEIVED = "received", _("Received")
    # Became a new complaint.
    LODGED = "lodged", _("Lodged as a complaint")
    # Became the citizen's answer or comment on an existing complaint.
    ANSWERED = "answered", _("Added to a complaint")
    # From an address or number the portal does not know: the sender was told how to finish
    # registering, and the message waits for them.
    AWAITING_REGISTRATION = "awaiting_registration", _("Waiting for the sender to register")
    # A question answered by reply (SMS STATUS), or instructions sent.
    REPLIED = "replied", _("Answered")
    # A bounce, an auto-reply, a loop, or a duplicate delivery: recorded, nothing done.
    IGNORED = "ignored", _("Ignored")
    # Could not be handled automatically (broken, too large, refused): for staff to review.
    REVIEW = "review", _("For review")


class InboundMessage(models.Model):
    """One e-mail or SMS as it arrived. The raw bytes are kept in `raw` (a file) before
    anything else is done with them, so that nothing received is ever lost."""

    channel = models.CharField(max_length=8, choices=InboundChannel.choices)
    received_at = models.DateTimeField(auto_now_add=True)
    # The envelope/header sender (e-mail address, lower-cased) or E.164 number.
    sender = models.CharField(max_length=320, blank=True)
    # The address or number it was sent to (a department's address, the short code).
    recipient = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    # Message-ID (e-mail) or the gateway's message id (SMS): the same delivery twice is
    # recognised and not lodged twice.
    external_id = models.CharField(max_length=300, blank=True)
    raw = models.FileField(upload_to="intake/%Y/%m/", blank=True, max_length=200)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=24, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    # Why it was ignored or held for review, in words an operator can act on.
    reason = models.CharField(max_length=300, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_messages",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # When the portal last wrote back to the sender about this message (an invitation to
    # register, a file not accepted): replies to one address are counted by it, so that a
    # sender, or a forged one, cannot make the portal send a storm of mail.
    reply_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["channel", "external_id"], name="inbound_external_id"),
            models.Index(fields=["status", "received_at"], name="inbound_status"),
            models.Index(fields=["channel", "sender", "status"], name="inbound_sender"),
        ]

    def __str__(self) -> str:
        # No sender: the name shows in lists and logs, where an address or number is
        # personal data to be masked.
        return f"{self.channel} #{self.pk} {self.received_at:%Y-%m-%d %H:%M}"
