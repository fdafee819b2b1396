"""Registering a caller on the spot. The account is created only once the caller has read
back the code sent by SMS to the number they give: the same proof of the number the web's
registration asks for (accounts/services/otp.py, with its limits per number). The account has
no password; the citizen sets one later with "Forgot your password?" on the login page.

Before a code is sent, a number or document that already belongs to an account is refused
with that account, so that the agent serves the caller under it instead."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from citizen_portal.accounts.identity import NADRA_TYPES
from citizen_portal.accounts.models import OneTimeCode, User, mask_phone
from citizen_portal.accounts.services.citizens import (
    RegistrationInput,
    citizen_by_phone,
    citizen_register,
    document_find,
)
from citizen_portal.accounts.services.otp import otp_consume, otp_send, otp_verify
from citizen_portal.core.errors import ApplicationError
from citizen_portal.helpline.models import HelplineLookup, LookupKind
from citizen_portal.helpline.services.lookup import lookup_limit_check, lookups_this_hour

# The caller reads this code to the agent they called, so the SMS cannot say "never share it
# with portal staff" as the web's does; it says whom to give it to, and whom never to.
CODE_SMS = _(
    "Citizen Portal code: %(code)s, to register with the helpline agent you are speaking to. "
    "Read it only to that agent, on the call you made. Never give it to anyone who calls you. "
    "Valid for 10 minutes."
)


class AlreadyRegistered(ApplicationError):  # noqa: N818 (reads as the situation it names)
    """The number or the document is already an account's: serve the caller under it."""

    def __init__(self, citizen: User, *, by_phone: bool) -> None:
        message = (
            _("This mobile number already has an account: here it is.")
            if by_phone
            else _("This identity document already has an account: here it is.")
        )
        super().__init__(message, code="exists")
        self.citizen = citizen


@dataclass(frozen=True)
class PendingCode:
    """What the agent's session keeps between sending the code and typing it."""

    otp_id: int
    nonce: str


def refuse_if_registered(*, agent: User, data: RegistrationInput) -> None:
    """Raise AlreadyRegistered with the account that already has the number or document.
    Finding one is a search like the search box's: within the agent's hourly limit, and
    recorded; so the form cannot be used to look citizens up unseen."""
    lookup_limit_check(agent)
    by_phone = citizen_by_phone(data.phone)
    if by_phone is not None:
        HelplineLookup.objects.create(
            agent=agent, kind=LookupKind.PHONE, masked=mask_phone(data.phone), citizen=by_phone
        )
        raise AlreadyRegistered(by_phone, by_phone=True)
    profile = document_find(data.document)
    if profile is not None:
        kind = LookupKind.DOCUMENT if data.document.type in NADRA_TYPES else LookupKind.PASSPORT
        HelplineLookup.objects.create(
            agent=agent, kind=kind, masked=data.document.masked, citizen=profile.user
        )
        raise AlreadyRegistered(profile.user, by_phone=False)


def caller_code_send(*, agent: User, data: RegistrationInput) -> PendingCode:
    """Check that neither the number nor the document has an account, then send the caller
    a registration code by SMS, in the language they chose. At most HELPLINE_CODES_PER_HOUR
    codes per agent; the per-number limits of one-time codes apply too."""
    refuse_if_registered(agent=agent, data=data)
    if lookups_this_hour(agent, LookupKind.CODE) >= settings.HELPLINE_CODES_PER_HOUR:
        limit = settings.HELPLINE_CODES_PER_HOUR
        raise ApplicationError(
            ngettext(
                "You have sent %(n)d code in the last hour, the most allowed. Please try later.",
                "You have sent %(n)d codes in the last hour, the most allowed. Please try later.",
                limit,
            )
            % {"n": limit},
            code="rate_limited",
        )
    # No address: the whole call centre shares one, and the per-agent limit above stands in
    # for the per-address one.
    record, nonce = otp_send(
        phone=data.phone,
        purpose=OneTimeCode.Purpose.REGISTER,
        language=data.language,
        ip=None,
        text=CODE_SMS,
    )
    HelplineLookup.objects.create(agent=agent, kind=LookupKind.CODE, masked=mask_phone(data.phone))
    return PendingCode(otp_id=record.pk, nonce=nonce)


def caller_register(
    *, agent: User, pending: PendingCode, code: str, data: RegistrationInput
) -> User:
    """Create the caller's account once the code they read back is right. The code is spent
    only if the account is created, so a refusal (a document taken meanwhile) can be put
    right without a new code."""
    otp_verify(otp_id=pending.otp_id, nonce=pending.nonce, code=code, consume=False)
    record = OneTimeCode.objects.get(pk=pending.otp_id)
    if record.phone != data.phone or record.purpose != OneTimeCode.Purpose.REGISTER:
        raise ApplicationError(_("This code was sent for another number. Send a new one."))
    refuse_if_registered(agent=agent, data=data)
    # citizen_register wants a password that passes the rules; a random one that nobody
    # knows is replaced at once by an unusable one.
    data = replace(data, password=secrets.token_urlsafe(32))
    with transaction.atomic():
        citizen = citizen_register(data=data)
        citizen.set_unusable_password()
        citizen.save(update_fields=["password"])
        otp_consume(otp_ids=[pending.otp_id])
    return citizen
