"""Complaints and their append-only timelines."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models import AdminUnit, Category, Department, Position


class Status(models.TextChoices):
    LODGED = "lodged", _("Lodged")
    TRIAGE = "triage", _("Being directed to the right office")
    ASSIGNED = "assigned", _("With the office")
    AWAITING_CITIZEN = "awaiting_citizen", _("Waiting for your information")
    RESOLVED = "resolved", _("Resolved (awaiting your feedback)")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = frozenset(
    {
        Status.LODGED,
        Status.TRIAGE,
        Status.ASSIGNED,
        Status.AWAITING_CITIZEN,
        Status.RESOLVED,
        Status.REOPENED,
    }
)


class Action(models.TextChoices):
    LODGE = "lodge", _("Lodged")
    AUTO_ROUTE = "auto_route", _("Sent to the responsible office")
    ROUTE = "route", _("Directed to an office")
    MARK_DOWN = "mark_down", _("Marked to a subordinate officer")
    RETURN_UP = "return_up", _("Returned to the supervising officer")
    TRANSFER = "transfer", _("Transferred to another department")
    REQUEST_INFO = "request_info", _("Information requested from the citizen")
    PROVIDE_INFO = "provide_info", _("Information provided by the citizen")
    INFO_TIMEOUT = "info_timeout", _("Dropped: requested information not received")
    INTERIM_REPLY = "interim_reply", _("Interim reply")
    RESOLVE = "resolve", _("Resolved")
    CONFIRM = "confirm", _("Resolution confirmed by the citizen")
    SILENCE_WINDOW = "silence_window", _("Closed: no feedback within the window")
    DISPUTE = "dispute", _("Resolution disputed by the citizen")
    ROUTE_UP = "route_up", _("Sent to the next level for review")
    DROP = "drop", _("Dropped")
    REVIEW_DROP = "review_drop", _("Drop reviewed")
    ESCALATE = "escalate", _("Escalated: deadline missed")
    LINK_DUPLICATE = "link_duplicate", _("Linked as a duplicate")
    REMARK = "remark", _("Remark")
    INTERNAL_NOTE = "internal_note", _("Internal note")


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    APP = "app", _("Mobile app")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Helpline")
    LETTER = "letter", _("Letter")
    SMS = "sms", _("SMS")


class Complaint(models.Model):
    reference = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints")
    # Copied from the category at lodging and on transfer: the inbox and dashboards filter by
    # department without joining through the category tree.
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="complaints")
    area = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="complaints")
    subject = models.CharField(max_length=200)
    description = models.TextField(max_length=5000)
    language = models.CharField(max_length=5, default="en")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LODGED)
    assigned_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            # The officer's inbox: complaints at a position, oldest deadline first.
            models.Index(fields=["assigned_position", "status", "due_on"], name="inbox"),
            # The citizen's list: own complaints, newest first.
            models.Index(fields=["citizen", "-created_at"], name="citizen_list"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Event(models.Model):
    """One entry of a complaint's timeline. Append-only: never updated, never deleted.

    `hash` covers this event's content and the previous event's hash, so editing or removing any
    event breaks the chain from there on.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    from_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Remarks and other details. Only public events are shown to the citizen.
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["complaint_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "seq"], name="one_event_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("Events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("Events are append-only and cannot be deleted.")


class Feedback(models.Model):
    """The citizen's verdict on a resolution. A disputed complaint that is resolved again gets
    feedback again, so a complaint may have several; the newest is the current one."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="feedbacks")
    resolution_event = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="feedback"
    )
    satisfied = models.BooleanField()
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {'satisfied' if self.satisfied else 'not satisfied'}"


class ReferenceCounter(models.Model):
    """The last sequence number issued per reference prefix and year."""

    prefix = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
