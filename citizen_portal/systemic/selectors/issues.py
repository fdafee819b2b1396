"""Reads of systemic issues: the page of one, the department's list, the issue a complaint is
grouped with, and what a citizen follows (only what they may see of it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.http import Http404

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Complaint, Event
from citizen_portal.complaints.selectors.related import public_stage
from citizen_portal.systemic.models import Follow, SystemicEvent, SystemicIssue, SystemicLink
from citizen_portal.systemic.services.scope import issue_capacities, issues_visible_to
from citizen_portal.systemic.services.similar import district_of


def issue_for_staff(user: User, reference: str) -> tuple[SystemicIssue, set[str]]:
    """The issue and the user's capacities on it, or 404 for anyone outside its scope."""
    issue = (
        SystemicIssue.objects.select_related(
            "department", "category", "area", "owner__office", "created_by"
        )
        .filter(reference=reference.strip().upper())
        .first()
    )
    if issue is None:
        raise Http404
    have = issue_capacities(user, issue)
    if not have:
        raise Http404
    return issue, have


def issue_complaints(issue: SystemicIssue) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(systemic_link__issue=issue)
        .select_related("category", "area", "assigned_position")
        .order_by("created_at", "pk")
    )


def issue_timeline(issue: SystemicIssue) -> QuerySet[SystemicEvent]:
    return issue.events.select_related("actor").order_by("created_at", "pk")


def issues_for(user: User) -> QuerySet[SystemicIssue]:
    return (
        issues_visible_to(user)
        .select_related("department", "category", "area", "owner__office")
        .annotate(linked=Count("links"))
        .order_by("-created_at", "-pk")
    )


def issue_of_complaint(complaint: Complaint) -> SystemicIssue | None:
    link = SystemicLink.objects.filter(complaint_id=complaint.pk).select_related("issue").first()
    return link.issue if link is not None else None


@dataclass(frozen=True)
class Followed:
    """What a follower may see of another citizen's complaint: never its text or citizen."""

    reference: str
    stage: str
    category: str
    district: str
    lodged_on: date
    issue_title: str
    issue_status: str
    remarks: list[tuple[date, str]]


def followed_by(citizen: User) -> list[Followed]:
    follows = Follow.objects.filter(citizen=citizen).select_related(
        "complaint__category", "complaint__area__parent"
    )
    complaints = [f.complaint for f in follows]
    ids = [c.pk for c in complaints]
    links = {
        link.complaint_id: link.issue
        for link in SystemicLink.objects.filter(complaint_id__in=ids).select_related("issue")
    }
    # What the office said of the wider problem when it was fixed, written for everyone it
    # touched. Not its remarks to the citizen who lodged: those may name them, their house,
    # their bill, and a follower is a stranger to them.
    remarks: dict[int, list[tuple[date, str]]] = {pk: [] for pk in ids}
    public = Event.objects.filter(
        complaint_id__in=ids, is_public=True, action=Action.SYSTEMIC_FIXED
    ).order_by("complaint_id", "seq")
    for event in public:
        text = str(event.data.get("remark") or event.data.get("reason") or "")
        if text:
            remarks[event.complaint_id].append((event.created_at.date(), text))
    result = []
    for c in complaints:
        issue = links.get(c.pk)
        result.append(
            Followed(
                reference=c.reference,
                stage=public_stage(c.status),
                category=c.category.name,
                district=district_of(c.area).name,
                lodged_on=c.created_at.date(),
                issue_title=issue.title if issue else "",
                issue_status=issue.get_status_display() if issue else "",
                remarks=remarks[c.pk],
            )
        )
    return result
