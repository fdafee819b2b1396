"""The signed-in user's in-app notifications: the list, and marking them read. Another user's
notification answers 404, as if it did not exist."""

from __future__ import annotations

from django.http import Http404
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from citizen_portal.accounts.models import User
from citizen_portal.api.serializers_common import errors
from citizen_portal.api.serializers_notifications import (
    NotificationPageSerializer,
    NotificationQuerySerializer,
    NotificationSerializer,
    ReadAllSerializer,
)
from citizen_portal.notifications.models import Notification
from citizen_portal.notifications.selectors.notifications import (
    notification_of,
    notifications_of,
    unread_count,
)
from citizen_portal.notifications.services.inbox import (
    notification_mark_read,
    notifications_mark_all_read,
)

# Larger ids than a 64-bit primary key can hold cannot exist; SQLite would fail on them.
MAX_ID = 2**63 - 1


class NotificationCursor(CursorPagination):
    # A cursor, not page numbers: new notifications arriving while the user scrolls neither
    # repeat nor skip entries.
    ordering = ("-created_at", "-pk")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request: Request) -> Cursor | None:
        # DRF trusts the position inside a well-formed cursor; a forged one that is no date
        # would fail in the query as a server error instead of a 404.
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                valid = parse_datetime(str(cursor.position)) is not None
            except ValueError:
                valid = False
            if not valid:
                raise NotFound(self.invalid_cursor_message)
        return cursor


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated (the default permission) ran first
    return user


def _own_notification(request: Request, raw_id: str) -> Notification:
    if not raw_id.isascii() or not raw_id.isdigit() or not 0 < int(raw_id) <= MAX_ID:
        raise Http404
    return notification_of(_user(request), int(raw_id))


class NotificationListView(APIView):
    @extend_schema(
        tags=["notifications"],
        operation_id="notifications_list",
        summary="My notifications, newest first",
        parameters=[
            OpenApiParameter(
                "cursor", str, description="From `next` or `previous` of a page; a forged one: 404."
            ),
            NotificationQuerySerializer,
        ],
        responses={200: NotificationPageSerializer, **errors(400, 401, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        NotificationQuerySerializer(data=request.query_params.dict()).is_valid(raise_exception=True)
        user = _user(request)
        paginator = NotificationCursor()
        page = (
            paginator.paginate_queryset(
                notifications_of(user).select_related("complaint"), request, view=self
            )
            or []
        )
        return Response(
            {
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "unread_count": unread_count(user),
                "results": NotificationSerializer(page, many=True).data,
            }
        )


class NotificationReadView(APIView):
    @extend_schema(
        tags=["notifications"],
        operation_id="notifications_read",
        summary="Mark one notification read",
        description="Marking one already read keeps the time it was first read.",
        parameters=[OpenApiParameter("notification_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={200: NotificationSerializer, **errors(401, 404, 429)},
    )
    def post(self, request: Request, notification_id: str) -> Response:
        notification = _own_notification(request, notification_id)
        notification_mark_read(notification=notification)
        notification.refresh_from_db(fields=["read_at"])
        return Response(NotificationSerializer(notification).data)


class NotificationsReadAllView(APIView):
    @extend_schema(
        tags=["notifications"],
        operation_id="notifications_read_all",
        summary="Mark all my notifications read",
        request=None,
        responses={200: ReadAllSerializer, **errors(401, 429)},
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        marked = notifications_mark_all_read(user=user)
        return Response({"marked": marked, "unread_count": unread_count(user)})
