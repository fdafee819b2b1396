"""Finding the caller: by the mobile number they call about or the number of their identity
document, exact matches only (an agent cannot browse citizens). Every search is recorded
with the kind of identifier and its masked form, and counted against the agent's hourly
limit (HELPLINE_LOOKUPS_PER_HOUR), so that a helpline login cannot be used to mine the
register of citizens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from citizen_portal.accounts.identity import Document, DocumentType, document_parse
from citizen_portal.accounts.models import Role, User, mask_phone
from citizen_portal.accounts.services.citizens import citizen_by_phone, document_find
from citizen_portal.accounts.services.phones import phone_normalise
from citizen_portal.core.digits import ascii_digits
from citizen_portal.core.errors import ApplicationError
from citizen_portal.helpline.models import HelplineLookup, LookupKind

# A CNIC, NICOP or POC number: 13 digits, as printed (35202-1234567-1) or run together.
_NADRA_NUMBER = re.compile(r"^\d{5}-?\d{7}-?\d$")


@dataclass(frozen=True)
class Identifier:
    """What the agent typed, read as one kind of identifier."""

    kind: LookupKind
    masked: str
    phone: str = ""
    document: Document | None = None


def identifier_parse(text: str, *, nationality: str = "") -> Identifier:
    """A passport when the issuing country is given; otherwise a 13-digit number is a NADRA
    document and anything else must be a mobile number."""
    cleaned = ascii_digits(" ".join((text or "").split()))
    if not cleaned:
        raise ApplicationError(
            _("Type the caller's mobile number or identity document number."), code="empty"
        )
    if nationality:
        document = document_parse(
            doc_type=DocumentType.PASSPORT, number=cleaned, nationality=nationality
        )
        return Identifier(LookupKind.PASSPORT, document.masked, document=document)
    compact = cleaned.replace(" ", "")
    if _NADRA_NUMBER.match(compact):
        document = document_parse(doc_type=DocumentType.CNIC, number=compact)
        return Identifier(LookupKind.DOCUMENT, document.masked, document=document)
    try:
        phone = phone_normalise(cleaned)
    except ApplicationError:
        raise ApplicationError(
            _(
                "This is neither a mobile number (0300 1234567) nor a 13-digit CNIC, NICOP or "
                "POC number. For a passport, also choose the country that issued it."
            ),
            code="identifier",
        ) from None
    return Identifier(LookupKind.PHONE, mask_phone(phone), phone=phone)


def lookups_this_hour(agent: User, *kinds: LookupKind) -> int:
    since = timezone.now() - timedelta(hours=1)
    return HelplineLookup.objects.filter(agent=agent, kind__in=kinds, at__gte=since).count()


def citizen_with(identifier: Identifier) -> User | None:
    """The active citizen account the identifier belongs to, if any."""
    if identifier.document is not None:
        profile = document_find(identifier.document)
        user = profile.user if profile is not None else None
    else:
        user = citizen_by_phone(identifier.phone)
    if user is None or not user.is_active or user.role != Role.CITIZEN:
        return None
    return user


SEARCHES = (LookupKind.PHONE, LookupKind.DOCUMENT, LookupKind.PASSPORT)


def lookup_limit_check(agent: User) -> None:
    """Refuse a search past the agent's hourly limit."""
    if lookups_this_hour(agent, *SEARCHES) >= settings.HELPLINE_LOOKUPS_PER_HOUR:
        limit = settings.HELPLINE_LOOKUPS_PER_HOUR
        raise ApplicationError(
            ngettext(
                "You have made %(n)d search in the last hour, the most allowed. Please ask "
                "your supervisor if callers are waiting.",
                "You have made %(n)d searches in the last hour, the most allowed. Please ask "
                "your supervisor if callers are waiting.",
                limit,
            )
            % {"n": limit},
            code="rate_limited",
        )


def caller_find(*, agent: User, text: str, nationality: str = "") -> User | None:
    """The citizen whose mobile or document number the agent typed, or None. Recorded, and
    refused past the agent's hourly limit (a refused search is not recorded)."""
    identifier = identifier_parse(text, nationality=nationality)
    lookup_limit_check(agent)
    citizen = citizen_with(identifier)
    HelplineLookup.objects.create(
        agent=agent, kind=identifier.kind, masked=identifier.masked, citizen=citizen
    )
    return citizen
