"""Service requests as GeoReport shows them: complaints, found by reference or by filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from citizen_portal.complaints.models import OPEN_STATUSES, Complaint, SubmissionKey

# The spec's ceiling on one answer, and its default window.
MAX_REQUESTS = 1000
WINDOW_DAYS = 90


@dataclass(frozen=True)
class RequestFilter:
    """What GET requests asked for. References, when given, override everything else."""

    start: datetime
    end: datetime
    references: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    # "open", "closed", or both (empty means both).
    statuses: frozenset[str] = frozenset()


def _base() -> QuerySet[Complaint]:
    # One query for a whole list: the fields shown come from these three relations.
    return Complaint.objects.select_related("category", "department__tier", "area")


def requests_matching(wanted: RequestFilter) -> list[Complaint]:
    """At most MAX_REQUESTS complaints, newest first."""
    queryset = _base()
    if wanted.references:
        queryset = queryset.filter(reference__in=wanted.references)
    else:
        queryset = queryset.filter(created_at__gte=wanted.start, created_at__lte=wanted.end)
        if wanted.service_codes:
            queryset = queryset.filter(category__code__in=wanted.service_codes)
        if wanted.statuses == {"open"}:
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        elif wanted.statuses == {"closed"}:
            queryset = queryset.exclude(status__in=OPEN_STATUSES)
    return list(queryset.order_by("-created_at", "-pk")[:MAX_REQUESTS])


def request_by_reference(reference: str) -> Complaint | None:
    return _base().filter(reference=reference).first()


def request_by_token(*, account_id: int, token: str) -> Complaint | None:
    """The complaint a partner's submission token (its Idempotency-Key) created."""
    found = (
        SubmissionKey.objects.filter(user_id=account_id, key=token, complaint__isnull=False)
        .select_related("complaint")
        .first()
    )
    return found.complaint if found is not None else None
