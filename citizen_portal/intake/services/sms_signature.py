"""Whether a request to the SMS webhook really comes from the gateway.

The gateway signs each request with a secret shared with the portal: X-Signature is the hex
HMAC-SHA256 of "<X-Timestamp>.<raw body>", X-Timestamp the Unix time it was sent. The
timestamp is inside the signature, so a captured request cannot be replayed once the window
(SMS_WEBHOOK_MAX_AGE_SECONDS) has passed; within it, a replay carries the same gateway message
id and is recognised as a duplicate (sms_inbound.py).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings


class SignatureRefused(Exception):  # noqa: N818 (reads as what happened)
    """Why a request was refused: `status` is the HTTP answer, `code` goes in the JSON error
    and the log line. Never says which part of a signature was wrong."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def webhook_secrets() -> list[str]:
    """Every secret currently accepted (comma-separated in SMS_WEBHOOK_SECRET, so that a new
    one can be given to the gateway before the old one is withdrawn)."""
    return [part.strip() for part in settings.SMS_WEBHOOK_SECRET.split(",") if part.strip()]


def signature_for(*, secret: str, timestamp: str, body: bytes) -> str:
    """What the gateway puts in X-Signature (also used by the tests and the documentation)."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_check(
    *, timestamp: str | None, signature: str | None, body: bytes, now: float | None = None
) -> None:
    """Raise SignatureRefused unless `signature` signs `timestamp` and `body` with one of the
    secrets, and `timestamp` is within the window. The caller has checked that a secret is
    set (no secret: the endpoint is off, never open)."""
    if not timestamp or not signature:
        raise SignatureRefused(401, "signature_missing")
    timestamp = timestamp.strip()
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise SignatureRefused(401, "timestamp_invalid")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > settings.SMS_WEBHOOK_MAX_AGE_SECONDS:
        raise SignatureRefused(401, "timestamp_expired")
    given = signature.strip().lower().removeprefix("sha256=")
    # Every secret is compared, in constant time each, whether or not an earlier one matched:
    # the time taken says nothing about which secret or how much of the signature was right.
    matched = False
    for secret in webhook_secrets():
        expected = signature_for(secret=secret, timestamp=timestamp, body=body)
        matched |= hmac.compare_digest(expected, given.encode("ascii", "replace").decode())
    if not matched:
        raise SignatureRefused(403, "signature_invalid")
