"""Bulk actions for focal persons: direct many triage complaints to one post, mark many down to
one post, or link many as duplicates of one complaint.

Never a bulk UPDATE: each complaint goes through the same action service as on its own page, in
its own transaction, and gets its own event. A refusal (the status changed meanwhile, the post
is not below, the complaint names that post…) stops nothing else: the result says, per
complaint, what was done and what was refused and why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DatabaseError, models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.services import officer_actions as act
from citizen_portal.complaints.services.permissions import can_view
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import Position

logger = logging.getLogger(__name__)

# At most this many complaints per batch: each is a transaction of its own, and the officer
# reads every line of the result.
MAX_BATCH = 100


class BulkAction(models.TextChoices):
    ROUTE = "route", _("Direct them to a post")
    MARK_DOWN = "mark_down", _("Mark them down to a post")
    LINK_DUPLICATE = "link_duplicate", _("Link them as duplicates of one complaint")


@dataclass(frozen=True)
class BulkInput:
    action: str
    references: list[str]
    to: Position | None = None
    instructions: str = ""
    earlier_reference: str = ""


@dataclass(frozen=True)
class BulkOutcome:
    reference: str
    done: bool
    message: StrOrPromise


def references_cleaned(references: list[str]) -> list[str]:
    """Upper-cased, stripped, blanks and repeats left out, in the order given."""
    seen: list[str] = []
    for raw in references:
        reference = (raw or "").strip().upper()
        if reference and reference not in seen:
            seen.append(reference)
    return seen


def _checked(data: BulkInput) -> BulkInput:
    """What is wrong with the whole batch is refused before any complaint is touched."""
    references = references_cleaned(data.references)
    if not references:
        raise ApplicationError(_("Select at least one complaint."), code="references")
    if len(references) > MAX_BATCH:
        raise ApplicationError(
            _("Select at most %(n)d complaints at a time.") % {"n": MAX_BATCH}, code="references"
        )
    if data.action not in BulkAction.values:
        raise ApplicationError(_("Choose what to do with them."), code="action")
    instructions = (data.instructions or "").strip()
    if data.action in (BulkAction.ROUTE, BulkAction.MARK_DOWN) and data.to is None:
        raise ApplicationError(_("Choose the post."), code="to")
    if data.action == BulkAction.MARK_DOWN:
        instructions = act.text(
            instructions, 10, _("Please give instructions (at least 10 characters).")
        )
    earlier = (data.earlier_reference or "").strip().upper()
    if data.action == BulkAction.LINK_DUPLICATE:
        if not earlier:
            raise ApplicationError(
                _("Give the reference of the earlier complaint."), code="earlier_reference"
            )
        if earlier in references:
            references.remove(earlier)  # the one they all follow is not its own duplicate
            if not references:
                raise ApplicationError(
                    _("Select the duplicates, not only the earlier complaint."), code="references"
                )
    return BulkInput(
        action=data.action,
        references=references,
        to=data.to,
        instructions=instructions,
        earlier_reference=earlier,
    )


def _apply(complaint: Complaint, officer: User, data: BulkInput) -> StrOrPromise:
    if data.action == BulkAction.LINK_DUPLICATE:
        act.complaint_link_duplicate(
            complaint=complaint, officer=officer, earlier_reference=data.earlier_reference
        )
        return _("Closed as a duplicate of %(ref)s.") % {"ref": data.earlier_reference}
    assert data.to is not None
    if data.action == BulkAction.ROUTE:
        moved = act.complaint_route(
            complaint=complaint, officer=officer, to=data.to, instructions=data.instructions
        )
    else:
        moved = act.complaint_mark_down(
            complaint=complaint, officer=officer, to=data.to, instructions=data.instructions
        )
    return _("Now with %(position)s.") % {"position": moved.assigned_position}


def complaints_bulk_apply(*, officer: User, data: BulkInput) -> list[BulkOutcome]:
    """Apply one action to each complaint of the batch, one transaction each (the action
    service's own): called outside any transaction, a refusal undoes nothing already done."""
    data = _checked(data)
    found = {
        c.reference: c
        for c in Complaint.objects.filter(reference__in=data.references).select_related(
            "department__tier", "assigned_position"
        )
    }
    outcomes: list[BulkOutcome] = []
    for reference in data.references:
        complaint = found.get(reference)
        # Out of the officer's sight is the same as not there: it tells nothing about it.
        if complaint is None or not can_view(officer, complaint):
            missing = _("There is no complaint with this reference that you may act on.")
            outcomes.append(BulkOutcome(reference, False, missing))
            continue
        try:
            message = _apply(complaint, officer, data)
        except ApplicationError as exc:
            outcomes.append(BulkOutcome(reference, False, exc.message))
        except DatabaseError:
            # A lock timeout or a serialisation failure: this one was rolled back, the others
            # stand; the officer can simply try it again.
            logger.exception("bulk %s failed on %s", data.action, reference)
            outcomes.append(
                BulkOutcome(reference, False, _("It could not be saved just now; try it again."))
            )
        else:
            outcomes.append(BulkOutcome(reference, True, message))
    return outcomes
