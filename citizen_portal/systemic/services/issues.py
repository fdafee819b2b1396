"""Writes on systemic issues: group complaints into one, link and unlink, remark, give it to
another owner, mark it fixed (resolving every linked complaint still with an office) and
reopen it.

Every change of an issue appends a SystemicEvent in the same transaction; every change of a
complaint goes through the complaints' one transition function, so each linked complaint's
hash-chained timeline says what happened to it. Messages are sent after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Event, Kind, Outcome, Status
from citizen_portal.complaints.services.officer_actions import text
from citizen_portal.complaints.services.permissions import capacities
from citizen_portal.complaints.services.references import reference_next
from citizen_portal.complaints.services.transition import _transition, locked
from citizen_portal.complaints.transitions import Action, Actor
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.models import Position
from citizen_portal.directory.selectors.positions import positions_held
from citizen_portal.systemic.models import (
    IssueAction,
    IssueStatus,
    SystemicEvent,
    SystemicIssue,
    SystemicLink,
)
from citizen_portal.systemic.services.scope import FOCAL, issue_capacities
from citizen_portal.systemic.services.similar import district_of

# Complaints that may be grouped: still open and not merely a suggestion.
GROUPABLE = frozenset(
    {Status.TRIAGE, Status.ASSIGNED, Status.AWAITING_CITIZEN, Status.RESOLVED, Status.REOPENED}
)
OFFICER_CAPACITIES = (Actor.HOLDER, Actor.SUPERVISOR, Actor.FOCAL, Actor.COMPLAINT_CELL)
REFERENCE_PREFIX = "SI"


def _queue_messages(event_ids: list[int], owner_of: int | None = None) -> None:
    """After the commit: tell the citizens and followers about these complaint events, and
    the owner post's holder about the issue `owner_of` (new to them)."""
    from citizen_portal.systemic.tasks import systemic_notify

    if event_ids or owner_of:
        transaction.on_commit(lambda: systemic_notify(event_ids, owner_of), robust=True)


def _append(
    issue: SystemicIssue, action: IssueAction, actor: User | None, **data: Any
) -> SystemicEvent:
    return SystemicEvent.objects.create(
        issue=issue, action=action, actor=actor, data=data, created_at=clock.now()
    )


def _officer_actor(user: User | None, complaint: Complaint) -> Actor:
    """The capacity the user acts in on the complaint (refused if none); the daily job is
    the system."""
    if user is None:
        return Actor.SYSTEM
    have = capacities(user, complaint)
    for actor in OFFICER_CAPACITIES:
        if actor in have:
            return actor
    raise NotAllowed(_("You may not do this on this complaint."))


def _locked_issue(issue_id: int) -> SystemicIssue:
    return (
        SystemicIssue.objects.select_for_update(of=("self",))
        .select_related("department", "owner__office", "area", "category")
        .get(pk=issue_id)
    )


def _require(user: User, issue: SystemicIssue, *wanted: str) -> set[str]:
    have = issue_capacities(user, issue)
    if not have or (wanted and not have & set(wanted)):
        raise NotAllowed(_("You may not do this on this systemic issue."))
    return have


def _link_one(*, issue: SystemicIssue, complaint_id: int, user: User | None) -> Event:
    """Link one complaint (row-locked) and append its public LINK_SYSTEMIC event."""
    complaint = locked(complaint_id)
    if complaint.kind != Kind.COMPLAINT or complaint.status not in GROUPABLE:
        raise ApplicationError(
            _("Complaint %(ref)s is not open, so it cannot be grouped.")
            % {"ref": complaint.reference},
            code="not_open",
        )
    if complaint.department_id != issue.department_id:
        raise ApplicationError(
            _("Complaint %(ref)s belongs to another department.") % {"ref": complaint.reference},
            code="other_department",
        )
    _officer_actor(user, complaint)  # the officer must reach the complaint
    if SystemicLink.objects.filter(complaint_id=complaint.pk).exists():
        raise ApplicationError(
            _("Complaint %(ref)s is already grouped with a systemic issue.")
            % {"ref": complaint.reference},
            code="already_linked",
        )
    SystemicLink.objects.create(
        issue=issue, complaint=complaint, linked_by=user, linked_at=clock.now()
    )
    _moved, event = _transition(
        complaint_id=complaint.pk,
        # Appended by this service for the officer (recorded as the event's actor): the table
        # lets only the system do it, so the complaint's page never offers it.
        action=Action.LINK_SYSTEMIC,
        actor=Actor.SYSTEM,
        user=user,
        target=Status(complaint.status),
        data={"issue": issue.reference, "title": issue.title},
    )
    return event


def _complaint_ids(references: Sequence[str]) -> list[int]:
    wanted = sorted({r.strip().upper() for r in references if r and r.strip()})
    found = dict(Complaint.objects.filter(reference__in=wanted).values_list("reference", "pk"))
    missing = [r for r in wanted if r not in found]
    if missing:
        raise ApplicationError(_("No complaint %(ref)s.") % {"ref": missing[0]}, code="not_found")
    # Locked in id order, so that two officers grouping overlapping sets never deadlock.
    return sorted(found.values())


def systemic_issue_create(
    *,
    complaints: Sequence[str],
    title: str,
    summary: str,
    owner: Position,
    actor: User | None,
) -> SystemicIssue:
    """Group `complaints` (references) into a new issue owned by `owner`. All must be open
    complaints of one department and, for an officer, within their reach; `actor` None is the
    daily grouping job."""
    title = text(title, 5, _("Please give the problem a title (at least 5 characters)."), 200)
    summary = (summary or "").strip()[:4000]
    ids = _complaint_ids(complaints)
    if not ids:
        raise ApplicationError(_("Choose at least one complaint to group."), code="empty")
    with transaction.atomic():
        first = locked(ids[0])
        if owner.office.department_id != first.department_id or not owner.is_active:
            raise ApplicationError(
                _("The owner must be a post of the complaints' department."), code="owner"
            )
        issue = SystemicIssue.objects.create(
            reference=reference_next(prefix=REFERENCE_PREFIX, year=clock.today().year),
            title=title,
            summary=summary,
            department_id=first.department_id,
            category_id=first.category_id,
            area=district_of(first.area),
            owner=owner,
            created_by=actor,
            created_at=clock.now(),
        )
        _append(issue, IssueAction.CREATED, actor, owner=owner.pk)
        events = []
        for pk in ids:
            events.append(_link_one(issue=issue, complaint_id=pk, user=actor).pk)
            _append(issue, IssueAction.LINKED, actor, complaint=pk)
        owner_told = actor is None or owner.pk not in {p.pk for p in positions_held(actor)}
        _queue_messages(events, issue.pk if owner_told else None)
    return issue


def issue_link(*, issue: SystemicIssue, reference: str, actor: User) -> SystemicIssue:
    ids = _complaint_ids([reference])
    with transaction.atomic():
        current = _locked_issue(issue.pk)
        _require(actor, current)
        if not current.is_open:
            raise ApplicationError(_("This issue is fixed; reopen it first."), code="fixed")
        event = _link_one(issue=current, complaint_id=ids[0], user=actor)
        _append(current, IssueAction.LINKED, actor, complaint=ids[0])
        _queue_messages([event.pk])
    return current


def issue_unlink(*, issue: SystemicIssue, reference: str, actor: User) -> SystemicIssue:
    """Take a complaint out of the issue (grouped by mistake). Its timeline keeps the link;
    a remark, internal to officers, records the unlinking."""
    with transaction.atomic():
        current = _locked_issue(issue.pk)
        _require(actor, current)
        link = (
            SystemicLink.objects.filter(issue=current, complaint__reference=reference.strip())
            .select_related("complaint")
            .first()
        )
        if link is None:
            raise ApplicationError(_("That complaint is not in this issue."), code="not_linked")
        complaint = locked(link.complaint_id)
        link.delete()
        have = capacities(actor, complaint)
        reach = next((a for a in OFFICER_CAPACITIES if a in have), None)
        # The complaint's timeline notes it when the officer reaches the complaint; the
        # issue's own timeline always does.
        if complaint.status in GROUPABLE and reach is not None:
            _transition(
                complaint_id=complaint.pk,
                action=Action.INTERNAL_NOTE,
                actor=reach,
                user=actor,
                target=Status(complaint.status),
                data={"remark": f"Taken out of systemic issue {current.reference}."},
                is_public=False,
            )
        _append(current, IssueAction.UNLINKED, actor, complaint=complaint.pk)
    return current


def issue_remark(*, issue: SystemicIssue, remark: str, actor: User) -> SystemicIssue:
    remark = text(remark, 5, _("Please write at least 5 characters."))
    with transaction.atomic():
        current = _locked_issue(issue.pk)
        _require(actor, current)
        _append(current, IssueAction.REMARK, actor, remark=remark)
    return current


def issue_change_owner(*, issue: SystemicIssue, owner: Position, actor: User) -> SystemicIssue:
    """Give the issue to another post of its department: the focal person's decision."""
    with transaction.atomic():
        current = _locked_issue(issue.pk)
        _require(actor, current, FOCAL)
        if owner.office.department_id != current.department_id or not owner.is_active:
            raise ApplicationError(
                _("The owner must be a post of the issue's department."), code="owner"
            )
        if owner.pk == current.owner_id:
            return current
        old = current.owner_id
        current.owner = owner
        current.save(update_fields=["owner"])
        _append(current, IssueAction.OWNER_CHANGED, actor, old=old, new=owner.pk)
        _queue_messages([], current.pk)
    return current


def issue_fix(*, issue: SystemicIssue, remarks: str, actor: User) -> SystemicIssue:
    """Mark the issue fixed. Every linked complaint still open is told on its timeline
    (SYSTEMIC_FIXED); each one with an office (assigned) is resolved through the normal resolve
    transition, so its citizen is told and asked for feedback as after any resolution, and a
    dispute reopens that one complaint as usual. Followers of every linked complaint are told."""
    remarks = text(remarks, 10, _("Please say what was done (at least 10 characters)."))
    with transaction.atomic():
        current = _locked_issue(issue.pk)
        _require(actor, current)
        if not current.is_open:
            return current
        current.status, current.fixed_at = IssueStatus.FIXED, clock.now()
        current.save(update_fields=["status", "fixed_at"])
        _append(current, IssueAction.FIXED, actor, remark=remarks)
        told: list[int] = []
        links = SystemicLink.objects.filter(issue=current).order_by("complaint_id")
        for complaint_id in links.values_list("complaint_id", flat=True):
            told.extend(_fix_one(current, complaint_id, remarks, actor))
        _queue_messages(told)
    return current


def _fix_one(issue: SystemicIssue, complaint_id: int, remarks: str, user: User) -> list[int]:
    """SYSTEMIC_FIXED on the complaint's timeline and, if an office has it, RESOLVE. The
    issue's owner resolves for the linked complaints of the whole area: the holder's own
    capacity is not required, the fix is recorded under the issue's reference."""
    complaint = locked(complaint_id)
    if complaint.status not in GROUPABLE:
        return []
    # `resolves`: the RESOLVE that follows tells the citizen; otherwise this event does.
    resolves = complaint.status == Status.ASSIGNED
    data = {"issue": issue.reference, "title": issue.title, "remark": remarks, "resolves": resolves}
    moved, fixed = _transition(
        complaint_id=complaint.pk,
        action=Action.SYSTEMIC_FIXED,
        actor=Actor.SYSTEM,
        user=user,
        target=Status(complaint.status),
        data=data,
    )
    if not resolves:
        return [fixed.pk]
    _transition(
        complaint_id=complaint.pk,
        action=Action.RESOLVE,
        actor=Actor.HOLDER,
        user=user,
        target=Status.RESOLVED,
        data={
            "outcome": Outcome.RELIEF_GRANTED.value,
            "remark": remarks,
            "due_on": moved.due_on.isoformat() if moved.due_on else None,
            "issue": issue.reference,
        },
        fields={"resolved_at": clock.now(), "outcome": Outcome.RELIEF_GRANTED},
    )
    # The RESOLVE event tells the citizen (notifications app); the followers are told here.
    return [fixed.pk]


def issue_reopen(*, issue: SystemicIssue, remark: str, actor: User) -> SystemicIssue:
    remark = text(remark, 5, _("Please write at least 5 characters."))
    with transaction.atomic():
        current = _locked_issue(issue.pk)
        _require(actor, current)
        if current.is_open:
            return current
        current.status = IssueStatus.REOPENED
        current.save(update_fields=["status"])
        _append(current, IssueAction.REOPENED, actor, remark=remark)
    return current
