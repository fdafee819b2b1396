"""The complaint's timeline (append-only, hash-chained) and the citizen's feedback."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models.choices import Action, label_of
from citizen_portal.complaints.models.complaint import Complaint
from citizen_portal.directory.models import Position


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError("Events are append-only and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("Events are append-only and cannot be deleted.")


class Event(models.Model):
    """One entry of a complaint's timeline. Append-only: never updated, never deleted (the ORM
    refuses, and on PostgreSQL a trigger refuses whatever the client).

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

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["complaint_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "seq"], name="one_event_per_seq")
        ]
        indexes = [
            # Officers' performance (selectors.performance): what arrived at a post in a
            # period, and what an officer did in one.
            models.Index(fields=["to_position", "created_at"], name="event_arrivals"),
            models.Index(fields=["actor", "action", "created_at"], name="event_actor_action"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("Events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("Events are append-only and cannot be deleted.")

    # One lookup, not Django's dict of every choice (see Complaint.get_status_display).
    def get_action_display(self) -> str:  # type: ignore[no-redef]
        return label_of(Action, self.action)


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
