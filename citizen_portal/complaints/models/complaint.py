"""The complaint (or suggestion) itself, its reference counter and its submission keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models.choices import (
    INBOX_STATUSES,
    NO_DEADLINE,
    OPEN_STATUSES,
    Channel,
    DropReason,
    Kind,
    Outcome,
    Status,
    label_of,
)
from citizen_portal.directory.models import AdminUnit, Category, Department, Position


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
    # The helpline agent or mail-room operator who lodged it for the citizen (assisted
    # channels); empty when the citizen lodged it themselves or it came in by e-mail or SMS.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LODGED)
    assigned_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    # The post the complaint is about, if it names an officer: it never reaches that post or
    # any post below it.
    against_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where, if the citizen chose to share it.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    share_location = models.BooleanField(default=False, db_default=False)

    # The deadline: `clock_started_on` is when the current post's time began; `warn_on` when
    # its holder is to be warned (cleared once warned); `paused_at` is set while the office
    # waits for the citizen.
    due_on = models.DateField(null=True, blank=True)
    clock_started_on = models.DateField(null=True, blank=True)
    warn_on = models.DateField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    info_due_on = models.DateField(null=True, blank=True)
    expected_on = models.DateField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0, db_default=0)
    transfer_count = models.PositiveSmallIntegerField(default=0, db_default=0)
    dispute_count = models.PositiveSmallIntegerField(default=0, db_default=0)

    outcome = models.CharField(
        max_length=24, choices=Outcome.choices, blank=True, default="", db_default=""
    )
    drop_reason = models.CharField(
        max_length=16, choices=DropReason.choices, blank=True, default="", db_default=""
    )
    drop_reviewed_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )

    # The timeline's length and newest hash: deleting the newest events leaves a chain that
    # still links up, so the complaint keeps the head to check against.
    event_count = models.PositiveIntegerField(default=0, db_default=0)
    head_hash = models.CharField(max_length=64, blank=True, default="", db_default="")

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
            # The inbox's orders, read straight from an index for one post (migration 0007).
            models.Index(
                F("assigned_position"),
                Coalesce("due_on", Value(NO_DEADLINE)),
                F("id"),
                condition=Q(status__in=INBOX_STATUSES),
                name="inbox_by_deadline",
            ),
            models.Index(
                fields=["assigned_position", "created_at", "id"],
                condition=Q(status__in=INBOX_STATUSES),
                name="inbox_by_age",
            ),
            # The citizen's list: own complaints, newest first.
            models.Index(fields=["citizen", "-created_at"], name="citizen_list"),
            # The sweeps: overdue and nearly due work, by status and deadline.
            models.Index(fields=["status", "due_on"], name="deadline_sweep"),
            models.Index(fields=["status", "warn_on"], name="warning_sweep"),
            models.Index(fields=["status", "resolved_at"], name="silence_sweep"),
            models.Index(fields=["status", "info_due_on"], name="info_sweep"),
            # The complaint page's "open complaints nearby and similar", newest first.
            models.Index(
                fields=["category", "area", "status", "created_at"], name="complaint_nearby"
            ),
            # Lists by date across all complaints (Open311's public list, exports).
            models.Index(fields=["created_at"], name="complaint_created"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_suggestion(self) -> bool:
        return self.kind == Kind.SUGGESTION

    # Django's generated get_FOO_display translate every choice per call (label_of). The type
    # checker's Django plugin declares them too, hence the no-redef.
    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return label_of(Status, self.status)

    def get_kind_display(self) -> str:  # type: ignore[no-redef]
        return label_of(Kind, self.kind)

    def get_channel_display(self) -> str:  # type: ignore[no-redef]
        return label_of(Channel, self.channel)

    def get_outcome_display(self) -> str:  # type: ignore[no-redef]
        return label_of(Outcome, self.outcome)

    def get_drop_reason_display(self) -> str:  # type: ignore[no-redef]
        return label_of(DropReason, self.drop_reason)

    @property
    def is_paused(self) -> bool:
        return self.status == Status.AWAITING_CITIZEN and self.paused_at is not None


class SubmissionKey(models.Model):
    """An `Idempotency-Key` seen from a user, and the complaint its first use created. A retry
    with the same key within the window returns that complaint instead of lodging a second."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    # Filled in the same transaction that claimed the key; null only inside it.
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What was submitted: the same key with different content is a mistake, not a retry.
    fingerprint = models.CharField(max_length=64, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_use_per_key")]
        indexes = [models.Index(fields=["created_at"], name="submission_key_age")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


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
