"""Staff second factor: an authenticator app (TOTP), with single-use recovery codes.

The secret is stored encrypted like other personal data; a code is accepted once only (the
step it belongs to is remembered), with one step of clock drift either way.
"""

from __future__ import annotations

import hmac
import secrets

import pyotp
from django.db import transaction
from django.utils import timezone

from citizen_portal.accounts import crypto
from citizen_portal.accounts.models import RecoveryCode, StaffTotp, User
from citizen_portal.core.digits import ascii_digits

ISSUER = "Citizen Portal"
RECOVERY_CODES = 10


def _recovery_hash(code: str) -> str:
    normalised = code.replace("-", "").replace(" ", "").lower()
    return crypto.blind_index("recovery:" + normalised)


def has_totp(user: User) -> bool:
    return StaffTotp.objects.filter(user=user, confirmed_at__isnull=False).exists()


def totp_begin(*, user: User) -> tuple[str, str]:
    """A new, unconfirmed secret; returns it and the otpauth:// address for the QR code."""
    secret = pyotp.random_base32()
    StaffTotp.objects.update_or_create(
        user=user,
        defaults={
            "secret_encrypted": crypto.encrypt(secret),
            "confirmed_at": None,
            "last_step": 0,
        },
    )
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return secret, uri


def _accept(totp: StaffTotp, code: str) -> bool:
    """Check `code` against the secret; on success remember its step so it cannot be reused."""
    code = ascii_digits(code.strip().replace(" ", ""))
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return False
    generator = pyotp.TOTP(crypto.decrypt(totp.secret_encrypted))
    now_step = generator.timecode(timezone.now())
    for step in (now_step - 1, now_step, now_step + 1):
        if step > totp.last_step and hmac.compare_digest(generator.generate_otp(step), code):
            # Conditional update: of two requests racing with one code, only one wins.
            won = StaffTotp.objects.filter(pk=totp.pk, last_step__lt=step).update(last_step=step)
            return won == 1
    return False


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> list[str] | None:
    """Confirm the app with its first code; returns fresh recovery codes, shown once."""
    totp = StaffTotp.objects.select_for_update().filter(user=user).first()
    if totp is None or not _accept(totp, code):
        return None
    StaffTotp.objects.filter(pk=totp.pk).update(confirmed_at=timezone.now())
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes
    )
    return codes


def second_factor_check(*, user: User, code: str) -> bool:
    """An app code, or an unused recovery code (which is then spent)."""
    totp = StaffTotp.objects.filter(user=user, confirmed_at__isnull=False).first()
    if totp is None:
        return False
    if _accept(totp, code):
        return True
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return spent == 1
