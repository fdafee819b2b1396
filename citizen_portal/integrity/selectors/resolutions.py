"""The resolutions the signals are computed from: every officer's resolutions in one
department and period, read in one query (the department is the peer group: categories belong
to a department, so "peers in the same categories" are the department's other officers).

A resolution is credited to the officer who resolved it (the event's actor) and to the office
of the post it was resolved at, as the performance figures do (complaints/selectors/
performance.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, CharField, DateField, F, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils import timezone

from citizen_portal.complaints.models import Action, Event
from citizen_portal.complaints.selectors.performance import Period
from citizen_portal.directory.models import Department


@dataclass(frozen=True)
class Resolution:
    event_id: int
    complaint_id: int
    reference: str
    officer_id: int
    position_id: int | None
    office_id: int | None
    category_id: int
    resolved_at: datetime
    due_on: date | None
    remark: str
    entered_by_id: int | None
    citizen_id: int
    # The citizen's e-mail address, lower-cased, only if they proved it; else "".
    citizen_email: str
    # The citizen's verdict on this resolution: True disputed, False confirmed, None none yet.
    disputed: bool | None

    @property
    def resolved_on(self) -> date:
        return timezone.localdate(self.resolved_at)


def resolution_events(department: Department, period: Period) -> QuerySet[Event]:
    """Index: event_actor_action serves the period per officer; here the department's
    complaints are joined first (complaint_nearby / the complaint's primary key)."""
    return Event.objects.filter(
        action=Action.RESOLVE,
        actor__isnull=False,
        complaint__department=department,
        created_at__gte=period.start,
        created_at__lt=period.end,
    )


def resolutions_in(department: Department, period: Period) -> list[Resolution]:
    """One query, whatever the number of resolutions: the feedback joins on its unique
    resolution_event, the rest on primary keys."""
    recorded_due = Cast(KeyTextTransform("due_on", "data"), DateField())
    rows = (
        resolution_events(department, period)
        .annotate(
            due=Coalesce(recorded_due, F("complaint__due_on"), output_field=DateField()),
            remark_text=KeyTextTransform("remark", "data"),
            proved_email=Case(
                When(
                    complaint__citizen__email_verified_at__isnull=False,
                    then=Lower("complaint__citizen__email"),
                ),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "complaint_id",
            "complaint__reference",
            "actor_id",
            "to_position_id",
            "to_position__office_id",
            "complaint__category_id",
            "created_at",
            "due",
            "remark_text",
            "complaint__entered_by_id",
            "complaint__citizen_id",
            "proved_email",
            "feedback__satisfied",
        )
    )
    return [
        Resolution(
            event_id=pk,
            complaint_id=complaint_id,
            reference=reference,
            officer_id=actor_id,
            position_id=position_id,
            office_id=office_id,
            category_id=category_id,
            resolved_at=created_at,
            due_on=due,
            remark=remark or "",
            entered_by_id=entered_by_id,
            citizen_id=citizen_id,
            citizen_email=email or "",
            disputed=None if satisfied is None else not satisfied,
        )
        for (
            pk,
            complaint_id,
            reference,
            actor_id,
            position_id,
            office_id,
            category_id,
            created_at,
            due,
            remark,
            entered_by_id,
            citizen_id,
            email,
            satisfied,
        ) in rows
    ]
