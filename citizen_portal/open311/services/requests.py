"""A partner's service request becomes a complaint through the portal's one lodging service:
numbered, routed and on its timeline like any other."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from citizen_portal.api.models import PartnerKey
from citizen_portal.complaints.models import Channel, Complaint, Kind
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.core.errors import NotAllowed
from citizen_portal.directory.models import AdminUnit, Category

SUBJECT_FROM_DESCRIPTION = 80


@dataclass(frozen=True)
class RequestInput:
    """What a partner posted, checked. The reporter's name, phone and e-mail are not here:
    the portal does not take them from partners (see docs/api/open311.md)."""

    category: Category
    area: AdminUnit
    description: str
    subject: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address: str = ""
    media_url: str = ""


def subject_from(description: str) -> str:
    """A subject from the first words of the description, for partners that send none."""
    words = re.sub(r"\s+", " ", description).strip()
    if len(words) <= SUBJECT_FROM_DESCRIPTION:
        return words
    return words[: SUBJECT_FROM_DESCRIPTION - 1].rsplit(" ", 1)[0] + "…"


def open311_request_create(
    *, partner: PartnerKey, data: RequestInput, language: str, idempotency_key: str | None
) -> Complaint:
    """Lodge the request as a complaint under the partner's intake account, by the API
    channel (`Channel.APP`: a program, not the portal's web form, sent it). A location is
    stored only when the partner sent one: sending it is the reporter sharing it.

    The intake account lodges for all of the partner's reporters, so the per-citizen lodging
    limits do not apply to it (`for_partner`); its posts are limited per partner key instead
    (PartnerPostThrottle, OPEN311_RATE_POSTS)."""
    account = partner.account
    if not account.is_active or not account.is_citizen:
        raise NotAllowed(_("This partner's intake account cannot lodge complaints."))
    description = data.description.strip()
    # The complaint has no field for an address or a photo's address; the office needs both,
    # so they follow the reporter's words (where a citizen on the web would write them too).
    if data.address.strip():
        description += "\n\n" + _("Address: %(address)s") % {"address": data.address.strip()}
    if data.media_url.strip():
        description += "\n\n" + _("Photo or document: %(url)s") % {"url": data.media_url.strip()}
    located = data.latitude is not None and data.longitude is not None
    return complaint_lodge(
        citizen=account,
        data=ComplaintInput(
            category=data.category,
            area=data.area,
            subject=data.subject.strip() or subject_from(data.description),
            description=description,
            language=language,
            channel=Channel.APP,
            kind=Kind.COMPLAINT,
            latitude=data.latitude if located else None,
            longitude=data.longitude if located else None,
            share_location=located,
        ),
        idempotency_key=idempotency_key,
        for_partner=True,
    )
