"""Reads for the helpline screens: the caller as the agent may see them (masked), their
complaints with what the agent reads out, and the agent's own lodgings today. Never an
officer's name: complaints are with posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.identity import DocumentType
from citizen_portal.accounts.models import CitizenProfile, Language, Role, User, mask_phone
from citizen_portal.complaints.models import Complaint, Event
from citizen_portal.core import clock

# Enough to read out on a call; the citizen's own page lists them all.
COMPLAINTS_SHOWN = 20


@dataclass(frozen=True)
class CallerCard:
    pk: int
    name: str
    phone: str  # masked
    document_type: StrOrPromise
    document: str  # masked
    language: StrOrPromise
    home_district: str
    country: str
    home_district_id: int | None


def caller_by_pk(pk: object) -> User | None:
    """The citizen the agent's session is serving (set only by a search or a registration);
    None once the account is closed or blocked."""
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk, role=Role.CITIZEN, is_active=True).first()


def caller_card(citizen: User) -> CallerCard:
    profile = (
        CitizenProfile.objects.filter(user=citizen)
        .select_related("home_district", "country_of_residence")
        .first()
    )
    language = (
        Language(citizen.preferred_language).label
        if citizen.preferred_language in Language.values
        else citizen.preferred_language
    )
    document_type: StrOrPromise = ""
    if profile is not None and profile.document_type in DocumentType.values:
        document_type = DocumentType(profile.document_type).label
    district = profile.home_district if profile is not None else None
    return CallerCard(
        pk=citizen.pk,
        name=citizen.full_name or citizen.masked_phone,
        phone=mask_phone(citizen.phone or ""),
        document_type=document_type,
        document=profile.document_masked if profile is not None else "",
        language=language,
        home_district=district.name if district is not None else "",
        country=profile.country_of_residence.name if profile is not None else "",
        home_district_id=district.pk if district is not None else None,
    )


@dataclass(frozen=True)
class CallerComplaint:
    complaint: Complaint
    latest: Event | None  # the newest public timeline entry


def caller_complaints(citizen: User) -> list[CallerComplaint]:
    """The caller's newest complaints, each with its newest public event. Two queries."""
    complaints = list(
        Complaint.objects.filter(citizen=citizen)
        .select_related("category", "assigned_position", "assigned_position__office")
        .order_by("-created_at")[:COMPLAINTS_SHOWN]
    )
    latest: dict[int, Event] = {}
    events = (
        Event.objects.filter(complaint__in=complaints, is_public=True)
        .select_related("to_position", "to_position__office")
        .order_by("complaint_id", "seq")
    )
    for event in events:
        latest[event.complaint_id] = event
    return [CallerComplaint(c, latest.get(c.pk)) for c in complaints]


def caller_complaint(citizen: User, reference: str) -> Complaint:
    """One of the caller's complaints; any other reference answers 404."""
    complaint = (
        Complaint.objects.filter(citizen=citizen, reference=reference.upper())
        .select_related(
            "category", "department", "area", "assigned_position", "assigned_position__office"
        )
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def lodged_today_by(agent: User) -> QuerySet[Complaint]:
    """What the agent lodged for callers since midnight, newest first."""
    midnight = timezone.make_aware(datetime.combine(clock.today(), time.min))
    return (
        Complaint.objects.filter(
            entered_by=agent, created_at__gte=midnight, created_at__lt=midnight + timedelta(1)
        )
        .select_related("citizen", "category", "assigned_position", "assigned_position__office")
        .order_by("-created_at")
    )
