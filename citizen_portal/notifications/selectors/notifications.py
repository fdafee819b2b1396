"""Reads for the notifications page and the header's unread count."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from citizen_portal.accounts.models import User
from citizen_portal.notifications.models import Notification


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first (served by the notif_inbox index)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    # One COUNT on (user, read_at): the notif_inbox index covers it.
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_of(user: User, notification_id: int) -> Notification:
    """The user's own notification; anyone else's is answered with 404, as if it did not
    exist."""
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise Http404
    return notification
