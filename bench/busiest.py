"""The department the benchmark's department dashboard is measured on."""

from __future__ import annotations


def busiest_department() -> int:
    """The department with the most complaints lodged, by the dashboards' rollups (0 if none).
    Call after django.setup()."""
    from django.db.models import Sum

    from citizen_portal.analytics.models import Flow, Scope, Slice

    busiest = (
        Flow.objects.filter(scope=Scope.DEPARTMENT, slice=Slice.ALL)
        .values("scope_id")
        .annotate(n=Sum("lodged"))
        .order_by("-n")
        .values_list("scope_id", flat=True)
        .first()
    )
    return busiest or 0
