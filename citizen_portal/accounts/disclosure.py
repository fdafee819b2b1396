"""How much of a citizen staff see, by what they do on the complaint.

Two levels (see docs/security.md, "Who sees what"):

- `Disclosure.OFFICER` — the officers who work on the complaint (the post's holder and the posts
  above it): the name, the mobile number masked, and where the citizen lives (home district, or
  country of residence for overseas citizens). Enough to address the citizen and to know which
  office can reach them, not to call them: officers reach citizens through the portal
  (information requests, remarks), so that what was said is on the timeline.
- `Disclosure.CELL` — the department's focal person and the tier's complaint cell, who check
  identities (one person behind several accounts, abuse, appeals) and talk to the helpline: also
  the kind of identity document with its number masked, and the e-mail address masked.

Nobody sees a full number here. A full document number is shown only through
`accounts.services.reveal.document_reveal` (agents and administrators, with a recorded reason);
the full mobile number only to the citizen and in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.identity import DocumentType
from citizen_portal.accounts.models import CitizenProfile, User, mask_phone

PAKISTAN = "PK"


class Disclosure(StrEnum):
    OFFICER = "officer"
    CELL = "cell"


def mask_email(email: str) -> str:
    """ayesha.khan@example.pk → a••••••••••@example.pk: the domain shows which provider, the
    first letter lets the citizen recognise it, the rest is hidden."""
    local, at, domain = email.partition("@")
    if not at or not local:
        return "•" * len(email)
    return local[0] + "•" * (len(local) - 1) + "@" + domain


@dataclass(frozen=True)
class CitizenCard:
    """What the complaint page shows of its citizen. Empty strings are not shown."""

    name: str
    phone: str  # masked
    lives_in: str  # home district, or the country of residence when abroad
    overseas: bool
    document_type: StrOrPromise = ""  # CELL only
    document: str = ""  # CELL only, masked
    email: str = ""  # CELL only, masked
    disclosure: Disclosure = Disclosure.OFFICER


def citizen_card(
    citizen: User, profile: CitizenProfile | None, *, disclosure: Disclosure
) -> CitizenCard:
    """The citizen as `disclosure` allows. `profile` comes with its home district and country
    of residence loaded (accounts registered through intake channels may have none)."""
    overseas = profile is not None and profile.country_of_residence_id != PAKISTAN
    lives_in = ""
    if profile is not None:
        place = profile.country_of_residence if overseas else profile.home_district
        lives_in = place.name if place is not None else ""
    card = CitizenCard(
        name=citizen.full_name or str(_("(no name given)")),
        phone=mask_phone(citizen.phone or ""),
        lives_in=lives_in,
        overseas=overseas,
        disclosure=disclosure,
    )
    if disclosure != Disclosure.CELL:
        return card
    document_type: StrOrPromise = ""
    if profile is not None and profile.document_type in DocumentType.values:
        document_type = DocumentType(profile.document_type).label
    return replace(
        card,
        document_type=document_type,
        document=profile.document_masked if profile is not None else "",
        email=mask_email(citizen.email) if citizen.email else "",
    )
