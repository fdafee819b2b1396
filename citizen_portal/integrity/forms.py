"""The scope of the integrity page: a department (the peer group), optionally one of its
offices, and a period. Departments and offices outside the user's reach are not offered, and
asking for one by id reads as an invalid choice, the same as one that does not exist."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.analytics.access import may_view_department, visible_positions
from citizen_portal.complaints.selectors.performance import DEFAULT_DAYS, period_of
from citizen_portal.core import clock
from citizen_portal.directory.models import Department, Office, Position
from citizen_portal.directory.selectors.positions import positions_held
from citizen_portal.integrity.selectors.flags import Scope

# The longest period computed on request: a year of one department's resolutions.
MAX_DAYS = 366
DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")


def departments_for(user: User) -> QuerySet[Department]:
    """Departments with a post the user may review (or holds)."""
    posts = Position.objects.filter(visible_positions(user))
    return Department.objects.filter(offices__positions__in=posts).distinct().order_by("name_en")


def offices_for(user: User, department: Department) -> QuerySet[Office]:
    if may_view_department(user, department):
        return department.offices.order_by("name_en")
    held = positions_held(user).filter(office__department=department)
    return Office.objects.filter(positions__in=held).distinct().order_by("name_en")


class ScopeForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), empty_label=None
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("The whole department"),
    )
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        departments = departments_for(user)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        chosen = self._chosen_department(departments)
        if chosen is not None:
            self.fields["office"].queryset = offices_for(user, chosen)  # type: ignore[attr-defined]

    def _chosen_department(self, departments: QuerySet[Department]) -> Department | None:
        raw = self.data.get("department") if self.is_bound else None
        if not raw or not str(raw).isdigit():
            return None
        return departments.filter(pk=int(raw)).first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        department: Department | None = cleaned.get("department")
        office: Office | None = cleaned.get("office")
        if (
            department is not None
            and office is None
            and not may_view_department(self.user, department)
        ):
            self.add_error("office", _("Choose one of your offices."))
        until: date = cleaned.get("until") or clock.today()
        since: date = cleaned.get("since") or until - timedelta(days=DEFAULT_DAYS - 1)
        if since > until:
            self.add_error("until", _("The end of the period cannot be before its start."))
        elif (until - since).days + 1 > MAX_DAYS:
            self.add_error("since", _("Choose a period of at most %(n)d days.") % {"n": MAX_DAYS})
        cleaned["since"], cleaned["until"] = since, until
        return cleaned

    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            department=data["department"],
            office=data.get("office"),
            period=period_of(data["since"], data["until"]),
        )

    def query(self) -> dict[str, str]:
        """The scope as query parameters, for links to a flag's evidence."""
        data = self.cleaned_data
        found = {
            "department": str(data["department"].pk),
            "since": data["since"].isoformat(),
            "until": data["until"].isoformat(),
        }
        if data.get("office") is not None:
            found["office"] = str(data["office"].pk)
        return found
