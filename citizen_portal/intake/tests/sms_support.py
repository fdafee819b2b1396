"""What the SMS door's tests share: signed POSTs as the gateway sends them, the SMS a phone
received, and complaints to ask about."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import requests

from citizen_portal.complaints.models import Channel, Complaint
from citizen_portal.directory.models import Category
from citizen_portal.intake.services.lodging import channel_lodge
from citizen_portal.intake.services.sms_signature import signature_for

SECRET = "test-shared-secret-for-the-sms-gateway"


def send(
    url: str,
    *,
    sender: str,
    text: str,
    message_id: str | None = None,
    secret: str = SECRET,
    timestamp: int | None = None,
    body: bytes | None = None,
) -> requests.Response:
    """POST one message as the gateway does, signed with `secret`."""
    if body is None:
        payload = {
            "from": sender,
            "to": "8300",
            "text": text,
            "id": message_id or str(uuid.uuid4()),
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = signature_for(secret=secret, timestamp=stamp, body=body)
    return requests.post(
        url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Timestamp": stamp,
            "X-Signature": signature,
        },
        timeout=30,
    )


def texts_to(sms_outbox: Any, number: str) -> list[str]:
    return [m["body"] for m in sms_outbox.messages() if m["to"] == number]


def lodged_for(citizen: Any, *, category: Category | None = None, area: Any = None) -> Complaint:
    return channel_lodge(
        citizen=citizen,
        channel=Channel.WEB,
        subject="Bill doubled",
        description="My bill doubled this month.",
        category=category,
        area=area,
    )
