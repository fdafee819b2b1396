"""Changes to the geography: units are retired and replaced, never deleted."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit


@transaction.atomic
def unit_retire(*, unit: AdminUnit, successors: list[AdminUnit], on: date) -> AdminUnit:
    """Retire `unit` (a district split, say) in favour of `successors`. Complaints filed under
    it keep pointing at it; new complaints must choose a successor."""
    if any(s.pk == unit.pk or not s.is_active for s in successors):
        raise ApplicationError(_("A unit's successors must be other units still in use."))
    unit.is_active = False
    unit.retired_on = on
    unit.save(update_fields=["is_active", "retired_on"])
    unit.successors.set(successors)
    return unit
