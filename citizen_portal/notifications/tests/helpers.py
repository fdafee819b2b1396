"""What the tests read messages with: the citizen's SMS, their in-app list, and SMS length as a
phone counts it."""

from __future__ import annotations

import math
from datetime import date

from django.utils.formats import date_format

from citizen_portal.notifications.models import Notification

# GSM 03.38: the basic alphabet (one septet each) and the extension table (two each). Any
# other character makes the whole SMS UCS-2, with far fewer characters per segment.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€")


def sms_segments(text: str) -> int:
    """How many SMS a phone network bills for `text`."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text):
        septets = len(text) + sum(ch in GSM_EXTENSION for ch in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    return 1 if len(text) <= 70 else math.ceil(len(text) / 67)


def sms_to(sms_outbox, phone: str) -> list[str]:
    return [m["body"] for m in sms_outbox.messages() if m["to"] == phone]


def inbox(user) -> list[Notification]:
    """The user's in-app notifications, oldest first."""
    return list(Notification.objects.filter(user=user).order_by("pk"))


def day(value: date | None, style: str = "SHORT_DATE_FORMAT") -> str:
    """A complaint's date as the messages write it, in the active language."""
    assert value is not None
    return date_format(value, style)
