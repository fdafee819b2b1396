"""Marking in-app notifications read. Conditional updates: reading one twice (or in two tabs
at once) keeps the first time it was read."""

from __future__ import annotations

from citizen_portal.accounts.models import User
from citizen_portal.core import clock
from citizen_portal.notifications.models import Notification


def notification_mark_read(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=clock.now()
    )


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())
