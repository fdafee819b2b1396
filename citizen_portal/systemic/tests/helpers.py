"""Complaints lodged through the real service, with the words and the day a test needs."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.core import clock
from citizen_portal.directory.tests.factories import CitizenFactory


def lodge_as(
    world: SimpleNamespace,
    *,
    citizen=None,
    subject: str = "Bill three times the usual",
    description: str = "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
    category=None,
    area=None,
    days_ago: float = 0,
) -> Complaint:
    complaint = complaint_lodge(
        citizen=citizen or CitizenFactory(),
        data=ComplaintInput(
            category=category or world.overbilling,
            area=area or world.lahore,
            subject=subject,
            description=description,
        ),
    )
    if days_ago:
        # Test set-up: when it was lodged (created_at is not part of the timeline's hash).
        when = clock.now() - timedelta(days=days_ago)
        Complaint.objects.filter(pk=complaint.pk).update(created_at=when)
        complaint.created_at = when
    return complaint
