"""Headers that tell the browser what a page of the portal may do, on every response.

- **Content-Security-Policy**: scripts, styles, fonts, images and connections from the portal's
  own origin only; no inline script or style anywhere (the templates have none: configuration
  for scripts travels in `<script type="application/json">` blocks, which are not executed, and
  htmx is told not to add its own `<style>`, base.html), no `eval`, no plugins, no framing
  (`frame-ancestors 'none'`), forms posted only to the portal. Images may also be `data:` (the
  charts' saved pictures) and `blob:` (a photo's preview before it is sent, lodge.js). A view
  that sets a policy of its own keeps it (attachments are served with `default-src 'none';
  sandbox`).
- **Permissions-Policy**: the location only for the portal's own pages (the lodge form's
  "use my location"); camera, microphone, payment, USB and the rest for nobody. A photo is
  taken through the file picker, which needs no permission.

Referrer-Policy, Cross-Origin-Opener-Policy, X-Content-Type-Options and X-Frame-Options come
from Django's own settings (SECURE_REFERRER_POLICY and the rest, settings.py); HSTS from
SECURE_HSTS_SECONDS in production."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from citizen_portal.core.metrics.instruments import CSP_VIOLATIONS

logger = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "media-src 'none'",
        "object-src 'none'",
        "frame-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        # Violations are reported to the portal (csp_report below).
        "report-uri /csp-report",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "midi=()",
        "magnetometer=()",
        "gyroscope=()",
        "accelerometer=()",
        "display-capture=()",
        "interest-cohort=()",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# Browsers report what the policy blocked to this address (a page broken by the policy, or an
# injection attempt stopped by it); reports larger than this are not read.
REPORT_MAX_BYTES = 16 * 1024
KNOWN_DIRECTIVES = frozenset(d.split(" ", 1)[0] for d in CONTENT_SECURITY_POLICY.split("; ")) | {
    "script-src-elem",
    "script-src-attr",
    "style-src-elem",
    "style-src-attr",
}


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Record one violation report: a WARNING log line with the directive, the page's path and
    what was blocked (its origin and path only: no query string, which could hold personal
    data), and the counter portal_csp_violations_total. Always 204; nothing is stored."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > REPORT_MAX_BYTES:
        return HttpResponse(status=204)
    try:
        report = json.loads(request.body or b"{}").get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponse(status=204)
    if not isinstance(report, dict):
        return HttpResponse(status=204)
    directive = str(report.get("effective-directive") or report.get("violated-directive") or "")
    directive = directive.split(" ", 1)[0]
    directive = directive if directive in KNOWN_DIRECTIVES else "other"
    CSP_VIOLATIONS.labels(directive).inc()
    if not _log_allowance.take():
        return HttpResponse(status=204)
    logger.warning(
        "csp violation",
        extra={
            "directive": directive,
            "page": _without_query(report.get("document-uri")),
            "blocked": _without_query(report.get("blocked-uri")),
        },
    )
    return HttpResponse(status=204)


class _Allowance:
    """At most REPORTS_LOGGED_PER_MINUTE log lines a minute per process: the address takes
    anonymous posts, and a flood of them must not flood the logs (all are counted)."""

    def __init__(self) -> None:
        self.minute = 0
        self.used = 0

    def take(self) -> bool:
        minute = int(time.monotonic() // 60)
        if minute != self.minute:
            self.minute, self.used = minute, 0
        self.used += 1
        return self.used <= REPORTS_LOGGED_PER_MINUTE


REPORTS_LOGGED_PER_MINUTE = 30
_log_allowance = _Allowance()


def _without_query(value: object) -> str:
    parts = urlsplit(str(value or ""))
    return (parts.scheme + "://" + parts.netloc if parts.netloc else parts.scheme) + parts.path
