"""Telling the responsible department's focal person(s) about a new alert: in-app always,
e-mail where they have an address, in each reader's language (notifications' delivery).

The focal person is whoever holds the department's focal position today; a department without
one is kept by the nearest department above it that has one (as routing sends its complaints
there: complaints/selectors/focal.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from citizen_portal.accounts.models import User
from citizen_portal.directory.models import Department, PositionHolding
from citizen_portal.hotspots.models import HotspotAlert
from citizen_portal.notifications.models import Notification
from citizen_portal.notifications.services.delivery import (
    BODY_MAX,
    TITLE_MAX,
    Letter,
    absolute,
    channels_queue,
    render_text,
)


def focal_persons(department: Department) -> list[User]:
    """The current, active holders of the department's focal position (or of the nearest
    department above with one)."""
    node: Department | None = department
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        if node.focal_position_id:
            holdings = PositionHolding.objects.filter(
                position_id=node.focal_position_id,
                position__is_active=True,
                ended_at__isnull=True,
                user__is_active=True,
            ).select_related("user")
            return [holding.user for holding in holdings]
        node = node.parent
    return []


def alert_url(alert: HotspotAlert) -> str:
    return reverse("hotspots:detail", args=[alert.pk])


def alert_notify(alert: HotspotAlert) -> int:
    """Write to each focal person, in the caller's transaction (the e-mail leaves after the
    commit). Returns how many were told."""
    told = 0
    for user in focal_persons(alert.department):
        context = {"recipient": user, "alert": alert, "url": absolute(alert_url(alert))}
        with translation.override(user.preferred_language):
            title = render_text("hotspots/notify/subject.txt", context)
            body = render_text("hotspots/notify/inapp.txt", context)
            email_body = render_text("hotspots/notify/email.txt", context)
        title = Truncator(" ".join(title.split())).chars(TITLE_MAX)
        Notification.objects.create(
            user=user, title=title, body=Truncator(body).chars(BODY_MAX), url=alert_url(alert)
        )
        if user.email:
            letter = Letter(title=title, body=body, url=alert_url(alert), email_body=email_body)
            channels_queue(letter=letter, email_to=user.email)
        told += 1
    return told
