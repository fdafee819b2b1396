"""One error shape for every failure of the API:

    {"error": {"code": "…", "message": "…", "fields": {"field": ["…"]}}}

Messages are in the request's language (Accept-Language, through LocaleMiddleware)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from citizen_portal.core import unavailable
from citizen_portal.core.errors import ApplicationError, NotAllowed

# Service refusals that mean "the complaint is not in a state for this": 409 Conflict.
CONFLICT_CODES = frozenset({"invalid_transition", "conflict", "reviewed", "idempotency_key_reused"})
# Refusals that say nothing about the request: the same request may succeed later (503).
UNAVAILABLE_CODES = frozenset({"storage_unavailable"})


def refusal_status(exc: ApplicationError) -> int:
    """The HTTP status of a service's refusal (not NotAllowed, which is 403)."""
    if exc.code in CONFLICT_CODES:
        return status.HTTP_409_CONFLICT
    if exc.code in UNAVAILABLE_CODES:
        return status.HTTP_503_SERVICE_UNAVAILABLE
    return status.HTTP_400_BAD_REQUEST


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for name, msgs in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    cause = unavailable.unavailable_cause(exc)
    if cause is not None:  # the database or the disk failed: try again later (503)
        unavailable.unavailable_record(exc, cause)
        set_rollback()
        method = getattr(context.get("request"), "method", None)
        message = unavailable.unavailable_message(unavailable.unavailable_outcome(method, exc))
        later = Response(error_body(unavailable.CODE, message), status=503)
        unavailable.retry_later(later)
        return later
    if isinstance(exc, NotAllowed):
        return Response(error_body(exc.code, str(exc.message)), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ApplicationError):
        refused = Response(error_body(exc.code, str(exc.message)), status=refusal_status(exc))
        if refused.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
            unavailable.retry_later(refused)
        return refused
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("too_large", _("The request is too large.")),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("Some fields are not valid."), _fields(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else _("The request failed.")
        codes = exc.get_codes()
        body = error_body(codes if isinstance(codes, str) else str(exc.default_code), message)
    else:  # pragma: no cover - DRF only handles APIException, Http404 and PermissionDenied
        body = error_body("error", _("The request failed."))
    response.data = body
    return response
