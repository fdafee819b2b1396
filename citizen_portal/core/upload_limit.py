"""Refusing a request body too large for any upload, before a byte of it is read.

Django's own limits do not cover this: DATA_UPLOAD_MAX_MEMORY_SIZE counts only the form's text
fields, and files of any size are streamed to temporary files while the form is parsed, so a
60 MB limit checked by `attachments_prepare` would be checked only after the server had taken
in (and written to disk) however many gigabytes were sent. The API and Open311 checked the
declared length in their own views; the site's forms (lodging, answering an information
request, officers' actions, the offline and mail-room forms) did not. This middleware checks
the declared Content-Length of every request against the most an upload may carry and answers
413 at once: a friendly page in the visitor's language on the site, the API's and Open311's own
error shapes on theirs. The session is not touched, so a lodge draft saved before survives.

A body without a Content-Length (chunked) is read by Django as empty under WSGI; the proxy in
front (nginx `client_max_body_size`) bounds what reaches the portal in any case.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from citizen_portal.api.errors import error_body
from citizen_portal.open311.renderers import ERROR_ITEM, ERRORS_ROOT, to_xml

# What a form may carry besides its files when DATA_UPLOAD_MAX_MEMORY_SIZE is None (no limit
# on the text fields): Django's default of 2.5 MB.
FORM_OVERHEAD_DEFAULT = 2_621_440


def upload_body_limit() -> int:
    """The largest request body the portal reads: the files one submission may carry (each at
    its per-file limit, at most ATTACHMENT_MAX_FILES of them, and never more than
    ATTACHMENT_TOTAL_MAX_BYTES in all) plus the form's text fields and multipart headers
    (DATA_UPLOAD_MAX_MEMORY_SIZE). Read from settings on each request, so overrides apply."""
    return _files_limit() + _overhead()


def _files_limit() -> int:
    per_file = max(settings.ATTACHMENT_MAX_BYTES, settings.ATTACHMENT_MEDIA_MAX_BYTES)
    return int(min(per_file * settings.ATTACHMENT_MAX_FILES, settings.ATTACHMENT_TOTAL_MAX_BYTES))


def _overhead() -> int:
    overhead = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return FORM_OVERHEAD_DEFAULT if overhead is None else int(overhead)


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class UploadSizeLimitMiddleware:
    """Place after AccountLanguageMiddleware (the refusal page speaks the account's language)
    and before anything whose `__call__` reads the body. CsrfViewMiddleware reads the form in
    `process_view`, which runs only after every middleware's `__call__`, so it never sees a
    refused body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = upload_body_limit()
        if declared_length(request) <= limit:
            return self.get_response(request)
        return too_large(request, limit)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """The 413 answer, in the format of the part of the portal that was asked."""
    message = _("The request is too large.")
    path = request.path_info
    if path.startswith("/api/"):
        # The API's error shape (api/errors.py error_body).
        return JsonResponse(error_body("too_large", message), status=413)
    if path.startswith("/open311/"):
        # GeoReport's error list (open311/errors.py), in the format the address asks for.
        errors = [{"code": 413, "description": message}]
        if path.endswith(".xml"):
            body = to_xml(errors, root=ERRORS_ROOT, item=ERROR_ITEM)
            return HttpResponse(body, status=413, content_type="text/xml; charset=utf-8")
        return JsonResponse(errors, status=413, safe=False)
    context = {"limit": filesizeformat(_files_limit()), "back": _back(request)}
    return render(request, "413.html", context, status=413)


def _back(request: HttpRequest) -> str:
    """The page the form was on (an action's address may answer only posts), if it is one of
    the portal's own; else the address posted to."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.get_full_path()
