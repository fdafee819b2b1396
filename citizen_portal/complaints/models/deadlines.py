"""Missed deadlines, recorded against whoever held the post when the time ran out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models.complaint import Complaint
from citizen_portal.complaints.models.timeline import Event
from citizen_portal.directory.models import Position


class DeadlineMiss(models.Model):
    """One deadline that ran out at one post. The unique constraint is what makes the sweep
    idempotent: a second sweep over the same miss cannot record (or escalate) it again."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="misses")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="misses")
    # Null when the post was vacant: the miss then stands against the post alone.
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadline_misses",
    )
    due_on = models.DateField()
    escalated_to = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="miss")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("missed deadline")
        verbose_name_plural = _("missed deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "position", "due_on"], name="one_miss_per_deadline"
            )
        ]
        indexes = [models.Index(fields=["holder", "recorded_at"], name="miss_holder")]

    def __str__(self) -> str:
        return f"{self.complaint_id} missed {self.due_on} at {self.position_id}"
