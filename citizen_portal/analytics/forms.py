"""The dashboards' period: a preset, or dates of the user's choosing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.analytics.selectors.figures import DAILY_DAYS, months_back
from citizen_portal.complaints.selectors.performance import Period, period_of
from citizen_portal.core import clock

PRESETS = (
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("3m", _("Last 3 months")),
    ("12m", _("Last 12 months")),
    ("custom", _("Dates below")),
)
DEFAULT = "30"
# The figures go back as far as the rollups do; a longer period is refused, not truncated.
MAX_DAYS = 3 * 366


def preset_period(preset: str) -> Period:
    """A preset's period: days up to today, or the current month and whole months before."""
    if preset.endswith("m"):
        return months_back(int(preset[:-1]))
    today = clock.today()
    return period_of(today - timedelta(days=int(preset) - 1), today)


def snapped(since: Any, until: Any) -> Period:
    """A period longer than DAILY_DAYS, widened to whole calendar months (ending today at the
    latest): long periods are counted per month (selectors/figures.py)."""
    if (until - since).days + 1 <= DAILY_DAYS:
        return period_of(since, until)
    start = since.replace(day=1)
    end = (until.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return period_of(start, min(end, clock.today()))


class PeriodForm(forms.Form):
    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preset = data.get("preset") or ""
        dates_given = bool(data.get("since") or data.get("until"))
        if preset == "custom" or (not preset and dates_given):
            since = data.get("since")
            today = clock.today()
            until = data.get("until") or today
            if since is None:
                raise forms.ValidationError(_("Choose the first day of the period."))
            if since > until:
                raise forms.ValidationError(_("The period cannot end before it starts."))
            if until > today:
                raise forms.ValidationError(_("The period cannot end after today."))
            if (until - since).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
            data["period"] = snapped(since, until)
        else:
            data["preset"] = preset or DEFAULT
            data["period"] = preset_period(data["preset"])
        return data

    def period(self) -> Period:
        if self.is_valid():
            chosen: Period = self.cleaned_data["period"]
            return chosen
        return preset_period(DEFAULT)
