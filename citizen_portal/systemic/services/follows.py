"""A citizen who finds, while lodging, that another citizen has already complained of the same
thing may follow that complaint instead of lodging a duplicate."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Kind
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError
from citizen_portal.systemic.models import Follow
from citizen_portal.systemic.services.issues import GROUPABLE
from citizen_portal.systemic.services.similar import district_of


class NotOffered(ApplicationError):  # noqa: N818 (the view answers 404)
    """The complaint is not one this citizen could have been offered as similar."""

    def __init__(self) -> None:
        super().__init__(_("No such complaint."), code="not_found")


def followable(
    *, citizen: User, complaint: Complaint, category_id: int | None, district_id: int | None
) -> bool:
    """What the lodge review offered as similar: an open complaint of another citizen, of the
    draft's category, in the draft's district."""
    return (
        citizen.is_citizen
        and complaint.citizen_id != citizen.pk
        and complaint.kind == Kind.COMPLAINT
        and complaint.status in GROUPABLE
        and category_id is not None
        and complaint.category_id == category_id
        and district_id is not None
        and district_of(complaint.area).pk == district_id
    )


def complaint_follow(
    *, citizen: User, complaint: Complaint, category_id: int | None, district_id: int | None
) -> Follow:
    """Follow `complaint`; following it twice is the same as once."""
    if not followable(
        citizen=citizen, complaint=complaint, category_id=category_id, district_id=district_id
    ):
        raise NotOffered()
    existing = Follow.objects.filter(citizen=citizen, complaint=complaint).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Follow.objects.create(
                citizen=citizen, complaint=complaint, created_at=clock.now()
            )
    except IntegrityError:  # a double click: the other request created it
        return Follow.objects.get(citizen=citizen, complaint=complaint)


def complaint_unfollow(*, citizen: User, complaint: Complaint) -> bool:
    """Stop following; whether the citizen was following it."""
    deleted, _rows = Follow.objects.filter(citizen=citizen, complaint=complaint).delete()
    return bool(deleted)
