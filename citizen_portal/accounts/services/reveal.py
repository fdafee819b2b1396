"""Showing a full identity document number to staff: only roles that need it, only with a
reason, and every time recorded."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts import crypto
from citizen_portal.accounts.models import CitizenProfile, DocumentReveal, User
from citizen_portal.accounts.permissions import Perm, has_perm
from citizen_portal.audit.models import AuditAction
from citizen_portal.audit.services.records import actor_label_of, record
from citizen_portal.core.errors import ApplicationError, NotAllowed


def document_reveal(*, profile: CitizenProfile, viewer: User, reason: str) -> str:
    if not has_perm(viewer, Perm.REVEAL_DOCUMENT):
        raise NotAllowed(_("Your role may not see full identity document numbers."))
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ApplicationError(_("Say why you need the full number (at least 10 characters)."))
    DocumentReveal.objects.create(profile=profile, viewer=viewer, reason=reason[:300])
    record(
        AuditAction.DOCUMENT_REVEALED,
        actor=viewer,
        target=profile,
        target_label=actor_label_of(profile.user),
        details={"document_type": profile.document_type, "reason": reason[:300]},
    )
    return crypto.decrypt(profile.document_encrypted)
