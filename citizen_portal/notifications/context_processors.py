"""The unread count in the page header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from citizen_portal.accounts.models import User
from citizen_portal.notifications.selectors.notifications import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications` for signed-in users. Lazy: the COUNT runs only on pages whose
    template shows it (not the admin's, say), and at most once per page."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
