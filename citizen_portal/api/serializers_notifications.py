"""Shapes of the notifications API. Titles and bodies are in the language the user had when
the message was written; they are not translated again."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from citizen_portal.notifications.models import Notification


# Any, not Notification: the stubs type `instance` as one object even with many=True.
class NotificationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField(help_text="Path of the related page on the web portal, or empty.")
    complaint = serializers.CharField(
        source="complaint.reference",
        allow_null=True,
        help_text="Reference of the complaint it is about, if any.",
    )
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    is_read = serializers.SerializerMethodField()

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationQuerySerializer(serializers.Serializer[None]):
    """The page size, checked strictly: a bad one is refused, not ignored. (The cursor is the
    paginator's to judge: a forged one answers 404.)"""

    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=100, help_text="20 if not given."
    )


class NotificationPageSerializer(serializers.Serializer[None]):
    next = serializers.URLField(allow_null=True, help_text="The next (older) page, if any.")
    previous = serializers.URLField(allow_null=True, help_text="The previous (newer) page.")
    unread_count = serializers.IntegerField(help_text="Unread notifications in all, not per page.")
    results = NotificationSerializer(many=True)


class ReadAllSerializer(serializers.Serializer[None]):
    marked = serializers.IntegerField(help_text="How many were unread and are now read.")
    unread_count = serializers.IntegerField()
