"""Two bare views: one INSERT (the write floor) and 20 newest rows as JSON (the read floor)."""

import secrets

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from bench.floor.models import FloorRow


def insert_row(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    row = FloorRow.objects.create(
        reference="BF-" + secrets.token_hex(6),
        citizen_id=1,
        category_id=12,
        area_id=34,
        position_id=56,
        status="assigned",
        subject="Bill three times the usual",
        description="My bill is three times what I usually pay this month.",
        created_at=now,
        updated_at=now,
    )
    return JsonResponse({"id": row.pk}, status=201)


def newest_rows(request: HttpRequest) -> HttpResponse:
    rows = FloorRow.objects.order_by("-id").values("id", "reference", "status", "created_at")[:20]
    return JsonResponse({"results": list(rows)})
