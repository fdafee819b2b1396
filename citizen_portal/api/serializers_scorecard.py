"""Shapes of the officer's scorecard endpoint: the period asked for, and the figures of
`complaints/selectors/performance.py` (defined in docs/performance.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from citizen_portal.complaints.selectors.performance import DEFAULT_DAYS, Scorecard, period_of
from citizen_portal.core import clock

# The longest period one request may ask for: a year, leap day included.
LONGEST_DAYS = 366
# No figures before this day: the portal did not exist. (It also keeps date arithmetic far from
# year 1, where a period's default start or its midnight would overflow.)
FIRST_DAY = date(2000, 1, 1)


class ScorecardPeriodSerializer(serializers.Serializer[Any]):
    since = serializers.DateField(
        required=False,
        help_text=f"First day (YYYY-MM-DD). Default: {DEFAULT_DAYS - 1} days before `until`.",
    )
    until = serializers.DateField(
        required=False,
        help_text="Last day, included (YYYY-MM-DD), not after today. Default: today.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = clock.today()
        until = attrs.get("until") or today
        if until > today:
            raise serializers.ValidationError({"until": [_("The period cannot end after today.")]})
        early = _("The period cannot start before %(day)s.") % {"day": FIRST_DAY.isoformat()}
        if until < FIRST_DAY:
            raise serializers.ValidationError({"until": [early]})
        since = attrs.get("since") or max(until - timedelta(days=DEFAULT_DAYS - 1), FIRST_DAY)
        if since < FIRST_DAY:
            raise serializers.ValidationError({"since": [early]})
        if since > until:
            raise serializers.ValidationError(
                {"since": [_("The period cannot start after it ends.")]}
            )
        if (until - since).days + 1 > LONGEST_DAYS:
            raise serializers.ValidationError(
                {"since": [_("Ask for %(n)d days at most.") % {"n": LONGEST_DAYS}]}
            )
        period = period_of(since, until)
        return {"since": period.since, "until": period.until}


class ScorecardSerializer(serializers.Serializer[Any]):
    since = serializers.DateField(help_text="First day of the period.")
    until = serializers.DateField(help_text="Last day of the period, included.")
    received = serializers.IntegerField(
        help_text="Complaints that reached a post while you held it, each counted once."
    )
    resolved = serializers.IntegerField(help_text="Your resolutions in the period.")
    resolved_on_time = serializers.IntegerField(
        help_text="Of those, made on or before the due date in force."
    )
    overdue = serializers.IntegerField(help_text="`overdue_now` + `missed`.")
    overdue_now = serializers.IntegerField(
        help_text="Complaints at the posts you hold whose deadline has passed (0 unless the "
        "period runs to today)."
    )
    missed = serializers.IntegerField(
        help_text="Deadlines that ran out while you held the post, recorded in the period: "
        "escalated away from you (or, at the head, given a further period)."
    )
    reopened = serializers.IntegerField(
        help_text="Your resolutions in the period that the citizen disputed."
    )
    median_days = serializers.FloatField(
        allow_null=True,
        help_text="Median days from a complaint's arrival at the post to your resolution; "
        "null without resolutions.",
    )
    p90_days = serializers.FloatField(
        allow_null=True, help_text="90th percentile of the same; null without resolutions."
    )
    feedback = serializers.IntegerField(help_text="Citizens' verdicts on your resolutions.")
    satisfied = serializers.IntegerField(help_text="Of those, satisfied.")
    satisfaction = serializers.FloatField(
        allow_null=True, help_text="`satisfied` / `feedback`, in percent; null without feedback."
    )
    average_rating = serializers.FloatField(
        allow_null=True, help_text="Mean stars (1–5) of that feedback; null without feedback."
    )


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def scorecard_data(card: Scorecard) -> dict[str, Any]:
    return {
        "since": card.since,
        "until": card.until,
        "received": card.received,
        "resolved": card.resolved,
        "resolved_on_time": card.resolved_on_time,
        "overdue": card.overdue,
        "overdue_now": card.overdue_now,
        "missed": card.missed,
        "reopened": card.reopened,
        "median_days": _rounded(card.median_days, 2),
        "p90_days": _rounded(card.p90_days, 2),
        "feedback": card.feedback,
        "satisfied": card.satisfied,
        "satisfaction": _rounded(card.satisfaction, 1),
        "average_rating": _rounded(card.average_rating, 2),
    }
