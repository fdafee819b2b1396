"""Reads for the complaint pages. Each returns only what the user may see; anything else is
answered with 404, as if it did not exist."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Event, Status
from citizen_portal.complaints.services.permissions import can_view
from citizen_portal.directory.selectors.positions import positions_held, vacant_subordinates

_DETAIL_RELATED = (
    "category",
    "department",
    "department__tier",
    "area",
    "assigned_position",
    "assigned_position__office",
    "citizen",
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
    return (
        complaint.events.filter(is_public=True)
        .select_related("to_position", "to_position__office")
        .order_by("seq")
    )


def full_timeline(complaint: Complaint) -> QuerySet[Event]:
    return complaint.events.select_related("actor", "to_position", "to_position__office").order_by(
        "seq"
    )


# What an officer's inbox shows: everything at the positions they hold that is still theirs to
# act on, most urgent deadline first.
INBOX_STATUSES = (Status.TRIAGE, Status.ASSIGNED, Status.AWAITING_CITIZEN, Status.RESOLVED)


def inbox_for(user: User) -> QuerySet[Complaint]:
    """Complaints at the positions the user holds, and at vacant posts reporting to them."""
    held = positions_held(user)
    positions = Q(assigned_position__in=held) | Q(assigned_position__in=vacant_subordinates(held))
    return (
        Complaint.objects.filter(positions, status__in=INBOX_STATUSES)
        .select_related("category", "area", "assigned_position", "assigned_position__office")
        .order_by("due_on", "created_at")
    )


def vacant_position_ids(user: User) -> set[int]:
    """Ids of the vacant posts whose complaints show in the user's inbox, to flag them."""
    return set(vacant_subordinates(positions_held(user)).values_list("pk", flat=True))


def complaint_for_staff(user: User, reference: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related(*_DETAIL_RELATED)
        .filter(reference=reference.upper())
        .first()
    )
    if complaint is None or user.is_citizen or not can_view(user, complaint):
        raise Http404
    return complaint
