"""What officers do to a complaint: mark down, return up, route, transfer, ask the citizen,
reply in the interim, resolve with evidence, drop with a reason, review a drop, link a
duplicate, and remark. Each checks the officer's capacity on the locked row and goes through
`_transition`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import (
    OFFICER_DROP_REASONS,
    Complaint,
    DropReason,
    Kind,
    Outcome,
    Status,
)
from citizen_portal.complaints.services import attachments
from citizen_portal.complaints.services.permissions import capacities
from citizen_portal.complaints.services.transition import (
    _transition,
    clear_of_named,
    conflicted,
    fresh_clock,
    locked,
    require,
)
from citizen_portal.complaints.transitions import Action, Actor
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import Category, OutOfScopeGround, Position
from citizen_portal.directory.selectors.positions import supervisor_chain
from citizen_portal.directory.selectors.routing import focal_position_for, route_for


def text(value: str, minimum: int, message: StrOrPromise, maximum: int = 2000) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ApplicationError(message, code="too_short")
    if len(value) > maximum:
        raise ApplicationError(
            _("Please keep it under %(n)d characters.") % {"n": maximum}, code="too_long"
        )
    return value


def _post_for(complaint: Complaint, position: Position) -> Position:
    if not position.is_active:
        raise ApplicationError(_("That post is no longer in use."))
    if conflicted(complaint, position):
        raise ApplicationError(
            _("This complaint is about that post or one above it, so it cannot go there."),
            code="named_officer",
        )
    return position


def complaint_mark_down(
    *, complaint: Complaint, officer: User, to: Position, instructions: str
) -> Complaint:
    """Send it to a post below the assigned one, with instructions. The deadline stands."""
    instructions = text(instructions, 10, _("Please give instructions (at least 10 characters)."))
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER)
        here = current.assigned_position
        if here is None or all(p.pk != here.pk for p in supervisor_chain(to)):
            raise ApplicationError(_("A complaint can only be marked down to a post below yours."))
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.MARK_DOWN,
            actor=actor,
            user=officer,
            target=Status.ASSIGNED,
            position=_post_for(current, to),
            data={"instructions": instructions},
        )
    return moved


def complaint_return_up(*, complaint: Complaint, officer: User, remark: str) -> Complaint:
    """Give it back to the supervising post, saying why."""
    remark = text(remark, 10, _("Please say why you are returning it (at least 10 characters)."))
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER)
        here = current.assigned_position
        above = here.supervisor if here is not None else None
        if above is None:
            raise ApplicationError(_("There is no post above yours to return it to."))
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.RETURN_UP,
            actor=actor,
            user=officer,
            target=Status.ASSIGNED,
            position=_post_for(current, above),
            data={"remark": remark},
        )
    return moved


def complaint_route(
    *, complaint: Complaint, officer: User, to: Position, instructions: str = ""
) -> Complaint:
    """The focal person (or the tier's complaint cell) directs a complaint waiting in triage to
    a post of its department. That post's time starts now."""
    instructions = (instructions or "").strip()[:2000]
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.FOCAL, Actor.COMPLAINT_CELL)
        if to.office.department_id != current.department_id:
            raise ApplicationError(
                _("Choose a post of this department; to send it elsewhere, transfer it.")
            )
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.ROUTE,
            actor=actor,
            user=officer,
            target=Status.ASSIGNED,
            position=_post_for(current, to),
            data={"instructions": instructions} if instructions else {},
            fields=fresh_clock(current),
        )
    return moved


def complaint_transfer(
    *, complaint: Complaint, officer: User, category: Category, reason: str
) -> Complaint:
    """Send it to the department that can act, under one of its categories. After the allowed
    number of transfers it goes to the tier's complaint cell instead: a complaint is never
    closed for being in the wrong place."""
    reason = text(reason, 10, _("Please say why it belongs elsewhere (at least 10 characters)."))
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER, Actor.FOCAL, Actor.COMPLAINT_CELL)
        if category.department_id == current.department_id:
            raise ApplicationError(
                _("Choose a category of another department; within yours, mark it down.")
            )
        if not category.is_active or not category.department.is_active or category.out_of_scope:
            raise ApplicationError(_("This category is not in use."))
        data = {"reason": reason, "category": category.code}
        # The cell is where transfers end: its own moves are placements, not transfers.
        by_cell = Actor.COMPLAINT_CELL in capacities(officer, current)
        suggestion = current.kind == Kind.SUGGESTION
        # Suggestions have no deadline to dodge; they pass from focal person to focal person.
        if not by_cell and not suggestion and current.transfer_count >= settings.MAX_TRANSFERS:
            return _to_complaint_cell(current, officer, actor, data)
        current.category, current.department = category, category.department
        if suggestion:
            decision_position, matched = focal_position_for(category.department), False
        else:
            decision = route_for(category=category, area=current.area)
            decision_position, matched = decision.position, decision.matched
        position = clear_of_named(current, decision_position)
        if position is None:
            raise ApplicationError(
                _("That department does not take complaints through the portal yet."),
                code="not_onboarded",
            )
        if suggestion:
            target, clock_fields = Status.RECEIVED, {}
        else:
            target = Status.ASSIGNED if matched else Status.TRIAGE
            clock_fields = fresh_clock(current)
        counted = 0 if by_cell else 1
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.TRANSFER,
            actor=actor,
            user=officer,
            target=target,
            position=position,
            data=data,
            fields={
                "category": category,
                "department": category.department,
                "transfer_count": current.transfer_count + counted,
                "escalation_level": 0,
                **clock_fields,
            },
        )
    return moved


def _to_complaint_cell(
    current: Complaint, officer: User, actor: Actor, data: dict[str, Any]
) -> Complaint:
    cell = current.department.tier.complaint_cell
    if cell is None:
        raise ApplicationError(
            _(
                "This complaint has been transferred the most times allowed and no complaint "
                "cell is set for this government; please ask an administrator."
            ),
            code="no_complaint_cell",
        )
    moved, _event = _transition(
        complaint_id=current.pk,
        action=Action.TRANSFER,
        actor=actor,
        user=officer,
        target=Status.TRIAGE,
        position=cell,
        data={**data, "to_complaint_cell": True},
        fields={"escalation_level": 0, **fresh_clock(current)},
    )
    return moved


def complaint_request_info(*, complaint: Complaint, officer: User, question: str) -> Complaint:
    """Ask the citizen for something; the deadline pauses until they answer or the request
    lapses."""
    question = text(question, 10, _("Please say what you need (at least 10 characters)."))
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER)
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.REQUEST_INFO,
            actor=actor,
            user=officer,
            target=Status.AWAITING_CITIZEN,
            data={"question": question},
            fields={
                "paused_at": clock.now(),
                "info_due_on": clock.today() + timedelta(days=settings.INFO_REQUEST_DAYS),
            },
        )
    return moved


def complaint_interim_reply(
    *, complaint: Complaint, officer: User, expected_on: date, reason: str
) -> Complaint:
    """Tell the citizen when to expect relief, and why it takes that long. The deadline that
    escalation reads does not move."""
    reason = text(reason, 10, _("Please give the reason (at least 10 characters)."))
    today = clock.today()
    if not today <= expected_on <= today + timedelta(days=settings.INTERIM_MAX_DAYS):
        raise ApplicationError(
            _("The expected date must be between today and %(n)d days from now.")
            % {"n": settings.INTERIM_MAX_DAYS},
            code="expected_on",
        )
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER)
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.INTERIM_REPLY,
            actor=actor,
            user=officer,
            target=Status.ASSIGNED,
            data={"expected_on": expected_on.isoformat(), "reason": reason},
            fields={"expected_on": expected_on},
        )
    return moved


def complaint_resolve(
    *,
    complaint: Complaint,
    officer: User,
    remark: str,
    outcome: Outcome = Outcome.RELIEF_GRANTED,
    files: Sequence[UploadedFile[bytes]] = (),
) -> Complaint:
    """Resolve it provisionally with the outcome, what was done, and evidence. The citizen
    confirms or disputes; silence closes it after the feedback window."""
    outcome = Outcome(outcome)
    if outcome == Outcome.RELIEF_NOT_POSSIBLE:
        remark = text(
            remark, 30, _("Please explain why relief is not possible (at least 30 characters).")
        )
    else:
        remark = text(remark, 10, _("Please say what was done (at least 10 characters)."))
    prepared = attachments.attachments_prepare(files)
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER)
        moved, event = _transition(
            complaint_id=current.pk,
            action=Action.RESOLVE,
            actor=actor,
            user=officer,
            target=Status.RESOLVED,
            data={
                "outcome": outcome.value,
                "remark": remark,
                # The deadline in force when resolved: an appeal later sets a new one, and
                # "resolved on time" (selectors.performance) must judge by this one.
                "due_on": current.due_on.isoformat() if current.due_on else None,
                **attachments.event_data(prepared),
            },
            fields={"resolved_at": clock.now(), "outcome": outcome},
        )
        attachments.attachments_save(prepared, complaint=moved, event=event, user=officer)
    return moved


def complaint_drop(
    *,
    complaint: Complaint,
    officer: User,
    reason: DropReason,
    explanation: str,
    ground: OutOfScopeGround | None = None,
) -> Complaint:
    """Drop it on one of the fixed grounds, explained to the citizen. The supervisor may
    review the drop."""
    if reason not in OFFICER_DROP_REASONS:
        raise ApplicationError(_("Choose one of the listed reasons."), code="drop_reason")
    explanation = text(
        explanation, 10, _("Please explain the reason to the citizen (at least 10 characters).")
    )
    data = {"reason": reason.value, "explanation": explanation}
    if reason == DropReason.OUT_OF_SCOPE:
        if ground is None or not ground.is_active:
            raise ApplicationError(_("Choose why it is outside the portal."), code="ground")
        data["ground"] = ground.code
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER, Actor.FOCAL)
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.DROP,
            actor=actor,
            user=officer,
            target=Status.DROPPED,
            data=data,
            fields={"drop_reason": reason, "closed_at": clock.now(), "drop_reviewed_at": None},
        )
    return moved


def complaint_review_drop(
    *, complaint: Complaint, officer: User, overturn: bool, remark: str
) -> Complaint:
    """The supervisor (or the tier's complaint cell) upholds a drop or overturns it; an
    overturned complaint goes back where it was dropped, with a fresh deadline."""
    remark = text(remark, 10, _("Please give your reasons (at least 10 characters)."))
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.SUPERVISOR, Actor.COMPLAINT_CELL)
        if current.drop_reviewed_at is not None:
            raise ApplicationError(_("This drop has already been reviewed."), code="reviewed")
        now = clock.now()
        if not overturn:
            moved, _event = _transition(
                complaint_id=current.pk,
                action=Action.REVIEW_DROP,
                actor=actor,
                user=officer,
                target=Status.DROPPED,
                data={"upheld": True, "remark": remark},
                fields={"drop_reviewed_at": now},
            )
            return moved
        dropped_from = current.events.order_by("-seq").values_list("from_status", flat=True)[0]
        target = Status.TRIAGE if dropped_from == Status.TRIAGE else Status.ASSIGNED
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.REVIEW_DROP,
            actor=actor,
            user=officer,
            target=target,
            data={"upheld": False, "remark": remark},
            fields={
                "drop_reviewed_at": now,
                "drop_reason": "",
                "closed_at": None,
                "duplicate_of": None,
                **fresh_clock(current),
            },
        )
    return moved


def complaint_link_duplicate(
    *, complaint: Complaint, officer: User, earlier_reference: str
) -> Complaint:
    """Close it as a duplicate of an earlier complaint of the same department; its citizen
    follows the earlier one's outcome."""
    earlier = (
        Complaint.objects.filter(reference=(earlier_reference or "").strip().upper())
        .select_related("duplicate_of")
        .first()
    )
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER, Actor.FOCAL)
        if earlier is None or earlier.department_id != current.department_id:
            raise ApplicationError(
                _("No complaint with that reference is held by this department."),
                code="not_found",
            )
        while earlier.duplicate_of is not None:
            earlier = earlier.duplicate_of
        if earlier.pk == current.pk or earlier.created_at >= current.created_at:
            raise ApplicationError(
                _("Link it to an earlier complaint, not to itself or a later one."),
                code="not_earlier",
            )
        if earlier.status == Status.DROPPED:
            raise ApplicationError(_("That complaint was dropped; it cannot be followed."))
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.LINK_DUPLICATE,
            actor=actor,
            user=officer,
            target=Status.DROPPED,
            data={"duplicate_of": earlier.reference},
            fields={
                "duplicate_of": earlier,
                "drop_reason": DropReason.DUPLICATE,
                "closed_at": clock.now(),
                "drop_reviewed_at": None,
            },
        )
    return moved


def complaint_remark(
    *, complaint: Complaint, officer: User, remark: str, internal: bool = False
) -> Complaint:
    """A public remark the citizen reads, or an internal note only officers see."""
    remark = text(remark, 5, _("Please write at least 5 characters."))
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(
            officer, current, Actor.HOLDER, Actor.SUPERVISOR, Actor.FOCAL, Actor.COMPLAINT_CELL
        )
        moved, _event = _transition(
            complaint_id=current.pk,
            action=Action.INTERNAL_NOTE if internal else Action.REMARK,
            actor=actor,
            user=officer,
            target=Status(current.status),
            data={"remark": remark},
            is_public=not internal,
        )
    return moved


SUGGESTION_STEPS: dict[Action, Status] = {
    Action.ACKNOWLEDGE: Status.ACKNOWLEDGED,
    Action.CONSIDER: Status.CONSIDERING,
    Action.ADOPT: Status.ADOPTED,
    Action.NOTE: Status.NOTED,
}


def suggestion_step(
    *, complaint: Complaint, officer: User, action: Action, remark: str = ""
) -> Complaint:
    """Move a suggestion along: acknowledged, under consideration, adopted or noted. Adopting
    or noting it tells the citizen why."""
    if action not in SUGGESTION_STEPS:
        raise ApplicationError(_("This action is not possible on a suggestion."))
    remark = (remark or "").strip()
    if action in {Action.ADOPT, Action.NOTE}:
        remark = text(
            remark, 10, _("Please tell the citizen what follows (at least 10 characters).")
        )
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(officer, current, Actor.HOLDER, Actor.FOCAL)
        final = action in {Action.ADOPT, Action.NOTE}
        moved, _event = _transition(
            complaint_id=current.pk,
            action=action,
            actor=actor,
            user=officer,
            target=SUGGESTION_STEPS[action],
            data={"remark": remark} if remark else {},
            fields={"closed_at": clock.now()} if final else {},
        )
    return moved
