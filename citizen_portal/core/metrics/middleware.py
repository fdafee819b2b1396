"""Counts every request and times it, by the name of the URL pattern that answered it."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from citizen_portal.core.metrics.instruments import HTTP_DURATION, HTTP_REQUESTS, METHODS, UNMATCHED


class RequestMetricsMiddleware:
    """Near the top of MIDDLEWARE, so that the time includes the other middleware. The route
    is read after the response, when Django has resolved the URL: `complaints:work_detail`,
    never `/work/PB-2026-0000001-Q/`. A request refused before resolution (a bad host, a NUL
    byte) or matching no pattern is `unmatched`. No database query, no lock held for long:
    a few dictionary look-ups per request (the benchmark measures this)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - start
        match = request.resolver_match
        route = match.view_name if match is not None else UNMATCHED
        method = request.method if request.method in METHODS else "other"
        HTTP_REQUESTS.labels(method, route, str(response.status_code)).inc()
        HTTP_DURATION.labels(method, route).observe(elapsed)
        return response
