"""Logging out also empties what this browser keeps for the site: the service worker's stored
pages and drafts, the HTTP cache. On a phone shared in a family or a shop, the next person
must not read the last one's complaints, online or offline.

`Clear-Site-Data: "storage"` is what Chromium applies to Cache Storage, IndexedDB and the
service worker's registration (its `"cache"` is the HTTP cache only); it needs a secure
context (https, or localhost). The service worker also empties its caches when it sees the
logout form go by (core/service_worker.js), for browsers that ignore the header. Cookies are
left alone: the trusted-device cookie and the language choice outlive a session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

CLEAR_SITE_DATA = '"cache", "storage"'
_MARK = "_portal_logged_out"


@receiver(user_logged_out, dispatch_uid="citizen_portal.core.logout.mark")
def _mark_logged_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # Every way out (the logout button, closing the account) goes through auth.logout().
    if request is not None:
        setattr(request, _MARK, True)


class ClearSiteDataOnLogoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _MARK, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


def forget_logout_mark(request: HttpRequest) -> None:
    """A logout the person did not ask for (an expired session): the browser keeps its data."""
    if hasattr(request, _MARK):
        delattr(request, _MARK)
