"""The idle and absolute limits of a signed-in session (ASVS 7.3; settings SESSION_IDLE_SECONDS_*
and SESSION_ABSOLUTE_SECONDS_*, staff and citizens apart).

The session keeps when it began and when it was last used. The last use is written at most
once a minute, so that a busy officer's clicks do not each cost a write of the session row;
the idle limit is exact to that minute. Past either limit the session ends as logging out does
(auth.logout: the row is deleted, `user_logged_out` is sent), the person is told why, and the
page goes on as for anyone not signed in (a page that needs a login sends them to it, keeping
the address in ?next=). Unlike the logout button, an expiry does not ask the browser to clear
its stored data: an offline complaint waiting in the browser's queue must survive a session
that lapsed while the phone had no signal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from citizen_portal.core.logout import forget_logout_mark

# {"staff": bool, "began": epoch seconds, "seen": epoch seconds}
LIMITS_KEY = "_portal_session_limits"
# How often the last use is written back to the session.
SEEN_RESOLUTION_SECONDS = 60


def _limits_for(staff: bool) -> tuple[int, int]:
    if staff:
        return settings.SESSION_IDLE_SECONDS_STAFF, settings.SESSION_ABSOLUTE_SECONDS_STAFF
    return settings.SESSION_IDLE_SECONDS_CITIZEN, settings.SESSION_ABSOLUTE_SECONDS_CITIZEN


def _stamp(user: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"staff": not getattr(user, "is_citizen", True), "began": now, "seen": now}


@receiver(user_logged_in, dispatch_uid="citizen_portal.accounts.session_limits.begin")
def _begin(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LIMITS_KEY] = _stamp(user)


def session_expired(limits: dict[str, Any], now: float) -> str | None:
    """Which limit the session has passed ("idle", "absolute"), or None."""
    idle, absolute = _limits_for(bool(limits.get("staff")))
    if now - float(limits.get("began", 0)) > absolute:
        return "absolute"
    if now - float(limits.get("seen", 0)) > idle:
        return "idle"
    return None


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            signed_in = SESSION_KEY in request.session
        except DatabaseError:
            # The session cannot be read: the view will meet the same failure and answer 503
            # with its page (core/unavailable.py) rather than this middleware's plain 500.
            signed_in = False
        if signed_in:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        limits = session.get(LIMITS_KEY)
        if not isinstance(limits, dict):
            # A session from before these limits: they count from now.
            if request.user.is_authenticated:
                session[LIMITS_KEY] = _stamp(request.user)
            return
        now = time.time()
        expired = session_expired(limits, now)
        if expired is None:
            if now - float(limits["seen"]) >= SEEN_RESOLUTION_SECONDS:
                session[LIMITS_KEY] = {**limits, "seen": int(now)}
            return
        idle, absolute = _limits_for(bool(limits.get("staff")))
        logout(request)
        forget_logout_mark(request)
        if expired == "idle":
            text = _(
                "You were logged out after %(minutes)d minutes without activity. "
                "Log in again to go on."
            ) % {"minutes": idle // 60}
        else:
            text = _(
                "You were logged out because you logged in more than %(hours)d hours ago. "
                "Log in again to go on."
            ) % {"hours": absolute // 3600}
        messages.info(request, text)
