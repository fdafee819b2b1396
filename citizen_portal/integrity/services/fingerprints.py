"""Recording hashed fingerprints: where staff were seen, and where citizens' feedback came
from. Both are small writes beside the action they describe; neither touches the complaint's
hash-chained timeline."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Feedback
from citizen_portal.core import clock
from citizen_portal.integrity.fingerprint import ClientFingerprint
from citizen_portal.integrity.models import FeedbackFingerprint, StaffFingerprint


def staff_seen(*, user: User, fingerprint: ClientFingerprint) -> None:
    """One row per (user, address, browser): a conditional UPDATE for one already seen (the
    common case, one query), else an INSERT; two requests racing to insert the same row both
    end with it counted once more."""
    now = clock.now()
    seen = StaffFingerprint.objects.filter(
        user=user, ip_hash=fingerprint.ip_hash, agent_hash=fingerprint.agent_hash
    )
    if seen.update(last_seen=now, uses=F("uses") + 1):
        return
    try:
        with transaction.atomic():
            StaffFingerprint.objects.create(
                user=user,
                ip_hash=fingerprint.ip_hash,
                agent_hash=fingerprint.agent_hash,
                first_seen=now,
                last_seen=now,
            )
    except IntegrityError:
        seen.update(last_seen=now, uses=F("uses") + 1)


def feedback_seen(*, feedback: Feedback, fingerprint: ClientFingerprint) -> FeedbackFingerprint:
    return FeedbackFingerprint.objects.create(
        feedback=feedback,
        complaint_id=feedback.complaint_id,
        ip_hash=fingerprint.ip_hash,
        agent_hash=fingerprint.agent_hash,
        created_at=feedback.created_at or clock.now(),
    )
