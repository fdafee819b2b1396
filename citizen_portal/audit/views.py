"""The 403 page (handler403 in urls.py): Django's own page, after noting the refusal in the
audit log. Only refusals are noted; a 404 never is (anyone can ask for any address, and a
scan would fill the log)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.defaults import permission_denied as django_permission_denied

from citizen_portal.audit.services.refusals import refusal_record


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    refusal_record(request)
    return django_permission_denied(request, exception)
