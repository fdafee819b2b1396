"""The dashboards: one view for every level of the drill-down (selectors/dashboard.py)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizen_portal.accounts.models import User
from citizen_portal.analytics import access, geo
from citizen_portal.analytics.forms import PeriodForm
from citizen_portal.analytics.models import Scope
from citizen_portal.analytics.selectors import dashboard, figures
from citizen_portal.analytics.selectors.figures import Focus
from citizen_portal.complaints.selectors.performance import Period
from citizen_portal.core import clock
from citizen_portal.core.db_router import reading_from_replica
from citizen_portal.core.decorators import staff_required
from citizen_portal.directory.models import AdminUnit

METRIC_LABELS = {
    "per_100k": gettext_lazy("Complaints per 100,000 people"),
    "resolution_rate": gettext_lazy("Resolution rate (%)"),
    "overdue_now": gettext_lazy("Overdue now"),
    "on_time_rate": gettext_lazy("Resolved on time (%)"),
}
METRIC_FORMATS = {
    "per_100k": "rate",
    "resolution_rate": "percent",
    "overdue_now": "count",
    "on_time_rate": "percent",
}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required(login_url="accounts:staff_login")
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    node = dashboard.home_for(_user(request))
    if node is None:
        return render(request, "403.html", status=403)
    return redirect(node.url())


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...], problems: list[str]) -> str:
    value = request.GET.get(name, "") or allowed[0]
    if value not in allowed:
        problems.append(_("That choice is not offered; the first one is shown."))
        return allowed[0]
    return value


def _district(request: HttpRequest, problems: list[str]) -> AdminUnit | None:
    raw = request.GET.get("district", "")
    if not raw:
        return None
    unit = None
    if raw.isdigit() and len(raw) < 10:
        unit = AdminUnit.objects.filter(pk=int(raw), level=AdminUnit.Level.DISTRICT).first()
    if unit is None:
        problems.append(_("There is no such district; the figures are for every district."))
    return unit


@login_required(login_url="accounts:staff_login")
@staff_required
@reading_from_replica()
def dashboard_view(request: HttpRequest, scope: str, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        node = dashboard.node_for(user, scope, pk)
    except dashboard.NotVisibleError:
        raise Http404 from None
    form = PeriodForm(request.GET or None)
    problems: list[str] = []
    if request.GET and not form.is_valid():
        problems.extend(str(e) for errors in form.errors.values() for e in errors)
    period = form.period()
    district = _district(request, problems)
    metric = _choice(request, "metric", dashboard.MAP_METRICS, problems)
    ranking = _choice(request, "rank", dashboard.RANKINGS, problems)
    focus = Focus(node.scope, node.pk, district.pk if district else None)
    refreshed = figures.refreshed_at()
    query = {"preset": request.GET.get("preset"), "since": request.GET.get("since")}
    query.update(until=request.GET.get("until"), metric=metric)
    key = _cache_key(node, focus, period, metric, ranking, query, refreshed)
    panels = cache.get(key)
    if panels is None:
        panels = _panels(node, focus, period, metric, ranking, query)
        cache.set(key, panels, PANELS_SECONDS)
    context: dict[str, Any] = {
        **panels,
        "node": node,
        "trail": dashboard.trail(user, node),
        "form": form,
        "problems": problems,
        "period": period,
        "bucket": figures.bucket_of(period),
        "district": district,
        "metric": metric,
        "ranking": ranking,
        "upper": focus.upper,
        "refreshed_at": refreshed,
        "is_leadership": access.is_leadership(user),
    }
    context["metric_choices"] = list(METRIC_LABELS.items())
    context["ranking_choices"] = list(RANKING_LABELS.items())
    context["officers_query"] = _officers_query(node)
    context["integrity_url"] = _integrity_url(user, node)
    return render(request, "analytics/dashboard.html", context)


# Panels are remembered until the figures next change (the key holds the refresh's time), at
# most this long: leaders opening the same dashboard cost one computation per refresh.
PANELS_SECONDS = 300


def _cache_key(
    node: dashboard.Node,
    focus: Focus,
    period: Period,
    metric: str,
    ranking: str,
    query: dict[str, Any],
    refreshed: Any,
) -> str:
    """What the panels depend on: the level, the district, the period, the choices, the
    language, today's date (overdue now), and when the figures were last brought up to date.
    The query is hashed: addresses are the user's to choose, of any length."""
    parts = (
        translation.get_language(),
        int(node.scope),
        node.pk,
        focus.district_id,
        period.since,
        period.until,
        clock.today(),
        metric,
        ranking,
        sorted((k, v or "") for k, v in query.items()),
        refreshed,
    )
    return "analytics:panels:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _panels(
    node: dashboard.Node,
    focus: Focus,
    period: Period,
    metric: str,
    ranking: str,
    query: dict[str, Any],
) -> dict[str, Any]:
    """Every panel's figures (selectors/figures.py), the same for every viewer of this level:
    what may be remembered between requests."""
    panels: dict[str, Any] = {
        "totals": figures.totals(focus, period),
        "trend": figures.trend(focus, period),
        "children": dashboard.children(node, period, focus.district_id, ranking),
    }
    if focus.district_id is None:
        rows = dashboard.districts(focus, period)
        here = node.url(**query)
        joiner = "&" if "?" in here else "?"
        panels["map"] = geo.map_context(
            {row.unit.code: dashboard.map_value(row, metric) for row in rows},
            metric_label=str(METRIC_LABELS[metric]),
            value_format=METRIC_FORMATS[metric],
            links={row.unit.code: f"{here}{joiner}district={row.unit.pk}" for row in rows},
            title=_("%(metric)s by district") % {"metric": METRIC_LABELS[metric]},
        )
        panels["categories"] = dashboard.top_categories(focus, period)
        panels["channels"] = dashboard.channel_mix(focus, period)
    panels.update(_charts(panels, focus.upper))
    return panels


RANKING_LABELS = {
    "intake": gettext_lazy("Most complaints first"),
    "on_time_rate": gettext_lazy("Most on time first"),
    "overdue_now": gettext_lazy("Most overdue first"),
    "satisfaction": gettext_lazy("Most satisfied first"),
}


def _officers_query(node: dashboard.Node) -> str:
    if node.scope == Scope.DEPARTMENT:
        return f"?department={node.pk}"
    if node.scope == Scope.OFFICE:
        return f"?office={node.pk}"
    if node.scope == Scope.POSITION:
        return f"?office={node.subject.office_id}"
    return ""


def _integrity_url(user: User, node: dashboard.Node) -> str | None:
    """The integrity signals compare a department's officers with each other: offered on a
    department's dashboard, and on an office's to those who may see its department."""
    if node.scope == Scope.DEPARTMENT:
        return reverse("integrity:flags") + f"?department={node.pk}"
    if node.scope == Scope.OFFICE and access.may_view_department(user, node.subject.department):
        department = node.subject.department_id
        return reverse("integrity:flags") + f"?department={department}&office={node.pk}"
    return None


def _charts(context: dict[str, Any], upper: bool) -> dict[str, Any]:
    """What static/js/dashboard-charts.js draws; every chart has its table on the page."""
    intake = _("Lodged") if upper else _("Received")
    trend = context["trend"]
    charts: dict[str, Any] = {
        "trend_chart": {
            "kind": "trend",
            "labels": [point.start.isoformat() for point in trend],
            "series": [
                {"name": intake, "type": "line", "data": [p.intake for p in trend]},
                {"name": _("Resolved"), "type": "line", "data": [p.resolved for p in trend]},
                {
                    "name": _("Deadlines missed"),
                    "type": "bar",
                    "data": [p.escalated for p in trend],
                },
            ],
        }
    }
    if context.get("categories"):
        rows = context["categories"]
        charts["categories_chart"] = {
            "kind": "bars",
            "name": intake,
            "labels": [row.name for row in rows],
            "values": [row.figures.intake for row in rows],
        }
    if context.get("channels"):
        rows = context["channels"]
        charts["channels_chart"] = {
            "kind": "pie",
            "name": _("Channel"),
            "labels": [row.name for row in rows],
            "values": [row.figures.intake for row in rows],
        }
    return charts
