"""A citizen's e-mail address: the account takes a new one only once a code sent to it has come
back, and may give it up. The portal e-mails only a proved address (`email_verified_at`, see
notifications/services/citizens.py), so an address is "used by another account" only once that
account has proved it; what someone merely typed at registration claims nothing.

The caller asks for the password first (services/reauth.py). The address the account gives up
is told of the change, in the account's language, so that a change its owner did not make is
noticed. As with mobile numbers, whether another account uses an address is said only to
whoever proves they receive its mail (at the code), never to someone who only typed it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.disclosure import mask_email
from citizen_portal.accounts.models import AccountEvent, OneTimeCode, User, mask_phone
from citizen_portal.accounts.services.otp import otp_consume, otp_send_email, otp_verify
from citizen_portal.core.errors import ApplicationError


def email_normalise(raw: str) -> str:
    # As at registration: one address, whatever the capitals it was typed with.
    return raw.strip().lower()


def _limits_key(user: User) -> str:
    """What codes to this account are counted under (services/otp.py counts per number): its
    number, so that codes by SMS and by e-mail share the number's hourly budget and its daily
    count of wrong tries."""
    return user.phone or user.username[:16]


def email_used_elsewhere(email: str, *, user: User) -> bool:
    """Whether another active account has proved `email` (normalised: every way an address
    reaches an account lowercases it, so an exact match can use the index on proved
    addresses). Closed and blocked accounts hold no address: the portal e-mails them no more."""
    return (
        User.objects.filter(
            email=email_normalise(email), email_verified_at__isnull=False, is_active=True
        )
        .exclude(pk=user.pk)
        .exists()
    )


def email_change_request(
    *, user: User, email: str, language: str, ip: str | None
) -> tuple[OneTimeCode, str]:
    """Send a code to `email` (in `language`, the page's); returns the code's record and the
    nonce the session keeps. The account does not change until the code comes back."""
    email = email_normalise(email)
    if user.email_verified_at is not None and user.email.lower() == email:
        raise ApplicationError(_("This is already your e-mail address."), code="unchanged")
    return otp_send_email(
        phone=_limits_key(user),
        email=email,
        language=language,
        ip=ip,
        purpose=OneTimeCode.Purpose.EMAIL,
    )


def email_change_confirm(*, user: User, otp_id: int, nonce: str, code: str) -> str:
    """The code sent by email_change_request came back: the account takes its address, proved
    now. Returns the address."""
    # Outside any transaction: otp_verify commits a wrong try on its own, and an enclosing
    # transaction would roll the count back with the error.
    record = otp_verify(otp_id=otp_id, nonce=nonce, code=code, consume=False)
    if (
        record.purpose != OneTimeCode.Purpose.EMAIL
        or not record.email
        or record.phone != _limits_key(user)
    ):
        raise ApplicationError(
            _("This code has expired. Please ask for a new one."), code="expired"
        )
    with transaction.atomic():
        # The account's row lock orders two confirmations racing on one account. Two accounts
        # proving one address at the same moment is possible only to whoever reads its mail,
        # and costs nothing but a shared address, so no unique index backs the check below
        # (registration and old accounts may hold the same address, proved or not).
        locked = User.objects.select_for_update().get(pk=user.pk)
        if email_used_elsewhere(record.email, user=locked):
            raise ApplicationError(
                _(
                    "Another account already uses this e-mail address. Use another address, "
                    "or remove this one from the other account first."
                ),
                code="email_taken",
            )
        otp_consume(otp_ids=[record.pk])
        old = locked.email if locked.email_verified_at is not None else ""
        locked.email = record.email
        locked.email_verified_at = timezone.now()
        locked.save(update_fields=["email", "email_verified_at"])
        AccountEvent.objects.create(
            user=locked,
            action=AccountEvent.Action.EMAIL_CHANGED,
            actor=locked,
            reason=f"{mask_email(old) if old else '—'} → {mask_email(record.email)}",
        )
        if old and old != record.email:
            _tell_the_old_address(user=locked, address=old, new=record.email)
        release_waiting_mail_on_commit(locked)
    user.email, user.email_verified_at = locked.email, locked.email_verified_at
    return record.email


@transaction.atomic
def account_remove_email(*, user: User) -> None:
    """The citizen gives up their e-mail address (the caller asked for the password): the
    portal sends them no e-mail after this. A proved address is told that it was removed."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.email:
        raise ApplicationError(_("Your account has no e-mail address."), code="no_email")
    old, proved = locked.email, locked.email_verified_at is not None
    locked.email = ""
    locked.email_verified_at = None
    locked.save(update_fields=["email", "email_verified_at"])
    AccountEvent.objects.create(
        user=locked,
        action=AccountEvent.Action.EMAIL_REMOVED,
        actor=locked,
        reason=mask_email(old),
    )
    if proved:
        _tell_the_old_address(user=locked, address=old, new="")
    user.email, user.email_verified_at = "", None


def _tell_the_old_address(*, user: User, address: str, new: str) -> None:
    """The notice to the address the account gave up, in the account's language, sent once
    the change is committed. It names the new address masked: enough for the owner to know it,
    not to hand it to whoever reads the old mailbox."""
    from citizen_portal.notifications.tasks import deliver_email

    reset = settings.PORTAL_BASE_URL.rstrip("/") + reverse("accounts:reset")
    with translation.override(user.preferred_language):
        values = {
            "phone": mask_phone(user.phone or ""),
            "when": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "email": mask_email(new),
            "reset": reset,
        }
        if new:
            subject = gettext("The e-mail address of your Citizen Portal account was changed")
            what = gettext(
                "On %(when)s the e-mail address of your Citizen Portal account (mobile number "
                "%(phone)s) was changed to %(email)s. The portal will send no more e-mails to "
                "this address."
            )
        else:
            subject = gettext("Your e-mail address was removed from your Citizen Portal account")
            what = gettext(
                "On %(when)s this e-mail address was removed from your Citizen Portal account "
                "(mobile number %(phone)s). The portal will send no more e-mails to it."
            )
        advice = gettext(
            "If you did not do this, someone else may know your password: set a new one at "
            "%(reset)s straight away, with a code sent to your mobile number."
        )
        body = (what + "\n\n" + advice) % values
    transaction.on_commit(lambda: deliver_email(address, subject, body))


def release_waiting_mail_on_commit(user: User) -> None:
    """Mail this address sent to the portal before it was proved waits in the intake; once
    the address is the account's, it is lodged (intake/services/email_process.py)."""
    from citizen_portal.intake.tasks import release_waiting_mail

    user_id = user.pk
    transaction.on_commit(lambda: release_waiting_mail(user_id))
