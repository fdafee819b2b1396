"""Planting complaints on given days in bulk: the detection reads only their category, area,
kind and lodging time, and lodging hundreds through the service would make the tests slow."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from citizen_portal.complaints.models import Complaint, Kind

_serial = itertools.count(1)


def plant(
    world: SimpleNamespace,
    *,
    day: date,
    n: int,
    category: Any = None,
    area: Any = None,
    kind: str = Kind.COMPLAINT,
) -> list[Complaint]:
    category = category or world.overbilling
    complaints = Complaint.objects.bulk_create(
        Complaint(
            reference=f"HS-{next(_serial):07d}",
            kind=kind,
            citizen=world.citizen,
            category=category,
            department=category.department,
            area=area or world.lahore,
            subject="Bill three times the usual",
            description="My bill is Rs 45,000 while I usually pay Rs 15,000.",
        )
        for _ in range(n)
    )
    at = timezone.make_aware(datetime.combine(day, time(11, 0)))
    Complaint.objects.filter(pk__in=[c.pk for c in complaints]).update(created_at=at)
    return complaints


def plant_weeks(world: SimpleNamespace, today: date, weekly: list[int], **kwargs: Any) -> None:
    """`weekly[0]` complaints in the last seven days, `weekly[k]` in the k-th week before."""
    for k, n in enumerate(weekly):
        if n:
            plant(world, day=today - timedelta(days=7 * k + 3), n=n, **kwargs)
