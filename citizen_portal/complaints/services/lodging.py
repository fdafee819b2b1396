"""Lodging a complaint or a suggestion: checked, numbered, routed and on its timeline in one
transaction; a retry with the same idempotency key returns the first one."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.accounts.services.lifecycle import refuse_if_blocked
from citizen_portal.analytics.services.rollups import complaint_changed
from citizen_portal.complaints.models import (
    Channel,
    Complaint,
    Event,
    Kind,
    Status,
    SubmissionKey,
)
from citizen_portal.complaints.services import attachments
from citizen_portal.complaints.services.events import event_build
from citizen_portal.complaints.services.lodging_limits import (
    LodgingLimitReached,
    lodging_limit_check,
    lodging_limit_lock,
)
from citizen_portal.complaints.services.references import reference_next
from citizen_portal.complaints.services.transition import (
    _notify_on_commit,
    clear_of_named,
    fresh_clock,
)
from citizen_portal.complaints.transitions import Action, Actor, allowed
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Category, Position
from citizen_portal.directory.selectors.memo import route_remembered
from citizen_portal.directory.selectors.routing import RoutingDecision, focal_position_for

# What a client may send as an Idempotency-Key: a UUID or any short token of safe characters.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


@dataclass(frozen=True)
class ComplaintInput:
    category: Category
    area: AdminUnit
    subject: str
    description: str
    language: str = "en"
    channel: Channel = Channel.WEB
    kind: Kind = Kind.COMPLAINT
    against_position: Position | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    share_location: bool = False


def fingerprint(data: ComplaintInput) -> str:
    """What identifies a submission's content, to tell a retry from a reused key."""
    parts = [
        data.kind,
        str(data.category.pk),
        str(data.area.pk),
        data.subject.strip(),
        data.description.strip(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def submission_for(user: User, key: str, data: ComplaintInput) -> Complaint | None:
    """The complaint a key already created, if it was used within the idempotency window. The
    same key with other content is refused: returning the first complaint would silently lose
    what the citizen has just written (a form reused with the browser's Back button). A use
    older than the window is forgotten here (the hourly sweep purges the rest), so that the
    key may lodge again."""
    found = (
        SubmissionKey.objects.filter(user=user, key=key)
        .select_related("complaint", "complaint__citizen")
        .first()
    )
    if found is None:
        return None
    since = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_WINDOW_HOURS)
    if found.created_at < since:
        SubmissionKey.objects.filter(pk=found.pk, created_at__lt=since).delete()
        return None
    if found.fingerprint and found.fingerprint != fingerprint(data):
        raise ApplicationError(
            _(
                "This form was already used to lodge %(ref)s. Your new text has not been sent; "
                "please submit it again."
            )
            % {"ref": found.complaint.reference if found.complaint else "—"},
            code="idempotency_key_reused",
        )
    return found.complaint


def complaint_lodge(
    *,
    citizen: User,
    data: ComplaintInput,
    idempotency_key: str | None = None,
    files: Sequence[UploadedFile[bytes]] = (),
    entered_by: User | None = None,
    for_partner: bool = False,
) -> Complaint:
    """Lodge a complaint (or suggestion) and route it at once: a complaint to the position of
    the most specific rule, or to the department's focal position for triage; a suggestion to
    the department's focal position. `entered_by` is the helpline agent or mail-room operator
    lodging it for the citizen: the timeline's first event is theirs.

    A citizen lodging themselves is held to the lodging limits (services/lodging_limits.py):
    LodgingLimitReached past them. Staff doors (`entered_by`) and an Open311 partner's intake
    account (`for_partner`, which lodges for many people) are not."""
    if idempotency_key is not None and not KEY_PATTERN.match(idempotency_key):
        raise ApplicationError(
            _("The idempotency key must be 8 to 64 letters, digits or - _ . :"),
            code="invalid_idempotency_key",
        )
    decision = _check(data)
    limited = entered_by is None and not for_partner
    try:
        if limited:
            refuse_if_blocked(citizen)
            # Unlocked, before files are read and a reference is taken: nearly every refusal
            # is found here. _lodge counts again under the citizen's row lock.
            lodging_limit_check(citizen=citizen)
        return _lodge_keyed(citizen, data, decision, idempotency_key, files, entered_by, limited)
    except LodgingLimitReached:
        # A retry of a lodging that filled the limit is not a new lodging: the first answers.
        earlier = (
            None if idempotency_key is None else submission_for(citizen, idempotency_key, data)
        )
        if earlier is None:
            raise
        return earlier


def _lodge_keyed(
    citizen: User,
    data: ComplaintInput,
    decision: RoutingDecision,
    idempotency_key: str | None,
    files: Sequence[UploadedFile[bytes]],
    entered_by: User | None,
    limited: bool,
) -> Complaint:
    prepared = attachments.attachments_prepare(files, share_location=data.share_location)
    # Optimistic: a key is new nearly every time, so it is not looked up first. Its claim,
    # inserted with the complaint, fails on the unique constraint when the key was used before
    # (or a concurrent twin holds it: the claim then waits for the twin's commit), and the
    # whole insert rolls back before any file is stored; the earlier complaint is then
    # returned. A retry costs a reference number (a gap, as reference_next explains).
    try:
        return _lodge(citizen, data, decision, idempotency_key, prepared, entered_by, limited)
    except IntegrityError:
        if idempotency_key is None:
            raise
        earlier = submission_for(citizen, idempotency_key, data)
        if earlier is not None:
            return earlier
    # The key's earlier use was older than the window and submission_for has forgotten it:
    # lodge once more (an error now is not a retry's, and is raised).
    return _lodge(citizen, data, decision, idempotency_key, prepared, entered_by, limited)


def _check(data: ComplaintInput) -> RoutingDecision:
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
    if data.against_position is not None and not data.against_position.is_active:
        raise ApplicationError(_("That post no longer exists; please choose another."))
    if (data.latitude is None) != (data.longitude is None):
        raise ApplicationError(_("A location needs both latitude and longitude."))
    if data.kind == Kind.SUGGESTION:
        decision = RoutingDecision(position=focal_position_for(category.department), rule=None)
    else:
        decision = route_remembered(category=category, area=data.area)
    if decision.position is None:
        raise ApplicationError(
            _("This department does not take complaints through the portal yet."),
            code="not_onboarded",
        )
    return decision


def _lodge(
    citizen: User,
    data: ComplaintInput,
    decision: RoutingDecision,
    key: str | None,
    prepared: list[attachments.Prepared],
    entered_by: User | None = None,
    limited: bool = False,
) -> Complaint:
    """Insert the complaint already routed, with its two events (lodged, then routed), in one
    transaction: nobody else can see the row before it commits, so there is nothing to lock
    but the citizen's row when the lodging limits apply (lodging_limit_lock)."""
    category = data.category
    located = data.share_location and data.latitude is not None
    # Taken before the transaction: the counter's row lock then lasts one statement.
    reference = reference_next(
        prefix=category.department.tier.reference_prefix, year=timezone.localdate().year
    )
    complaint = Complaint(
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
        entered_by=entered_by,
        status=Status.LODGED,
        against_position=data.against_position,
        latitude=data.latitude if located else None,
        longitude=data.longitude if located else None,
        share_location=data.share_location,
    )
    lodged = event_build(
        complaint=complaint,
        action=Action.LODGE,
        actor_id=(entered_by or citizen).pk,
        from_status="",
        from_position_id=None,
        data={"channel": data.channel, **attachments.event_data(prepared)},
    )
    complaint.event_count, complaint.head_hash = lodged.seq, lodged.hash
    routed = _route(complaint, decision)
    with transaction.atomic():
        if limited:
            lodging_limit_lock(citizen=citizen)
        complaint.save(force_insert=True)
        if key is not None:
            # A concurrent retry with the same key inserts its own claim too; the unique
            # constraint makes it wait for this transaction and then fail, so that it returns
            # this complaint instead (complaint_lodge), before it has stored any file.
            SubmissionKey.objects.create(
                user=citizen, key=key, complaint=complaint, fingerprint=fingerprint(data)
            )
        Event.objects.bulk_create([lodged, routed])
        complaint_changed(complaint.pk)
        attachments.attachments_save(
            prepared, complaint=complaint, event=lodged, user=entered_by or citizen
        )
        _notify_on_commit(routed)
    return complaint


def _route(complaint: Complaint, decision: RoutingDecision) -> Event:
    """Move the new (unsaved) complaint from lodged to where `decision` sends it, and return
    the event that records it: what `_transition` would do, without a row to lock yet."""
    position = clear_of_named(complaint, decision.position)
    if complaint.kind == Kind.SUGGESTION:
        target, fields = Status.RECEIVED, {}
    else:
        target = Status.ASSIGNED if decision.matched else Status.TRIAGE
        fields = fresh_clock(complaint)
    kind = Kind(complaint.kind)
    assert allowed(
        Action.AUTO_ROUTE, source=Status.LODGED, target=target, actor=Actor.SYSTEM, kind=kind
    )
    complaint.status = target
    complaint.assigned_position = position
    for name, value in fields.items():
        setattr(complaint, name, value)
    event = event_build(
        complaint=complaint,
        action=Action.AUTO_ROUTE,
        actor_id=None,
        from_status=Status.LODGED,
        from_position_id=None,
        data={"rule": decision.rule.pk if decision.rule else None},
    )
    complaint.event_count, complaint.head_hash = event.seq, event.hash
    return event
