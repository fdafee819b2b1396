"""When the database, the disk or Redis fails for a while: 503 with Retry-After, never a 500
(issue 12).

A full disk under the embedded default (SQLite says "database or disk is full"; a file being
saved gets ENOSPC), a database file that became read-only, PostgreSQL restarting or out of
reach, the Redis that holds the task queue and the cache at scale restarting or out of reach:
none of these is the citizen's fault or a bug, and trying again in a minute may work.
People are told that, in their language — on the web a page, from the API and Open311 an
error in their own shape — and the operator gets one ERROR line naming the cause.

Only availability failures are answered this way: IntegrityError, a missing table, an SQL
syntax error are bugs and stay 500s (`unavailable_cause` reads the driver's error code, since
SQLite reports a missing table with the same OperationalError class as a full disk).

Where they are caught:

1. Raised by a view: `ServiceUnavailableMiddleware.process_exception`.
2. Raised by an API or Open311 view: their DRF exception handlers (api/errors.py,
   open311/errors.py) ask `unavailable_cause` and answer in their own error shapes.
3. Raised by a middleware — the session read to find a citizen's language, the session saved
   after the view: Django turns those into a 500 through `handler500`, which is `server_error`
   here (urls.py) and answers 503 instead.

Nothing half-written stays: ATOMIC_REQUESTS is off and every write runs in a service's
`transaction.atomic`, which has rolled back before the exception reaches any of the three.
Django then closes, at the end of the request, a connection that failed or was left outside
autocommit (`close_if_unusable_or_obsolete`), so that the next request starts on a fresh one.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import sys
import traceback
from collections.abc import Callable
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _
from django.views import defaults

from citizen_portal.core.errors import ApplicationError
from citizen_portal.core.metrics.instruments import UNAVAILABLE

logger = logging.getLogger(__name__)

Cause = Literal["database", "disk", "redis"]
# What became of the request: it sent nothing (a page read), what it sent was not saved (the
# usual case: the failure rolled the transaction back), or it was saved and something run
# after the commit failed (a task queued on commit, into a queue on the same full disk).
Outcome = Literal["read", "not_saved", "saved"]

RETRY_AFTER_SECONDS = 60
# The error code of the API's answer (api/errors.py's shape).
CODE = "service_unavailable"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# A full disk, a quota reached, a file system remounted read-only after errors.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
# SQLite's primary result codes that mean "not now" rather than "wrong SQL" (SQLITE_ERROR, 1,
# is a missing table or a syntax error): BUSY and LOCKED (another writer held the lock past the
# timeout), NOMEM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL (the WAL's locks).
SQLITE_UNAVAILABLE = frozenset({5, 6, 7, 8, 10, 13, 14, 15})
# PostgreSQL's SQLSTATE classes that mean the same: 08 the connection failed or was lost,
# 53 insufficient resources (disk full, out of memory, too many connections), 57 operator
# intervention (shutting down, restarting, a statement cancelled by statement_timeout), 58 an
# I/O error; and 25006, a write sent to a server that is read-only (a standby after failover).
POSTGRES_UNAVAILABLE_CLASSES = frozenset({"08", "53", "57", "58"})
POSTGRES_READ_ONLY = "25006"


def unavailable_cause(exc: BaseException) -> Cause | None:
    """ "database", "disk" or "redis" when `exc` (or what it was raised from: Django wraps
    the driver's error) is an availability failure; None for anything else, bugs included, and
    for a service's refusal (ApplicationError), which already says what happened —
    StorageUnavailable for an attachment that a full disk refused, say."""
    current: BaseException | None = exc
    for _depth in range(8):  # a chain of causes is short; a cycle must not loop forever
        if current is None or isinstance(current, ApplicationError):
            return None
        cause = _cause_of(current)
        if cause is not None:
            return cause
        current = current.__cause__
    return None


def _cause_of(exc: BaseException) -> Cause | None:
    if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
        return "disk"
    if isinstance(exc, sqlite3.Error):
        # Also the task queue's own SQLite file (huey), whose errors Django does not wrap.
        code = getattr(exc, "sqlite_errorcode", None)
        return "database" if code is not None and code & 0xFF in SQLITE_UNAVAILABLE else None
    # Looked up, not imported: only the PostgreSQL backend loads psycopg, and where it is not
    # loaded nothing can raise its errors.
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(exc, psycopg.Error):
        sqlstate = exc.sqlstate
        if sqlstate is None:  # raised by the client library: no connection, or it was lost
            return (
                "database"
                if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
                else None
            )
        if sqlstate[:2] in POSTGRES_UNAVAILABLE_CLASSES or sqlstate == POSTGRES_READ_ONLY:
            return "database"
        return None
    if isinstance(exc, InterfaceError) and exc.__cause__ is None:
        return "database"  # Django's own "connection already closed"
    # The task queue and the cache on Redis (TASK_QUEUE, CACHE_URL): refused, lost or timed
    # out (ConnectionError includes "still loading its data"), or a replica left read-only
    # after a failover. Looked up, not imported, as psycopg above.
    redis = sys.modules.get("redis")
    if redis is not None and isinstance(
        exc,
        redis.exceptions.ConnectionError
        | redis.exceptions.TimeoutError
        | redis.exceptions.ReadOnlyError,
    ):
        return "redis"
    return None


def unavailable_record(exc: BaseException, cause: Cause) -> None:
    """Count it (/metrics) and log it at ERROR for the operator: the cause, the error's type
    and code, and where in the portal it was raised — never an OSError's file name, which can
    be a citizen's upload, nor the request's data."""
    UNAVAILABLE.labels(cause).inc()
    logger.error(
        "service unavailable: the %s failed; answered 503",
        cause,
        extra={"cause": cause, "error": _described(exc), "where": _where(exc)},
    )


def _described(exc: BaseException) -> str:
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, OSError) and current.errno is not None:
            name = errno.errorcode.get(current.errno, str(current.errno))
            return f"{type(current).__name__} {name} ({os.strerror(current.errno)})"
        current = current.__cause__
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {first_line}"


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}citizen_portal{os.sep}" in f.filename]
    if not (ours or frames):
        return ""
    frame = (ours or frames)[-1]
    path = frame.filename.split(f"{os.sep}citizen_portal{os.sep}", 1)[-1]
    path = path.split(f"{os.sep}site-packages{os.sep}", 1)[-1]  # django/db/…, not a venv's path
    return f"{path}:{frame.lineno} in {frame.name}"


def unavailable_outcome(method: str | None, exc: BaseException) -> Outcome:
    """What to tell the sender: a GET sent nothing; a failure before the commit lost nothing
    saved but did not keep what was sent; one after it (a task queued on commit) kept it."""
    if method in SAFE_METHODS:
        return "read"
    return "saved" if _after_commit(exc) else "not_saved"


def _after_commit(exc: BaseException) -> bool:
    """Raised by a callback of `transaction.on_commit`: the transaction had committed."""
    return any(
        frame.name == "run_and_clear_commit_hooks"
        for frame in traceback.extract_tb(exc.__traceback__)
    )


def unavailable_message(outcome: Outcome) -> str:
    """The explanation, in the active language: what happened, that nothing saved is lost,
    and what to do."""
    return " ".join(unavailable_sentences(outcome))


def unavailable_sentences(outcome: Outcome) -> list[str]:
    """The same, sentence by sentence (a paragraph each on the page)."""
    advice = {
        "read": _("Please try again in a minute."),
        "not_saved": _("What you just sent was not saved: in a minute, go back and send it again."),
        "saved": _(
            "What you just sent was saved, but the portal could not finish: in a minute, "
            "look for it before sending it again."
        ),
    }
    return [_("The portal is briefly unavailable. Nothing already saved is lost."), advice[outcome]]


def retry_later(response: HttpResponse) -> HttpResponse:
    """Retry-After, and never kept by a browser or proxy (the next answer should be the page)."""
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 for `request`: the API's or Open311's error shape under their paths, a page
    elsewhere. Reads nothing from the database (it is what failed)."""
    outcome = unavailable_outcome(request.method, exc)
    path = request.path_info
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        message = unavailable_message(outcome)
        if path.startswith("/api/"):
            # Imported here: the API's error module imports this one.
            from citizen_portal.api.errors import error_body

            response: HttpResponse = JsonResponse(error_body(CODE, message), status=503)
        elif path.startswith("/open311/"):
            response = _open311_response(path, message)
        else:
            response = HttpResponse(_page(request, outcome), status=503)
    return retry_later(response)


def _open311_response(path: str, message: str) -> HttpResponse:
    from citizen_portal.open311.renderers import ERROR_ITEM, ERRORS_ROOT, to_xml

    errors = [{"code": 503, "description": message}]
    if path.endswith(".xml"):
        body = to_xml(errors, root=ERRORS_ROOT, item=ERROR_ITEM)
        return HttpResponse(body, status=503, content_type="text/xml; charset=utf-8")
    return JsonResponse(errors, status=503, safe=False)


def _page(request: HttpRequest, outcome: Outcome) -> str:
    """503.html without the request's context processors, which read the database (the
    unread count, the session's user): the header shows the user only if the request had
    already read it."""
    context = {
        "request": request,
        "user": _user_already_read(request),
        "csrf_token": get_token(request),
        "sentences": unavailable_sentences(outcome),
        "read": outcome == "read",
    }
    return render_to_string("503.html", context)


def _user_already_read(request: HttpRequest) -> object:
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        wrapped = user._wrapped  # evaluating the user would query the session
        return AnonymousUser() if wrapped is empty else wrapped
    return user if user is not None else AnonymousUser()


class ServiceUnavailableMiddleware:
    """A view's availability failure becomes the 503 above; every other exception goes on to
    Django's handling (a 500 for a bug)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        cause = unavailable_cause(exception)
        if cause is None:
            return None
        unavailable_record(exception, cause)
        return unavailable_response(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500 (urls.py): called by Django for an exception no view answered — one raised
    by a middleware, or by a view when no middleware took it. An availability failure gets the
    503; anything else Django's own 500 page."""
    exc = sys.exc_info()[1]
    cause = unavailable_cause(exc) if exc is not None else None
    if exc is None or cause is None:
        return defaults.server_error(request)
    unavailable_record(exc, cause)
    return unavailable_response(request, exc)
