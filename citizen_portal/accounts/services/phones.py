"""Mobile numbers from anywhere in the world, stored in E.164."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _

from citizen_portal.core.errors import ApplicationError


def phone_normalise(raw: str) -> str:
    """Any form people type (0300-1234567, +92 300 1234567, 0092…, +44 7911 123456) → E.164.

    Numbers without a country code are read as Pakistani. Only mobile numbers can receive
    the code, so landlines are refused.
    """
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "PK")
    except phonenumbers.NumberParseException:
        raise ApplicationError(
            _("Enter a valid mobile number, e.g. 0300 1234567."), code="phone"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ApplicationError(_("Enter a valid mobile number, e.g. 0300 1234567."), code="phone")
    kind = phonenumbers.number_type(number)
    if kind not in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }:
        raise ApplicationError(
            _("This is not a mobile number. The code is sent by SMS."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
