"""One id per request, in the response's `X-Request-ID` header and in every log line written
while the request is served, so that a citizen's "it failed at 10:42" or a proxy's log line
leads to the portal's own lines.

The proxy in front (nginx: `proxy_set_header X-Request-ID $request_id;`) may send one; it is
kept if it looks like an id (8 to 64 letters, digits and hyphens) and replaced otherwise, so
that a client cannot write arbitrary text into the logs. Without one, the portal makes one
(a UUID4 in hex).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9-]{8,64}")
# Also on the request itself: Django logs 4xx answers ("Not Found: …") after the middleware
# has returned, with the request attached to the log record.
_ON_REQUEST = "portal_request_id"

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


def request_id_for(incoming: str) -> str:
    return incoming if _WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every other middleware's log lines carry the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_for(request.headers.get(HEADER, ""))
        setattr(request, _ON_REQUEST, request_id)
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Attached to the log handlers (settings.LOGGING): adds `request_id` to each record made
    while a request is served (JsonFormatter writes it as a key). Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _current.get() or getattr(getattr(record, "request", None), _ON_REQUEST, None)
        if request_id is not None:
            record.request_id = request_id
        return True
