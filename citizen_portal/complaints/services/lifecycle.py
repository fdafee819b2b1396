"""Every change of a complaint, each performed by `_transition` under the table in
complaints/transitions.py: lock the row, check the table, compare-and-set, append the event,
and queue the notifications once the transaction commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import (
    Channel,
    Complaint,
    Event,
    Feedback,
    Kind,
    Status,
)
from citizen_portal.complaints.services.events import event_append
from citizen_portal.complaints.services.permissions import capacities
from citizen_portal.complaints.services.references import reference_next
from citizen_portal.complaints.transitions import Action, Actor, allowed
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.models import AdminUnit, Category, Position, PositionHolding
from citizen_portal.directory.selectors.calendar import due_date
from citizen_portal.directory.selectors.positions import supervisor_chain
from citizen_portal.directory.selectors.routing import focal_position_for, route_for

_UNCHANGED: Any = object()


def _notify_on_commit(event: Event) -> None:
    # Imported here: notifications depends on complaints, not the other way round.
    from citizen_portal.notifications.tasks import notify_event

    event_id = event.pk
    transaction.on_commit(lambda: notify_event(event_id))


def _transition(
    *,
    complaint_id: int,
    action: Action,
    actor: Actor,
    user: User | None,
    target: Status,
    position: Position | None = _UNCHANGED,
    data: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> tuple[Complaint, Event]:
    """The one place a complaint's status or position changes."""
    with transaction.atomic():
        # The row lock makes concurrent actions on one complaint queue up (PostgreSQL); SQLite
        # takes the database write lock at BEGIN (IMMEDIATE transactions, see settings).
        complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
        source = Status(complaint.status)
        if not allowed(action, source=source, target=target, actor=actor):
            raise ApplicationError(
                _("This action is not possible while the complaint is “%(status)s”.")
                % {"status": source.label},
                code="invalid_transition",
            )
        from_position_id = complaint.assigned_position_id
        changes: dict[str, Any] = {"status": target, "updated_at": timezone.now(), **(fields or {})}
        if position is not _UNCHANGED:
            changes["assigned_position"] = position
        # Compare-and-set: the update only lands if nobody moved the complaint meanwhile.
        updated = Complaint.objects.filter(pk=complaint_id, status=source).update(**changes)
        if updated != 1:
            raise ApplicationError(_("The complaint changed meanwhile; please reload."))
        for name, value in changes.items():
            setattr(complaint, name, value)
        event = event_append(
            complaint=complaint,
            action=action,
            actor_id=user.pk if user else None,
            from_status=source,
            from_position_id=from_position_id,
            data=data,
        )
        _notify_on_commit(event)
    return complaint, event


@dataclass(frozen=True)
class ComplaintInput:
    category: Category
    area: AdminUnit
    subject: str
    description: str
    language: str = "en"
    channel: Channel = Channel.WEB
    kind: Kind = Kind.COMPLAINT


def complaint_lodge(*, citizen: User, data: ComplaintInput) -> Complaint:
    """Lodge a complaint and route it at once: to the position of the most specific rule, or
    to the department's focal position for triage."""
    category = data.category
    if not category.is_active or not category.department.is_active:
        raise ApplicationError(_("This category is no longer in use. Please choose another."))
    if category.out_of_scope:
        raise ApplicationError(
            _("This matter is outside what the portal can handle."), code="out_of_scope"
        )
    if not data.area.is_active:
        successors = ", ".join(unit.name for unit in data.area.successors.all())
        raise ApplicationError(
            _("%(old)s is no longer a unit of its own; please choose %(new)s.")
            % {"old": data.area.name, "new": successors or _("its current district")},
            code="retired_area",
        )
    if data.area.level not in {"district", "tehsil"}:
        raise ApplicationError(_("Please choose a district."))
    decision = route_for(category=category, area=data.area)
    if decision.position is None:
        raise ApplicationError(
            _("This department does not take complaints through the portal yet."),
            code="not_onboarded",
        )
    with transaction.atomic():
        reference = reference_next(
            prefix=category.department.tier.reference_prefix, year=timezone.localdate().year
        )
        complaint = Complaint.objects.create(
            reference=reference,
            kind=data.kind,
            citizen=citizen,
            category=category,
            department=category.department,
            area=data.area,
            subject=data.subject.strip(),
            description=data.description.strip(),
            language=data.language,
            channel=data.channel,
            status=Status.LODGED,
        )
        event_append(
            complaint=complaint,
            action=Action.LODGE,
            actor_id=citizen.pk,
            from_status="",
            from_position_id=None,
            data={"channel": data.channel},
        )
        target = Status.ASSIGNED if decision.matched else Status.TRIAGE
        complaint, _event = _transition(
            complaint_id=complaint.pk,
            action=Action.AUTO_ROUTE,
            actor=Actor.SYSTEM,
            user=None,
            target=target,
            position=decision.position,
            data={"rule": decision.rule.pk if decision.rule else None},
            fields={"due_on": _due_on(complaint)},
        )
    return complaint


def _due_on(complaint: Complaint) -> date:
    """Today plus the category's deadline in the department's tier's working days."""
    return due_date(
        tier=complaint.department.tier,
        start=timezone.localdate(),
        working_days=complaint.category.deadline_working_days,
    )


def _require(user: User, complaint: Complaint, *wanted: Actor) -> Actor:
    have = capacities(user, complaint)
    for actor in wanted:
        if actor in have:
            return actor
    raise NotAllowed(_("You may not do this on this complaint."))


def complaint_resolve(*, complaint: Complaint, officer: User, remark: str) -> Complaint:
    """The holder of the assigned position resolves it, saying what was done."""
    actor = _require(officer, complaint, Actor.HOLDER)
    remark = remark.strip()
    if len(remark) < 10:
        raise ApplicationError(_("Please say what was done (at least 10 characters)."))
    complaint, _event = _transition(
        complaint_id=complaint.pk,
        action=Action.RESOLVE,
        actor=actor,
        user=officer,
        target=Status.RESOLVED,
        data={"remark": remark},
        fields={"resolved_at": timezone.now()},
    )
    return complaint


@dataclass(frozen=True)
class FeedbackInput:
    satisfied: bool
    rating: int
    comment: str = ""


def complaint_give_feedback(
    *, complaint: Complaint, citizen: User, data: FeedbackInput
) -> Feedback:
    """The citizen's verdict on a resolution. Satisfied closes the complaint; not satisfied
    reopens it one level above the position that resolved it (never back to the resolver)."""
    _require(citizen, complaint, Actor.CITIZEN)
    if not 1 <= data.rating <= 5:
        raise ApplicationError(_("Please give between 1 and 5 stars."))
    with transaction.atomic():
        resolution = (
            Event.objects.filter(complaint=complaint, action=Action.RESOLVE)
            .order_by("-seq")
            .first()
        )
        if complaint.status != Status.RESOLVED or resolution is None:
            raise ApplicationError(_("Feedback can be given once the complaint is resolved."))
        comment = data.comment.strip()
        if data.satisfied:
            complaint, _event = _transition(
                complaint_id=complaint.pk,
                action=Action.CONFIRM,
                actor=Actor.CITIZEN,
                user=citizen,
                target=Status.CLOSED,
                data={"rating": data.rating, "comment": comment},
                fields={"closed_at": timezone.now()},
            )
        else:
            complaint, _event = _transition(
                complaint_id=complaint.pk,
                action=Action.DISPUTE,
                actor=Actor.CITIZEN,
                user=citizen,
                target=Status.REOPENED,
                data={"rating": data.rating, "comment": comment},
            )
            _route_up(
                complaint=complaint,
                resolver=resolution.to_position,
                resolved_by=resolution.actor_id,
            )
        feedback = Feedback.objects.create(
            complaint=complaint,
            resolution_event=resolution,
            satisfied=data.satisfied,
            rating=data.rating,
            comment=comment,
        )
    return feedback


def _route_up(*, complaint: Complaint, resolver: Position | None, resolved_by: int | None) -> None:
    """A disputed resolution goes to the nearest post above the resolver's that the person
    who resolved it does not hold (a supervisor acting for a vacant post must not review
    their own work), or to the department's focal position; with a fresh deadline."""
    held_by_resolver: set[int] = set()
    if resolved_by is not None:
        held_by_resolver = set(
            PositionHolding.objects.filter(user_id=resolved_by, ended_at__isnull=True).values_list(
                "position_id", flat=True
            )
        )
    above = [
        p for p in (supervisor_chain(resolver) if resolver else []) if p.pk not in held_by_resolver
    ]
    target = above[0] if above else focal_position_for(complaint.department)
    if (
        target is None
        or (resolver is not None and target.pk == resolver.pk)
        or (target.pk in held_by_resolver)
    ):
        raise ApplicationError(_("No reviewing officer is configured for this department."))
    _transition(
        complaint_id=complaint.pk,
        action=Action.ROUTE_UP,
        actor=Actor.SYSTEM,
        user=None,
        target=Status.ASSIGNED,
        position=target,
        fields={
            "due_on": _due_on(complaint),
            "resolved_at": None,
        },
    )
