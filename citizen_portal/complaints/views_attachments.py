"""Serving attachments: only to those who may see them, and in a form no browser will run.

Who may see a file is decided by `selectors.attachments.attachment_for`: the complaint's citizen,
for files on the public events of the timeline and files they uploaded themselves; staff with any
capacity on the complaint. Anyone else is answered 404, as if the file did not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.files.base import File
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Attachment
from citizen_portal.complaints.selectors.attachments import attachment_for
from citizen_portal.core.storage import StorageUnavailable, storage_guard

# The file is shown, never run: no scripts, no plugins, no requests of its own, even when
# opened directly in a tab.
FILE_CSP = "default-src 'none'; sandbox"
CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@require_safe
@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    # One address for citizens and officers: a visitor who is not logged in goes to the
    # citizens' login (LOGIN_URL), which is where almost all of them come from.
    user = request.user
    assert isinstance(user, User)
    found = attachment_for(user, pk)
    try:
        return attachment_response(request, found)
    except StorageUnavailable as exc:
        # The object store or disk is failing: said plainly, and worth trying again.
        refused = HttpResponse(
            str(exc.message), status=503, content_type="text/plain; charset=utf-8"
        )
        refused["Retry-After"] = "60"
        return refused


def attachment_response(request: HttpRequest, found: Attachment) -> HttpResponseBase:
    """The file, for a user already allowed to see it (the web page and the API both send it
    this way). Read through the storage API, so that it works on local disk and in object
    storage alike; a storage that fails raises StorageUnavailable."""
    try:
        with storage_guard("serving an attachment"):
            handle = found.file.open("rb")
            size = found.file.size
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = _ranged(request, found, handle, size) or FileResponse(
        handle, content_type=found.content_type
    )
    # "inline", with the cleaned display name (RFC 6266 filename* for Urdu names).
    response["Content-Disposition"] = (
        content_disposition_header(False, found.original_name) or "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    response["Content-Security-Policy"] = FILE_CSP
    # Other sites cannot embed the file with the visitor's cookies.
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Accept-Ranges"] = "bytes"
    return response


class _Slice:
    """Part of an open file, read in chunks; closing it closes the file."""

    def __init__(self, handle: File[bytes], start: int, length: int) -> None:
        self.handle, self.start, self.length = handle, start, length

    def __iter__(self) -> Iterator[bytes]:
        self.handle.seek(self.start)
        left = self.length
        while left > 0:
            chunk = self.handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.handle.close()


def _ranged(
    request: HttpRequest, found: Attachment, handle: File[bytes], size: int
) -> HttpResponseBase | None:
    """A 206 for one byte range (Safari plays audio and video only from servers that answer
    them), a 416 for a range past the end, or None to send the whole file. Several ranges, or
    an If-Range, get the whole file, as RFC 9110 allows."""
    match = _RANGE.match(request.headers.get("Range", ""))
    if match is None or "If-Range" in request.headers or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:
            return None  # not a valid range: ignored
    else:
        start, end = max(size - int(last), 0), size - 1
    if start >= size or (not first and int(last) == 0):
        handle.close()
        refused = HttpResponse(status=416, content_type=found.content_type)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    response = StreamingHttpResponse(
        _Slice(handle, start, end - start + 1), status=206, content_type=found.content_type
    )
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    return response
