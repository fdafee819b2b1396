"""Systemic issues: one wider problem behind many complaints, with one owner and its own
append-only timeline; and the citizens who follow an open complaint instead of lodging again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.models.choices import label_of
from citizen_portal.directory.models import AdminUnit, Category, Department, Position


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FIXED = "fixed", _("Fixed")
    REOPENED = "reopened", _("Reopened")


class IssueAction(models.TextChoices):
    CREATED = "created", _("Grouped into a systemic issue")
    LINKED = "linked", _("Complaint linked")
    UNLINKED = "unlinked", _("Complaint unlinked")
    OWNER_CHANGED = "owner_changed", _("Owner changed")
    REMARK = "remark", _("Remark")
    FIXED = "fixed", _("Marked fixed")
    REOPENED = "reopened", _("Reopened")


class SystemicIssue(models.Model):
    """A wider problem (a transformer out, a feeder over-billing a whole area) that many
    complaints report. Its title is public: the citizens of the linked complaints read it."""

    reference = models.CharField(max_length=24, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=4000, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    # The district the complaints come from.
    area = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    # None: grouped automatically by the daily job.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    fixed_at = models.DateTimeField(null=True, blank=True)
    complaints = models.ManyToManyField(
        Complaint, through="SystemicLink", related_name="systemic_issues"
    )

    class Meta:
        verbose_name = _("systemic issue")
        verbose_name_plural = _("systemic issues")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The department's list of issues (selectors/issues.issues_for).
            models.Index(fields=["department", "status", "-created_at"], name="systemic_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != IssueStatus.FIXED

    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return label_of(IssueStatus, self.status)


class SystemicLink(models.Model):
    """A complaint grouped into an issue; a complaint belongs to at most one."""

    issue = models.ForeignKey(SystemicIssue, on_delete=models.PROTECT, related_name="links")
    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="systemic_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("systemic link")
        verbose_name_plural = _("systemic links")

    def __str__(self) -> str:
        return f"{self.issue_id} ← {self.complaint_id}"


class SystemicEventQuerySet(models.QuerySet["SystemicEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError("Systemic events are append-only and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("Systemic events are append-only and cannot be deleted.")


class SystemicEvent(models.Model):
    """One entry of an issue's timeline. Append-only, as the complaint's Event is."""

    issue = models.ForeignKey(SystemicIssue, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20, choices=IssueAction.choices)
    # None: the system (the daily grouping job).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # References, remarks, old and new owner ids.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    objects = SystemicEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("systemic issue event")
        verbose_name_plural = _("systemic issue events")
        ordering = ["issue_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.issue_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("Systemic events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("Systemic events are append-only and cannot be deleted.")

    def get_action_display(self) -> str:  # type: ignore[no-redef]
        return label_of(IssueAction, self.action)


class Follow(models.Model):
    """A citizen who, instead of lodging the same complaint again, follows another citizen's
    open complaint. They see its stage, category, district and the office's public remarks;
    never the other citizen's text or identity."""

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="systemic_follows"
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("followed complaint")
        verbose_name_plural = _("followed complaints")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "complaint"], name="one_follow_per_citizen")
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id} → {self.complaint_id}"
