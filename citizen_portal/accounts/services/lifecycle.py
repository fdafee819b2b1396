"""The account lifecycle: a citizen exports their data or closes their account; an
administrator blocks an abusive account. Each step is recorded in AccountEvent."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts import crypto
from citizen_portal.accounts.models import (
    LETTER_ACCOUNT_PREFIX,
    AccountEvent,
    CitizenProfile,
    User,
)
from citizen_portal.accounts.permissions import Perm, has_perm
from citizen_portal.accounts.services.devices import devices_forget
from citizen_portal.core.errors import ApplicationError, NotAllowed


def account_export(*, user: User) -> dict[str, Any]:
    """Everything the portal holds about the citizen, as they may download it."""
    from citizen_portal.complaints.models import Complaint

    profile = CitizenProfile.objects.filter(user=user).first()
    complaints = (
        Complaint.objects.filter(citizen=user)
        .select_related("category", "area", "department")
        .prefetch_related("events", "feedbacks")
        .order_by("created_at")
    )
    AccountEvent.objects.create(user=user, action=AccountEvent.Action.EXPORTED, actor=user)
    return {
        "account": {
            "full_name": user.full_name,
            "phone": user.phone,
            "email": user.email,
            "preferred_language": user.preferred_language,
            "registered_at": user.date_joined.isoformat(),
        },
        "identity": None
        if profile is None
        else {
            "document_type": profile.document_type,
            "document_number": crypto.decrypt(profile.document_encrypted),
            "nationality": profile.nationality_id,
            "gender": profile.gender,
            "date_of_birth": profile.date_of_birth.isoformat(),
            "country_of_residence": profile.country_of_residence_id,
            "home_district": profile.home_district.code if profile.home_district else None,
        },
        "complaints": [_complaint(c) for c in complaints],
    }


# What officers write to one another on a public event (marking down, routing): the
# complaint's page and the API leave it out (complaints/views_timeline.py), and so does this.
OFFICERS_ONLY_DETAILS = frozenset({"instructions"})


def _public(details: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in details.items() if key not in OFFICERS_ONLY_DETAILS}


def _complaint(complaint: Any) -> dict[str, Any]:
    return {
        "reference": complaint.reference,
        "subject": complaint.subject,
        "description": complaint.description,
        "category": complaint.category.code,
        "district": complaint.area.code,
        "status": complaint.status,
        "lodged_at": complaint.created_at.isoformat(),
        "timeline": [
            {"action": e.action, "at": e.created_at.isoformat(), "details": _public(e.data)}
            for e in complaint.events.all()
            if e.is_public
        ],
        "feedback": [
            {"satisfied": f.satisfied, "rating": f.rating, "comment": f.comment}
            for f in complaint.feedbacks.all()
        ],
    }


@transaction.atomic
def account_deactivate(*, user: User, password: str) -> None:
    """The citizen closes their account. Complaints stay on record; the number and the identity
    document are released so that the person can register again later."""
    if not user.check_password(password):
        raise ApplicationError(_("That password is not right."), code="password")
    _close(user)
    AccountEvent.objects.create(user=user, action=AccountEvent.Action.DEACTIVATED, actor=user)


@transaction.atomic
def account_block(*, user: User, by: User, reason: str) -> None:
    """An administrator blocks an abusive account; every session, token and device stops
    working. A citizen may log in again to read their complaints and the answers, but may not
    lodge or write (refuse_if_blocked); blocked staff cannot log in at all."""
    _may_block(by, user)
    if user.pk == by.pk:
        raise ApplicationError(_("You cannot block your own account."))
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ApplicationError(_("Give the reason for the block (at least 10 characters)."))
    if user.is_citizen:
        user.blocked_at = timezone.now()
        User.objects.filter(pk=user.pk).update(blocked_at=user.blocked_at)
        devices_forget(user=user)
    else:
        _close(user, release_document=False)
    AccountEvent.objects.create(
        user=user, action=AccountEvent.Action.BLOCKED, actor=by, reason=reason[:500]
    )


def refuse_if_blocked(user: User) -> None:
    """A citizen blocked for abuse reads, but writes nothing: no complaint, answer or feedback.
    The account is read afresh with every request, so a block takes effect at once."""
    if user.blocked_at is not None:
        raise NotAllowed(
            _(
                "Your account is blocked for misuse: you can read your complaints and their "
                "answers, but not lodge or write. Call the helpline if you think this is wrong."
            ),
            code="blocked",
        )


def _may_block(by: User, user: User) -> None:
    """Administrators block citizens, and staff of their own tier (national ones: anyone)."""
    if not has_perm(by, Perm.BLOCK_ACCOUNT):
        raise NotAllowed(_("Only administrators may block accounts."))
    if not user.is_citizen and not (
        by.scope_tier_id is None or by.scope_tier_id == user.scope_tier_id
    ):
        raise NotAllowed(_("This account belongs to another tier's staff."))


def _close(user: User, *, release_document: bool = True) -> None:
    """Inactive: sessions stop authenticating (ModelBackend refuses an inactive user). A
    closed account also gives up its number and document; a blocked one keeps both, so that
    the same person cannot simply register again."""
    changes: dict[str, Any] = {"is_active": False}
    if release_document:
        changes.update(phone=None, username=f"closed-{user.pk}")
        CitizenProfile.objects.filter(user=user).update(document_index=None)
    User.objects.filter(pk=user.pk).update(**changes)
    for name, value in changes.items():
        setattr(user, name, value)
    devices_forget(user=user)


@transaction.atomic
def account_unblock(*, user: User, by: User, reason: str) -> None:
    _may_block(by, user)
    User.objects.filter(pk=user.pk).update(is_active=True, blocked_at=None)
    user.is_active, user.blocked_at = True, None
    AccountEvent.objects.create(
        user=user,
        action=AccountEvent.Action.UNBLOCKED,
        actor=by,
        reason=" ".join(reason.split())[:500],
    )


@transaction.atomic
def account_change_phone(*, user: User, new_phone: str) -> None:
    """Move the account to a new number, both numbers having been proved with codes. Every
    remembered device must prove itself again."""
    old = user.phone or ""
    if User.objects.filter(phone=new_phone).exclude(pk=user.pk).exists():
        raise ApplicationError(_("Another account uses this number."), code="phone_taken")
    user.phone = new_phone
    user.username = new_phone
    user.save(update_fields=["phone", "username"])
    devices_forget(user=user)
    AccountEvent.objects.create(
        user=user,
        action=AccountEvent.Action.PHONE_CHANGED,
        actor=user,
        reason=f"{old[:4]}…{old[-3:]} → {new_phone[:4]}…{new_phone[-3:]}",
    )


@transaction.atomic
def account_release_unproved_phone(*, user: User) -> None:
    """Someone proved by SMS a number that an account had only claimed (it registered with an
    e-mail address because SMS could not reach it). The number goes to the one who received
    the code; the other account is closed, keeps its complaints, and its owner can register
    again with a number of their own."""
    if user.phone_verified:
        raise ApplicationError(_("This number was proved by its account."), code="proved")
    old = user.phone or ""
    if user.username.startswith(LETTER_ACCOUNT_PREFIX):
        # A letter's sender: the account stays, its letters are still answered by post.
        User.objects.filter(pk=user.pk).update(phone=None)
        AccountEvent.objects.create(
            user=user,
            action=AccountEvent.Action.PHONE_RELEASED,
            reason=f"{old[:4]}…{old[-3:]} proved by SMS by someone registering",
        )
        return
    User.objects.filter(pk=user.pk).update(
        phone=None, username=f"unproved-{user.pk}", is_active=False
    )
    CitizenProfile.objects.filter(user=user).update(document_index=None)
    devices_forget(user=user)
    AccountEvent.objects.create(
        user=user,
        action=AccountEvent.Action.PHONE_RELEASED,
        reason=f"{old[:4]}…{old[-3:]} proved by SMS by someone else",
    )
