"""GeoReport's error shape, for every failure under /open311/v2/: a list of errors, each with
the HTTP status as its code and a description for people.

    JSON  [{"code": 400, "description": "service_code: This field is required."}]
    XML   <errors><error><code>400</code><description>…</description></error></errors>
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from citizen_portal.api.errors import refusal_status
from citizen_portal.core import unavailable
from citizen_portal.core.errors import ApplicationError, NotAllowed


class Open311Error(exceptions.APIException):
    """A refusal with the status the spec calls for (400 bad input, 403 key, 404 unknown)."""

    def __init__(self, description: str, *, status_code: int = status.HTTP_400_BAD_REQUEST):
        super().__init__(description)
        self.status_code = status_code


def _descriptions(detail: Any, field: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [text for name, inner in detail.items() for text in _descriptions(inner, name)]
    if isinstance(detail, list):
        return [text for inner in detail for text in _descriptions(inner, field)]
    return [f"{field}: {detail}" if field and field != "non_field_errors" else str(detail)]


def _translate(exc: Exception, method: str) -> Exception:
    """Errors raised outside DRF, as the DRF error they mean."""
    cause = unavailable.unavailable_cause(exc)
    if cause is not None:  # the database or the disk failed: try again later (503)
        unavailable.unavailable_record(exc, cause)
        message = unavailable.unavailable_message(unavailable.unavailable_outcome(method, exc))
        return Open311Error(message, status_code=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, NotAllowed):
        return exceptions.PermissionDenied(str(exc.message))
    if isinstance(exc, ApplicationError):
        return Open311Error(str(exc.message), status_code=refusal_status(exc))
    if isinstance(exc, RequestDataTooBig):
        return Open311Error(_("The request is too large."), status_code=413)
    if isinstance(exc, Http404):
        return exceptions.NotFound(_("Not found."))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def open311_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _translate(exc, getattr(context.get("request"), "method", "GET"))
    response = drf_exception_handler(exc, context)
    if response is None:  # not an API error: a bug, left to Django's 500 handling
        return None
    if response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
        unavailable.retry_later(response)
    assert isinstance(exc, exceptions.APIException)
    response.data = [
        {"code": response.status_code, "description": text} for text in _descriptions(exc.detail)
    ]
    return response
