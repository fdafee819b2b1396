"""What a focal person does with an alert: acknowledge it, with a note of what is being done."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError
from citizen_portal.hotspots.models import HotspotAlert

NOTE_MAX = 2000


def alert_acknowledge(*, alert: HotspotAlert, user: User, note: str) -> HotspotAlert:
    """Mark a standing alert acknowledged by `user` (the view has checked they keep its
    department). A second acknowledgement replaces the note; a closed alert is refused."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError(_("The note is too long: at most 2,000 characters."))
    with transaction.atomic():
        locked = HotspotAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.status == HotspotAlert.Status.CLOSED:
            raise ApplicationError(
                _("This alert has closed: the level is back to normal."), code="closed"
            )
        locked.status = HotspotAlert.Status.ACKNOWLEDGED
        locked.acknowledged_by = user
        locked.acknowledged_at = clock.now()
        locked.note = note
        locked.save(
            update_fields=["status", "acknowledged_by", "acknowledged_at", "note", "updated_at"]
        )
    return locked
