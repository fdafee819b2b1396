"""The public transparency page and its open data (selectors/public.py): no login, no
personal data, small counts suppressed."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citizen_portal.analytics import geo
from citizen_portal.analytics.forms import preset_period
from citizen_portal.analytics.selectors import public
from citizen_portal.analytics.selectors.figures import refreshed_at
from citizen_portal.complaints.selectors.performance import Period
from citizen_portal.core import clock
from citizen_portal.core.db_router import reading_from_replica

PRESETS = ("30", "3m", "12m")


def _period(request: HttpRequest) -> tuple[str, Period, bool]:
    preset = request.GET.get("preset", "12m")
    valid = preset in PRESETS
    if not valid:
        preset = "12m"
    return preset, preset_period(preset), valid


# The public page's figures are remembered until the next refresh (the key holds its time).
PAGE_SECONDS = 300


@require_GET
@reading_from_replica()
def transparency(request: HttpRequest) -> HttpResponse:
    preset, period, valid = _period(request)
    refreshed = refreshed_at()
    stamp = refreshed.isoformat() if refreshed else "never"
    key = f"transparency:{translation.get_language()}:{preset}:{clock.today()}:{stamp}"
    figures = cache.get(key)
    if figures is None:
        figures = _figures(preset, period)
        cache.set(key, figures, PAGE_SECONDS)
    context = {
        **figures,
        "problem": None
        if valid
        else _("That period is not offered; the last 12 months are shown."),
        "refreshed_at": refreshed,
    }
    return render(request, "analytics/transparency.html", context)


def _figures(preset: str, period: Period) -> dict[str, Any]:
    """What the page shows, the same for every visitor."""
    rows = public.public_rows(period, monthly=False)
    monthly = [r for r in public.public_rows(period, monthly=True) if r.level == "nation"]
    districts = [r for r in rows if r.level == "district"]
    return {
        "preset": preset,
        "presets": [
            ("30", _("Last 30 days")),
            ("3m", _("Last 3 months")),
            ("12m", _("Last 12 months")),
        ],
        "period": period,
        "nation": next((r for r in rows if r.level == "nation"), None),
        "governments": [r for r in rows if r.level == "government"],
        "monthly": monthly,
        "minimum": public.minimum(),
        "map": geo.map_context(
            {r.code: r.per_100k for r in districts},
            metric_label=_("Complaints per 100,000 people"),
            value_format="rate",
            title=_("Complaints per 100,000 people, by district"),
        ),
        "trend_chart": {
            "kind": "trend",
            "labels": [r.month.isoformat()[:7] for r in monthly if r.month],
            "series": [
                {"name": _("Lodged"), "type": "line", "data": [r.lodged for r in monthly]},
                {"name": _("Resolved"), "type": "line", "data": [r.resolved for r in monthly]},
            ],
        },
        "csv_url": reverse("transparency:data_csv") + f"?preset={preset}",
        "json_url": reverse("transparency:data_json") + f"?preset={preset}",
    }


FIELDS = (
    "month",
    "level",
    "code",
    "name_en",
    "name_ur",
    "lodged",
    "resolved",
    "on_time_rate",
    "resolution_rate",
    "satisfaction",
    "complaints_per_100k",
)


def _data(request: HttpRequest) -> tuple[Period, list[dict[str, Any]]]:
    _preset, period, _valid = _period(request)
    return period, [row.as_dict() for row in public.public_rows(period, monthly=True)]


@require_GET
@reading_from_replica()
def data_json(request: HttpRequest) -> HttpResponse:
    period, rows = _data(request)
    document = {
        "title": "Citizen Portal: complaints by month, government and district",
        "period": {"since": period.since.isoformat(), "until": period.until.isoformat()},
        "suppression": (
            f"Counts from 1 to {public.minimum() - 1} are null; rates are null where the "
            f"number they divide by is below {public.minimum()}."
        ),
        "fields": list(FIELDS),
        "rows": rows,
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
@reading_from_replica()
def data_csv(request: HttpRequest) -> HttpResponse:
    period, rows = _data(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="complaints-{period.since}-{period.until}.csv"'
    )
    response["Cache-Control"] = "public, max-age=300"
    response.write("\ufeff")  # so that spreadsheet programs read the Urdu names as UTF-8
    writer = csv.DictWriter(response, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        # Names come from the directory, not from citizens; still, no cell may start a formula.
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return response


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
