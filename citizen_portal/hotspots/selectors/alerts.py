"""Which alerts a user may see, which they may acknowledge, the dashboards' panel, and the
complaints behind an alert.

- Leadership (analysts, administrators) sees the alerts of its tier, or all with national reach.
- A department's focal person and its head see the department's alerts and those of the
  departments below it — whoever may open the department's dashboard (analytics/access.py).
- Only the focal person acknowledges, and only the focal person gets the list of the complaints
  behind an alert (they already may open each of them).

An alert outside the user's reach answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from citizen_portal.accounts.models import User
from citizen_portal.analytics import access
from citizen_portal.analytics.access import departments_with_descendants
from citizen_portal.analytics.models import Scope
from citizen_portal.complaints.models import Complaint, Kind
from citizen_portal.complaints.selectors.focal import departments_kept_by
from citizen_portal.directory.models import AdminUnit
from citizen_portal.hotspots.models import HotspotAlert

STANDING = (HotspotAlert.Status.OPEN, HotspotAlert.Status.ACKNOWLEDGED)
RECENT_DAYS = 30
PANEL_SIZE = 20
COMPLAINTS_SHOWN = 200


def _base() -> QuerySet[HotspotAlert]:
    return HotspotAlert.objects.select_related("category", "district", "department")


def visible_alerts(user: User) -> QuerySet[HotspotAlert]:
    if not user.is_authenticated or user.is_citizen:
        return HotspotAlert.objects.none()
    if access.is_leadership(user):
        reach = access.tier_reach(user)
        return _base() if reach is None else _base().filter(department__tier_id=reach)
    headed = [d.pk for d in access.departments_headed(user)]
    return _base().filter(department_id__in=departments_with_descendants(headed))


def may_see_any(user: User) -> bool:
    return access.is_leadership(user) or bool(access.departments_headed(user))


def acknowledgeable_departments(user: User) -> set[int]:
    """The departments whose alerts the user acknowledges: those they keep as focal person."""
    return {d.pk for d in departments_kept_by(user)}


@dataclass(frozen=True)
class AlertLists:
    standing: list[HotspotAlert]
    recent: list[HotspotAlert]  # closed in the last RECENT_DAYS days


def alert_lists(user: User, now: datetime) -> AlertLists:
    alerts = visible_alerts(user)
    standing = list(alerts.filter(status__in=STANDING).order_by("-created_at", "-pk"))
    recent = list(
        alerts.filter(
            status=HotspotAlert.Status.CLOSED, closed_at__gte=now - timedelta(days=RECENT_DAYS)
        ).order_by("-closed_at", "-pk")[:100]
    )
    return AlertLists(standing, recent)


def panel_alerts(scope: int, pk: int) -> list[HotspotAlert]:
    """The standing alerts in a dashboard's scope (the dashboard has checked who may see it):
    the nation, a tier, or a department with those below it. Offices and posts have none."""
    alerts = _base().filter(status__in=STANDING)
    if scope == Scope.TIER:
        alerts = alerts.filter(department__tier_id=pk)
    elif scope == Scope.DEPARTMENT:
        alerts = alerts.filter(department_id__in=departments_with_descendants([pk]))
    elif scope != Scope.NATION:
        return []
    return list(alerts.order_by("-created_at", "-pk")[:PANEL_SIZE])


def _midnight(day: object) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))  # type: ignore[arg-type]


def complaints_behind(alert: HotspotAlert) -> QuerySet[Complaint]:
    """The complaints counted in the alert's latest window: its category, lodged in its
    district (or a tehsil of it) in those seven days. No citizen is named."""
    tehsils = AdminUnit.objects.filter(parent_id=alert.district_id).values_list("pk", flat=True)
    areas = [alert.district_id, *tehsils]
    return (
        Complaint.objects.filter(
            Q(area_id__in=areas),
            kind=Kind.COMPLAINT,
            category_id=alert.category_id,
            created_at__gte=_midnight(alert.window_start),
            created_at__lt=_midnight(alert.window_end + timedelta(days=1)),
        )
        .select_related("area")
        .only("reference", "subject", "status", "created_at", "area__name_en", "area__name_ur")
        .order_by("-created_at", "-pk")
    )
