"""Reads the API needs on top of the complaint selectors: the citizen's own complaints, and the
officer's inbox (`citizen_portal.complaints.selectors.inbox`, the same sets as the web pages),
read a page at a time by keyset (`citizen_portal.complaints.selectors.keyset`)."""

from __future__ import annotations

from django.db.models import QuerySet

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.selectors.complaints import complaints_of_citizen
from citizen_portal.complaints.selectors.inbox import Deadline, deadline_state
from citizen_portal.complaints.selectors.keyset import Cursor, Keyset, Page, keyset_page

__all__ = ["Cursor", "Keyset", "Page", "citizen_complaints", "is_overdue", "keyset_page"]


def is_overdue(complaint: Complaint) -> bool:
    """Its deadline has passed while the office's time runs (the sweep has yet to escalate it):
    the inbox's "overdue" tab."""
    return deadline_state(complaint) == Deadline.OVERDUE


def citizen_complaints(
    user: User, *, status: str | None = None, kind: str | None = None
) -> QuerySet[Complaint]:
    """The citizen's own complaints, newest first (the page `complaints:mine` lists)."""
    complaints = complaints_of_citizen(user).select_related("area")
    if status:
        complaints = complaints.filter(status=status)
    if kind:
        complaints = complaints.filter(kind=kind)
    return complaints
