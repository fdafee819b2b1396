"""SMS transports, chosen by the SMS_BACKEND setting: "outbox" (a local file), "http" (a
generic JSON gateway) or "twilio" (the Twilio Messages API, which many gateways also speak).

Each transport returns the provider's message id, or raises `SmsError` with `permanent` set
when retrying cannot help (a number the gateway rejects), so that only what may succeed later
is retried.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone


class SmsError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class SmsPayload:
    to: str
    body: str
    reference: str


class SmsTransport(Protocol):
    def send(self, message: SmsPayload) -> str: ...


_outbox_lock = threading.Lock()


class OutboxTransport:
    """Appends one JSON line per message, {"to", "body", "sent_at"}, to SMS_OUTBOX_PATH."""

    def send(self, message: SmsPayload) -> str:
        path = settings.SMS_OUTBOX_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"to": message.to, "body": message.body, "sent_at": timezone.now().isoformat()},
            ensure_ascii=False,
        )
        # One write per line under a lock: worker threads never interleave partial lines.
        with _outbox_lock, path.open("a", encoding="utf-8") as outbox:
            outbox.write(line + "\n")
        return message.reference


def _post(request: urllib.request.Request) -> bytes:
    """2xx is success; 4xx other than 408/429 is permanent; the rest is worth retrying."""
    url = request.full_url
    if not url.startswith(("http://", "https://")):
        raise SmsError("the gateway address must be http(s)", permanent=True)
    try:
        timeout = settings.SMS_GATEWAY_TIMEOUT
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
        raise SmsError(f"gateway answered {exc.code}", permanent=permanent) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SmsError(f"gateway unreachable: {exc}", permanent=False) from exc


class HttpGatewayTransport:
    """POSTs {"to", "body", "reference"} as JSON to SMS_GATEWAY_URL with a bearer token; the
    reference lets the gateway drop a retry of a message it already accepted."""

    def send(self, message: SmsPayload) -> str:
        request = urllib.request.Request(  # noqa: S310 (scheme checked in _post)
            settings.SMS_GATEWAY_URL,
            data=json.dumps(
                {"to": message.to, "body": message.body, "reference": message.reference}
            ).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                "Idempotency-Key": message.reference,
            },
            method="POST",
        )
        answer = _post(request)
        try:
            return str(json.loads(answer or b"{}").get("id", message.reference))
        except (ValueError, AttributeError):
            return message.reference


class TwilioTransport:
    """Twilio's Messages API: form-encoded POST to
    {base}/2010-04-01/Accounts/{sid}/Messages.json with HTTP Basic auth (sid, token)."""

    def send(self, message: SmsPayload) -> str:
        sid = settings.SMS_TWILIO_ACCOUNT_SID
        url = f"{settings.SMS_TWILIO_BASE_URL.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        credentials = base64.b64encode(f"{sid}:{settings.SMS_TWILIO_AUTH_TOKEN}".encode())
        form = {"To": message.to, "From": settings.SMS_TWILIO_FROM, "Body": message.body}
        request = urllib.request.Request(  # noqa: S310 (scheme checked in _post)
            url,
            data=urllib.parse.urlencode(form).encode(),
            headers={
                "Authorization": f"Basic {credentials.decode()}",
                "Content-Type": "application/x-www-form-urlencoded",
                "I-Twilio-Idempotency-Token": message.reference,
            },
            method="POST",
        )
        try:
            return str(json.loads(_post(request))["sid"])
        except (ValueError, KeyError, TypeError) as exc:
            raise SmsError("gateway answered without a message sid", permanent=False) from exc


TRANSPORTS: dict[str, type[SmsTransport]] = {
    "outbox": OutboxTransport,
    "http": HttpGatewayTransport,
    "twilio": TwilioTransport,
}


def get_transport() -> SmsTransport:
    try:
        return TRANSPORTS[settings.SMS_BACKEND]()
    except KeyError:
        raise SmsError(f"unknown SMS_BACKEND {settings.SMS_BACKEND!r}", permanent=True) from None
