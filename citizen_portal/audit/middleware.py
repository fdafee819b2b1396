"""Every 403 answer noted in the audit log, whoever wrote it: a view rendering its own refusal,
the API (DRF), a failed CSRF check, a decorator or handler403 (which note it themselves first,
so it is noted once). A 404 never is: anyone may ask for any address."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from citizen_portal.audit.services.refusals import refusal_noted, refusal_record


class RefusalAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403 and not refusal_noted(request):
            refusal_record(request)
        return response
