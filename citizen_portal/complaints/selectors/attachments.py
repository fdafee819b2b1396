"""Reads for attachments: only those the user may see.

Who may see a file: the complaint's citizen, for files on the public events of the timeline and
files they uploaded themselves; staff with any capacity on the complaint (`capacities`). Anyone
else is answered 404, as if the file did not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Attachment, Complaint
from citizen_portal.complaints.services.permissions import capacities
from citizen_portal.complaints.transitions import Actor


def _as_staff(user: User, complaint: Complaint) -> bool:
    # A staff account that lodged the complaint itself is, for that complaint, a citizen.
    return not user.is_citizen and bool(capacities(user, complaint) - {Actor.CITIZEN})


def attachments_shown(user: User, complaint: Complaint) -> QuerySet[Attachment]:
    """The attachments of `complaint` to list for `user`, on a page that has already checked
    that `user` may open the complaint."""
    attachments = complaint.attachments.order_by("created_at", "pk")
    if _as_staff(user, complaint):
        return attachments
    if complaint.citizen_id != user.pk:
        return attachments.none()
    return attachments.filter(Q(uploaded_by=user) | Q(event__is_public=True))


def attachment_for(user: User, pk: int) -> Attachment:
    """The attachment, if `user` may see it; otherwise Http404."""
    attachment = (
        Attachment.objects.select_related(
            "event", "complaint__department__tier", "complaint__assigned_position"
        )
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404
    complaint = attachment.complaint
    if _as_staff(user, complaint):
        return attachment
    own = complaint.citizen_id == user.pk
    public = attachment.event is not None and attachment.event.is_public
    if own and (attachment.uploaded_by_id == user.pk or public):
        return attachment
    raise Http404
