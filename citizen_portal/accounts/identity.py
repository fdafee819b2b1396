"""Identity documents: the CNIC of a Pakistani at home, the NICOP or POC of an overseas
Pakistani, the passport (with its nationality) of a foreigner. Format checks, the canonical
form, the lookup key and the masked form shown on screen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.core.errors import ApplicationError


class DocumentType(models.TextChoices):
    CNIC = "cnic", _("CNIC (Computerised National Identity Card)")
    NICOP = "nicop", _("NICOP (National Identity Card for Overseas Pakistanis)")
    POC = "poc", _("POC (Pakistan Origin Card)")
    PASSPORT = "passport", _("Passport (foreign nationals)")


# CNIC, NICOP and POC share NADRA's 13-digit number space: one number, one account.
NADRA_TYPES = frozenset({DocumentType.CNIC, DocumentType.NICOP, DocumentType.POC})
_NADRA = re.compile(r"^(\d{5})-?(\d{7})-?(\d)$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


@dataclass(frozen=True)
class Document:
    type: str
    number: str  # canonical: 35202-1234567-1, or the passport number in capitals
    nationality: str = ""  # ISO 3166-1 alpha-2, passports only

    @property
    def lookup_value(self) -> str:
        """What the blind index hashes: the same for a CNIC and a NICOP of one number."""
        if self.type in NADRA_TYPES:
            return "nadra:" + self.number.replace("-", "")
        return f"passport:{self.nationality}:{self.number}"

    @property
    def masked(self) -> str:
        return mask_document(self.type, self.number)


def document_parse(*, doc_type: str, number: str, nationality: str = "") -> Document:
    text = re.sub(r"[\s]", "", number).upper()
    if doc_type in NADRA_TYPES:
        match = _NADRA.match(text)
        if not match:
            raise ApplicationError(
                _("Enter the 13-digit number as on the card, e.g. 35202-1234567-1."),
                code="document",
            )
        return Document(doc_type, "-".join(match.groups()))
    if doc_type == DocumentType.PASSPORT:
        if not _PASSPORT.match(text.replace("-", "")):
            raise ApplicationError(
                _("Enter the passport number: 5 to 20 letters and digits."), code="document"
            )
        if not re.fullmatch(r"[A-Z]{2}", nationality or ""):
            raise ApplicationError(_("Choose the country that issued the passport."))
        return Document(doc_type, text.replace("-", ""), nationality)
    raise ApplicationError(_("Choose the kind of identity document."), code="document")


def mask_document(doc_type: str, number: str) -> str:
    """35202-1234567-1 → 35202-•••••••-1; AB1234567 → AB•••••67."""
    if doc_type in NADRA_TYPES and len(number) == 15:
        return f"{number[:5]}-•••••••-{number[-1]}"
    if len(number) <= 4:
        return "•" * len(number)
    return number[:2] + "•" * (len(number) - 4) + number[-2:]
