"""The columns of an exported complaint list, and the fields they read.

What an export may hold is decided here, once: the complaint's reference, kind, status,
category, department, the post it is with, district, channel, and its dates and outcome.
Nothing that identifies the citizen (name, phone, CNIC) and nothing they wrote (subject,
description): neither list that exports today shows the citizen's name to the officer, and
a file leaves the portal's access checks behind it. Labels are read in the active language,
so the worker writes them in the language the user asked in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.complaints.models import Complaint

Cell = str | date | None


@dataclass(frozen=True)
class Column:
    header: StrOrPromise
    value: Callable[[Complaint], Cell]


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _assigned(complaint: Complaint) -> str:
    position = complaint.assigned_position
    return str(position) if position is not None else ""


COMPLAINT_COLUMNS: tuple[Column, ...] = (
    Column(_("Reference"), lambda c: c.reference),
    Column(_("Kind"), lambda c: c.get_kind_display()),
    Column(_("Status"), lambda c: c.get_status_display()),
    Column(_("Category"), lambda c: c.category.name),
    Column(_("Department"), lambda c: c.department.name),
    Column(_("With (post, office)"), _assigned),
    Column(_("District"), lambda c: c.area.name),
    Column(_("Channel"), lambda c: c.get_channel_display()),
    Column(_("Lodged on"), lambda c: _local_date(c.created_at)),
    Column(_("Due on"), lambda c: c.due_on),
    Column(_("Resolved on"), lambda c: _local_date(c.resolved_at)),
    Column(_("Outcome"), lambda c: c.get_outcome_display() if c.outcome else ""),
)

# The fields the columns read, and those the keyset orders read (exports.services.sources):
# a field missing here would cost a query per row.
COMPLAINT_FIELDS = (
    "reference",
    "kind",
    "status",
    "channel",
    "created_at",
    "due_on",
    "resolved_at",
    "outcome",
    "escalation_level",
    "category__name_en",
    "category__name_ur",
    "department__name_en",
    "department__name_ur",
    "area__name_en",
    "area__name_ur",
    "assigned_position__title_en",
    "assigned_position__title_ur",
    "assigned_position__office__name_en",
    "assigned_position__office__name_ur",
)


def for_columns(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """`complaints` reading exactly what COMPLAINT_COLUMNS need, in one query per chunk."""
    return complaints.select_related(
        "category", "department", "area", "assigned_position", "assigned_position__office"
    ).only(*COMPLAINT_FIELDS)
