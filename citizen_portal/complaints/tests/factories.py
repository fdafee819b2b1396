from __future__ import annotations

from types import SimpleNamespace

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge


def lodge(world: SimpleNamespace, *, category=None, area=None, citizen=None) -> Complaint:
    """Lodge through the real service, as a citizen would."""
    return complaint_lodge(
        citizen=citizen or world.citizen,
        data=ComplaintInput(
            category=category or world.overbilling,
            area=area or world.lahore,
            subject="Bill three times the usual",
            description="My November bill is Rs 45,000 while I usually pay Rs 15,000.",
        ),
    )
