"""Rollups of the complaints' timelines, which the dashboards read instead of the complaints.

Three tables, kept by `services/rollups.py`:

- `Flow`: what happened on a day — complaints lodged, resolved, closed, escalated… — summed
  per *scope* (the nation, a tier, a department, an office, a position) and per *slice* of
  that scope (everything, one district, one category, one channel). A panel for a period is
  a sum over at most a few hundred rows of one index range, whatever the number of complaints.
- `FlowMonth`: the same per calendar month, for long periods.
- `Backlog`: what is open now, per scope and slice and due date, so that "overdue today" is
  a sum over the due dates before today.
- `ComplaintFact`: for each complaint, what it was counted with at the last refresh (its
  department, district, category, channel, state and how many events), so that a change —
  a transfer to another department, a new event — is applied as "take away what it
  contributed, add what it contributes now". The rollups therefore always equal a direct
  count over the complaints and their events, as tests check after random lifecycles.

`Pending` is the queue of complaints changed since the last refresh: a row is appended in
the same transaction as every event (complaints/services), and the refresh takes rows away
by key, so that a change committed late is never skipped.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.IntegerChoices):
    NATION = 0, _("Nation")
    TIER = 1, _("Tier")
    DEPARTMENT = 2, _("Department")
    OFFICE = 3, _("Office")
    POSITION = 4, _("Position")


class Slice(models.IntegerChoices):
    ALL = 0, _("All")
    DISTRICT = 1, _("District")
    CATEGORY = 2, _("Category")
    CHANNEL = 3, _("Channel")


# The measures of a day, in the order of Flow's columns (services/rollups.py counts them).
MEASURES = (
    "lodged",
    "lodged_resolved",
    "suggestions",
    "received",
    "resolved",
    "on_time",
    "closed",
    "dropped",
    "escalated",
    "disputed",
    "feedback",
    "satisfied",
    "rating_sum",
)


class FlowCounts(models.Model):
    """The measures of a scope's slice over a stretch of time (a day, or a month)."""

    scope = models.PositiveSmallIntegerField(choices=Scope.choices)
    scope_id = models.PositiveIntegerField()  # 0 for the nation
    slice = models.PositiveSmallIntegerField(choices=Slice.choices)
    slice_id = models.PositiveIntegerField()  # district, category or channel; 0 for all
    lodged = models.IntegerField(default=0)
    lodged_resolved = models.IntegerField(default=0)
    suggestions = models.IntegerField(default=0)
    received = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    dropped = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    disputed = models.IntegerField(default=0)
    feedback = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)

    class Meta:
        abstract = True


class Flow(FlowCounts):
    """One scope's slice on one day. See docs/dashboards.md for each measure's definition."""

    day = models.DateField()

    class Meta:
        constraints = [
            # Every panel reads one range of this index: a scope, a slice, a run of days.
            models.UniqueConstraint(
                fields=["scope", "scope_id", "slice", "day", "slice_id"], name="flow_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.scope_id} {self.day}"


class FlowMonth(FlowCounts):
    """The same sums per calendar month (`day` is the month's first day): periods longer than
    two months are read in whole months, a few rows per scope and slice however many days."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "scope_id", "slice", "day", "slice_id"], name="flow_month_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.scope_id} {self.day:%Y-%m}"


# A due date for complaints whose office clock is not running (awaiting the citizen, resolved
# and awaiting feedback, lodged): a date no "overdue" test reaches, instead of NULL, which a
# unique constraint would not match.
NO_DUE_DATE = "9999-12-31"


class Backlog(models.Model):
    """Complaints open now in one scope's slice, by due date."""

    scope = models.PositiveSmallIntegerField(choices=Scope.choices)
    scope_id = models.PositiveIntegerField()
    slice = models.PositiveSmallIntegerField(choices=Slice.choices)
    slice_id = models.PositiveIntegerField()
    due_on = models.DateField()
    open = models.IntegerField(default=0)
    # Of those, with the office's clock running (assigned or in triage): overdue once due_on
    # has passed.
    running = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "scope_id", "slice", "slice_id", "due_on"], name="backlog_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.scope_id} due {self.due_on}"


class ComplaintFact(models.Model):
    """What a complaint was counted with at the last refresh."""

    complaint_id = models.BigIntegerField(primary_key=True)
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=12)
    department_id = models.PositiveIntegerField()
    area_id = models.PositiveIntegerField()
    category_id = models.PositiveIntegerField()
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=20)
    assigned_position_id = models.PositiveIntegerField(null=True)
    due_on = models.DateField(null=True)

    def __str__(self) -> str:
        return f"complaint {self.complaint_id} at event {self.seq}"


class Pending(models.Model):
    """A complaint changed since the last refresh (one row per change; duplicates are fine)."""

    id = models.BigAutoField(primary_key=True)
    complaint_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"complaint {self.complaint_id}"


class RefreshState(models.Model):
    """The one row the refresh locks, so that two refreshes never run at once, and when the
    figures were last brought up to date (shown on every dashboard)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    refreshed_at = models.DateTimeField(null=True)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"refreshed {self.refreshed_at}"


class PeerTable(models.Model):
    """Every office's counts per category for one period: the peers' side of the officers'
    performance score (selectors/officer_score.peer_counts), kept because counting it reads
    every resolution, arrival and miss of the period (about 30 s over a year at 10,000,000
    complaints) and it is the same for every officer. services/peer_tables.py keeps it."""

    since = models.DateField()
    until = models.DateField()
    computed_at = models.DateTimeField()
    # [[category_id, office_id, resolved, on_time, feedback, satisfied, received, missed], …]
    rows = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["since", "until"], name="one_peer_table_per_period")
        ]

    def __str__(self) -> str:
        return f"peers {self.since}–{self.until} at {self.computed_at}"
