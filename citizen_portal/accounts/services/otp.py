"""One-time codes sent by SMS (NIST SP 800-63B-4, OWASP ASVS 5.0 §6): 6 digits from a secure
random source, 10 minutes, single use, bound to the session that asked for it, stored only as
an HMAC. At most 5 wrong tries per code, and a per-number failure count over 24 hours that a
new code does not reset; resends wait 30 s, then twice as long each time; limits per number
and per address per hour."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import OneTimeCode, mask_phone
from citizen_portal.core.digits import ascii_digits
from citizen_portal.core.errors import ApplicationError
from citizen_portal.notifications.models import SmsMessage
from citizen_portal.notifications.services.sms_delivery import sms_queue


def _code_hash(code: str, nonce: str) -> str:
    key = hashlib.sha256(("otp:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, f"{nonce}:{code}".encode(), hashlib.sha256).hexdigest()


def resend_wait(sent_this_hour: int) -> int:
    """Seconds to wait after the last code: 30, then 60, 120, 240 … as codes pile up."""
    return int(settings.OTP_RESEND_INTERVAL_SECONDS * 2 ** max(sent_this_hour - 1, 0))


def failures_today(phone: str) -> int:
    """Wrong tries on every code sent to this number in the last 24 hours."""
    since = timezone.now() - timedelta(hours=24)
    total = OneTimeCode.objects.filter(phone=phone, created_at__gte=since).aggregate(
        total=Sum("attempts")
    )["total"]
    return int(total or 0)


def _refuse_if_too_many_failures(phone: str) -> None:
    if failures_today(phone) >= settings.OTP_MAX_FAILURES_PER_DAY:
        raise ApplicationError(
            _(
                "Too many wrong codes were entered for this number. For your safety, no more "
                "codes can be used for it for up to 24 hours."
            ),
            code="locked",
        )


def _check_limits(*, phone: str, ip: str | None, by_email: bool = False) -> None:
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    if ip and (
        OneTimeCode.objects.filter(requested_ip=ip, created_at__gte=hour_ago).count()
        >= settings.OTP_MAX_PER_IP_PER_HOUR
    ):
        # One client asking codes for many numbers is SMS pumping or a hunt for accounts.
        raise ApplicationError(
            _("Too many codes were requested from your connection. Please try again later."),
            code="rate_limited",
        )
    _refuse_if_too_many_failures(phone)
    recent = OneTimeCode.objects.filter(phone=phone, created_at__gte=hour_ago)
    sent = recent.count()
    # The resend wait is per channel: after a failed SMS, the e-mail code need not wait.
    same_channel = recent.exclude(email="") if by_email else recent.filter(email="")
    last = same_channel.order_by("-created_at").first()
    if last:
        wait = resend_wait(sent) - (now - last.created_at).total_seconds()
        if wait > 0:
            raise ApplicationError(
                ngettext(
                    "A code was sent a moment ago. Please wait %(seconds)d second before "
                    "asking again.",
                    "A code was sent a moment ago. Please wait %(seconds)d seconds before "
                    "asking again.",
                    int(wait) + 1,
                )
                % {"seconds": int(wait) + 1},
                code="rate_limited",
            )
    if sent >= settings.OTP_MAX_PER_HOUR:
        # E-mail codes count against the same account as its SMS codes.
        raise ApplicationError(
            _("Too many codes were sent for this account. Please try again in an hour.")
            if by_email
            else _("Too many codes were sent to this number. Please try again in an hour."),
            code="rate_limited",
        )


def _new_code(
    *, phone: str, purpose: str, ip: str | None, email: str = ""
) -> tuple[OneTimeCode, str, str]:
    code = f"{secrets.randbelow(10**6):06d}"
    nonce = secrets.token_urlsafe(32)
    record = OneTimeCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_code_hash(code, nonce),
        nonce_hash=hashlib.sha256(nonce.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS),
        requested_ip=ip,
        email=email,
    )
    return record, nonce, code


def otp_send(
    *,
    phone: str,
    purpose: str,
    language: str,
    ip: str | None = None,
    text: StrOrPromise | None = None,
) -> tuple[OneTimeCode, str]:
    """Create a code for `phone` and queue the SMS. Returns the record and the nonce the
    caller keeps in the session; the code itself is never stored. `text` (lazily translated,
    with %(code)s) replaces the usual message: the helpline's, whose caller reads the code
    back to the agent, must not say "never share it with portal staff"."""
    _check_limits(phone=phone, ip=ip)
    record, nonce, code = _new_code(phone=phone, purpose=purpose, ip=ip)
    with override(language):
        if text is not None:
            body = str(text) % {"code": code}
        else:
            body = gettext(
                "Citizen Portal code: %(code)s. Valid for 10 minutes. Never share it with "
                "anyone, including portal staff."
            ) % {"code": code}
    record.sms = sms_queue(to=phone, body=body, purpose=SmsMessage.Purpose.CODE)
    record.save(update_fields=["sms"])
    return record, nonce


def otp_send_email(
    *,
    phone: str,
    email: str,
    language: str,
    ip: str | None = None,
    purpose: str = OneTimeCode.Purpose.REGISTER,
) -> tuple[OneTimeCode, str]:
    """A code by e-mail: for a citizen whose number SMS cannot reach (registering), or for one
    proving a new address for their account (purpose EMAIL). It proves the address (a contact
    channel), never the person. `phone` is the number the limits are counted against: the
    account's, so that its codes by SMS and by e-mail share one budget."""
    from citizen_portal.notifications.tasks import deliver_email

    _check_limits(phone=phone, ip=ip, by_email=True)
    record, nonce, code = _new_code(phone=phone, purpose=purpose, ip=ip, email=email)
    with override(language):
        subject = gettext("Your Citizen Portal code")
        body = gettext(
            "Your Citizen Portal code is %(code)s. It is valid for 10 minutes. Never share it "
            "with anyone, including portal staff."
        ) % {"code": code}
    transaction.on_commit(lambda: deliver_email(email, subject, body))
    return record, nonce


def otp_verify(*, otp_id: int, nonce: str, code: str, consume: bool = True) -> OneTimeCode:
    """Check `code` against the record the session points at; consume it on success.

    A wrong try is counted in its own committed update, so raising the error cannot undo it.
    """
    code = ascii_digits(code.strip())
    expired = ApplicationError(
        _("This code has expired. Please ask for a new one."), code="expired"
    )
    locked = ApplicationError(_("Too many wrong codes. Please ask for a new one."), code="locked")
    with transaction.atomic():
        record = OneTimeCode.objects.select_for_update().filter(pk=otp_id).first()
        if record is None or not hmac.compare_digest(
            record.nonce_hash, hashlib.sha256(nonce.encode()).hexdigest()
        ):
            raise expired
        if record.used_at is not None or record.expires_at <= timezone.now():
            raise expired
        if record.attempts >= settings.OTP_MAX_ATTEMPTS:
            raise locked
        _refuse_if_too_many_failures(record.phone)
        right = (
            len(code) == 6
            and code.isascii()
            and code.isdigit()
            and hmac.compare_digest(record.code_hash, _code_hash(code, nonce))
        )
        if right:
            if consume:
                record.used_at = timezone.now()
                record.save(update_fields=["used_at"])
            return record
        OneTimeCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
    left = settings.OTP_MAX_ATTEMPTS - record.attempts - 1
    _audit_wrong_code(record, left)
    if left <= 0:
        raise locked
    raise ApplicationError(
        ngettext(
            "That code is not right. You have %(left)d try left.",
            "That code is not right. You have %(left)d tries left.",
            left,
        )
        % {"left": left},
        code="wrong_code",
    )


def _audit_wrong_code(record: OneTimeCode, left: int) -> None:
    """A wrong code in the audit log: the masked number and the purpose, never the code."""
    from citizen_portal.audit.models import AuditAction, AuditOutcome
    from citizen_portal.audit.services.records import record as audit

    audit(
        AuditAction.CODE_FAILED if left > 0 else AuditAction.CODE_LOCKED,
        outcome=AuditOutcome.FAILURE if left > 0 else AuditOutcome.DENIED,
        target=record,
        target_label=mask_phone(record.phone),
        details={"purpose": record.purpose, "tries_left": max(left, 0)},
    )


def code_delivery_failed(otp_id: int) -> bool:
    """Whether the gateway gave up on the SMS carrying this code (shown, never left silent)."""
    return OneTimeCode.objects.filter(pk=otp_id, sms__status=SmsMessage.Status.FAILED).exists()


def otp_consume(*, otp_ids: list[int]) -> None:
    """Spend codes checked with consume=False, all or none (two requests racing: one wins)."""
    with transaction.atomic():
        spent = OneTimeCode.objects.filter(pk__in=otp_ids, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if spent != len(otp_ids):
            raise ApplicationError(_("This code has expired. Please ask for a new one."))
