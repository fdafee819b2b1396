"""Refusing, at the door, what no page can mean."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

OWN_ERROR_FORMATS = ("/api/", "/open311/")


class RejectNulBytesMiddleware:
    """A NUL character in the address or the query string is never part of a real request,
    and PostgreSQL refuses it in any text it compares, which would surface as a server error
    in whichever view first looks the value up. Refused here with 400 for the site's pages.
    The API and Open311 answer it themselves, in their own error formats."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(OWN_ERROR_FORMATS):
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "\x00" in unquote(query):
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)
