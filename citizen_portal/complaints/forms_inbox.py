"""The officer's inbox filters: a GET form, so that every view of the inbox has an address an
officer can bookmark or send to a colleague."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models import Channel, Kind
from citizen_portal.complaints.selectors.inbox import SORTS, TABS, InboxQuery, Sort, Tab
from citizen_portal.directory.models import AdminUnit, Category, Position

AGES = [
    ("", _("Any age")),
    ("3", _("Lodged 3 or more days ago")),
    ("7", _("Lodged a week or more ago")),
    ("15", _("Lodged 15 or more days ago")),
    ("30", _("Lodged a month or more ago")),
    ("90", _("Lodged 3 months or more ago")),
]


class InboxFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=list(Tab.LABELS.items()), required=False)
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_("A reference, or words from the subject, description or remarks."),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    area = forms.ChoiceField(label=_("District"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any channel")), *Channel.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Complaints and suggestions")), *Kind.choices],
        required=False,
    )
    older_than = forms.ChoiceField(label=_("Age"), choices=AGES, required=False)
    escalated = forms.BooleanField(label=_("Escalated only (priority)"), required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=list(Sort.LABELS.items()), required=False)

    def __init__(self, *args: Any, positions: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Position.objects.filter(pk__in=positions).values("office__department")
        categories = Category.objects.filter(
            department__in=departments, is_active=True, parent__isnull=True
        ).order_by("name_en")
        category_field = self.fields["category"]
        area_field = self.fields["area"]
        assert isinstance(category_field, forms.ChoiceField)
        assert isinstance(area_field, forms.ChoiceField)
        category_field.choices = [("", _("Any category"))] + [(c.code, c.name) for c in categories]
        districts = AdminUnit.objects.filter(level="district", is_active=True).order_by("name_en")
        area_field.choices = [("", _("Any district"))] + [(d.code, d.name) for d in districts]

    def inbox_query(self) -> InboxQuery:
        """What the valid form asks for (call after is_valid)."""
        data = self.cleaned_data
        tab = data.get("tab") or Tab.ALL
        sort = data.get("sort") or Sort.DEADLINE
        assert tab in TABS
        assert sort in SORTS
        return InboxQuery(
            tab=tab,
            category=data.get("category") or None,
            area=data.get("area") or None,
            channel=data.get("channel") or None,
            kind=data.get("kind") or None,
            older_than_days=int(data["older_than"]) if data.get("older_than") else None,
            escalated=bool(data.get("escalated")),
            search=data.get("q") or "",
            sort=sort,
        )
