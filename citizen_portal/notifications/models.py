"""Outgoing SMS, one row per message: both the delivery history and the work queue."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        CODE = "code", _("One-time code")
        NOTICE = "notice", _("Complaint update")

    # Sent with every attempt: a gateway that saw it before must not deliver it again.
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to = models.CharField(max_length=16)
    body = models.TextField()
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        indexes = [
            # The retry sweep: queued messages whose next attempt is due.
            models.Index(fields=["status", "next_attempt_at"], name="sms_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} → {self.to[:6]}… ({self.status})"


class Notification(models.Model):
    """An in-app message: what the user sees under "Notifications", in their language as it
    was when the message was written."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The timeline entry that caused it: one message per (user, event), however often the
    # background task is retried.
    event = models.ForeignKey(
        "complaints.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=2000)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=models.Q(event__isnull=False),
                name="one_notification_per_event",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notif_inbox")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"


class UnqueuedEvent(models.Model):
    """A timeline event whose `notify_event` task the queue refused when the change committed
    (Redis away, the embedded queue's disk full): queued again by the minute sweep
    (services/unqueued.py), so that nobody goes untold."""

    event = models.OneToOneField(
        "complaints.Event", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event not yet queued for notification")
        verbose_name_plural = _("events not yet queued for notification")

    def __str__(self) -> str:
        return f"event {self.event_id} since {self.created_at:%Y-%m-%d %H:%M}"
