"""SMS transports, chosen by the SMS_BACKEND setting.

Each transport raises `SmsError` with `permanent` set when retrying cannot help (a number the
gateway rejects), so that the worker retries only what may succeed later.
"""

from __future__ import annotations

import json
import threading
import urllib.error
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
class SmsMessage:
    to: str
    body: str


class SmsTransport(Protocol):
    def send(self, message: SmsMessage) -> None: ...


_outbox_lock = threading.Lock()


class OutboxTransport:
    """Appends one JSON line per message, {"to", "body", "sent_at"}, to SMS_OUTBOX_PATH."""

    def send(self, message: SmsMessage) -> None:
        path = settings.SMS_OUTBOX_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"to": message.to, "body": message.body, "sent_at": timezone.now().isoformat()},
            ensure_ascii=False,
        )
        # One write per line under a lock: worker threads never interleave partial lines.
        with _outbox_lock, path.open("a", encoding="utf-8") as outbox:
            outbox.write(line + "\n")


class HttpGatewayTransport:
    """POSTs {"to", "body"} as JSON to SMS_GATEWAY_URL with a bearer token.

    2xx is success; 4xx other than 429 is permanent (the gateway refuses this message); 429,
    5xx and network errors are temporary.
    """

    def send(self, message: SmsMessage) -> None:
        url = settings.SMS_GATEWAY_URL
        if not url.startswith(("http://", "https://")):
            raise SmsError("SMS_GATEWAY_URL must be an http(s) address", permanent=True)
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url,
            data=json.dumps({"to": message.to, "body": message.body}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        try:
            timeout = settings.SMS_GATEWAY_TIMEOUT
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            permanent = 400 <= exc.code < 500 and exc.code != 429
            raise SmsError(f"gateway answered {exc.code}", permanent=permanent) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc}", permanent=False) from exc


def get_transport() -> SmsTransport:
    backends: dict[str, type[SmsTransport]] = {
        "outbox": OutboxTransport,
        "http": HttpGatewayTransport,
    }
    try:
        return backends[settings.SMS_BACKEND]()
    except KeyError:
        raise SmsError(f"unknown SMS_BACKEND {settings.SMS_BACKEND!r}", permanent=True) from None


def send_sms(to: str, body: str) -> None:
    get_transport().send(SmsMessage(to=to, body=body))
