"""Reads for the complaint pages. Each returns only what the user may see; anything else is
answered with 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Complaint, Event, Status
from citizen_portal.complaints.services.permissions import can_view
from citizen_portal.core import clock
from citizen_portal.directory.models import OutOfScopeGround
from citizen_portal.directory.selectors.positions import (
    positions_below_any,
    positions_held,
)

_DETAIL_RELATED = (
    "category",
    "department",
    "department__tier",
    "area",
    "assigned_position",
    "assigned_position__office",
    "citizen",
    "duplicate_of",
)


def complaints_of_citizen(user: User) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(citizen=user)
        .select_related("category", "assigned_position", "assigned_position__office")
        .order_by("-created_at")
    )


def complaint_of_citizen(user: User, reference: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related(*_DETAIL_RELATED)
        .filter(reference=reference.upper(), citizen=user)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def public_timeline(complaint: Complaint) -> QuerySet[Event]:
    """What the citizen sees: public events only (never internal notes)."""
    return (
        complaint.events.filter(is_public=True)
        .select_related("to_position", "to_position__office")
        .order_by("seq")
    )


def full_timeline(complaint: Complaint) -> QuerySet[Event]:
    """What officers see: every event, internal notes included, with who acted."""
    return complaint.events.select_related("actor", "to_position", "to_position__office").order_by(
        "seq"
    )


def latest_event(complaint: Complaint, *actions: Action) -> Event | None:
    """The newest public event of one of `actions`: the question being asked, the drop being
    explained."""
    return complaint.events.filter(action__in=actions, is_public=True).order_by("-seq").first()


def ground_named(code: str | None) -> OutOfScopeGround | None:
    """The out-of-scope ground a drop cited (by code), to show its reason to the citizen."""
    if not code:
        return None
    return OutOfScopeGround.objects.filter(code=code).first()


@dataclass(frozen=True)
class FollowedComplaint:
    """What the citizen of a duplicate may know of the earlier complaint it follows: its
    reference, public status and public resolution remark. Never its citizen or description."""

    reference: str
    status: StrOrPromise
    resolution: str


def followed_complaint(complaint: Complaint) -> FollowedComplaint | None:
    earlier = complaint.duplicate_of
    if earlier is None:
        return None
    # A resolution the earlier citizen disputed no longer stands: show it only while it does.
    resolution = None
    if earlier.status in (Status.RESOLVED, Status.CLOSED):
        resolution = latest_event(earlier, Action.RESOLVE)
    remark = str(resolution.data.get("remark", "")) if resolution is not None else ""
    return FollowedComplaint(
        reference=earlier.reference, status=earlier.get_status_display(), resolution=remark
    )


# How long after a drop its supervisor still finds it under "Drops to review".
DROP_REVIEW_DAYS = 30


def drops_to_review(user: User) -> QuerySet[Complaint]:
    """Complaints dropped in the last DROP_REVIEW_DAYS days, not yet reviewed, at any post
    below one the user holds: the supervisor may uphold or overturn each drop."""
    below = {p.pk for p in positions_below_any(positions_held(user))}
    if not below:  # most officers supervise nobody: no query
        return Complaint.objects.none()
    since = clock.now() - timedelta(days=DROP_REVIEW_DAYS)
    return (
        Complaint.objects.filter(
            status=Status.DROPPED,
            drop_reviewed_at__isnull=True,
            closed_at__gte=since,
            assigned_position_id__in=below,
        )
        .select_related("category", "area", "assigned_position", "assigned_position__office")
        .order_by("closed_at")
    )


def complaint_for_staff(user: User, reference: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related(*_DETAIL_RELATED)
        .filter(reference=reference.upper())
        .first()
    )
    if complaint is None or user.is_citizen or not can_view(user, complaint):
        raise Http404
    return complaint
