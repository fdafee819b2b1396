"""The map's boundary data, public: the leadership dashboards and the public transparency page
draw from the same files, and the ODbL asks that the database behind a public map be offered
to the public (§4.6), so the original files can be downloaded here too.

The GeoJSON answers are built once per process (geo.py) and never depend on who asks or in
which language, so shared caches may keep them: a strong ETag, a week's max-age (pages ask
with `?v=` and the ETag's start, so a deployment with new boundaries is fetched at once), and
gzip for clients that accept it."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from citizen_portal.analytics.geo import (
    DATA_DIR,
    DISTRICTS_FILE,
    PROVINCES_FILE,
    TEHSIL_MAP_FILE,
    GeoPayload,
    districts_geojson,
    provinces_geojson,
)

MAX_AGE = 7 * 24 * 3600
# The files offered for download, by the name in the address: nothing else can be asked for.
DOWNLOADS = {
    DISTRICTS_FILE: "application/json",
    PROVINCES_FILE: "application/json",
    TEHSIL_MAP_FILE: "text/csv; charset=utf-8",
}


# As Django's GZipMiddleware decides.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _geojson(request: HttpRequest, payload: GeoPayload) -> HttpResponse:
    gzipped = _accepts_gzip(request)
    etag = payload.etag_gzipped if gzipped else payload.etag
    held = parse_etags(request.headers.get("If-None-Match", ""))
    if "*" in held or etag in [tag.removeprefix("W/") for tag in held]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(
            payload.gzipped if gzipped else payload.body, content_type="application/geo+json"
        )
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


@require_safe
def districts(request: HttpRequest) -> HttpResponse:
    """Districts and unassigned areas, with the province borders (see geo.py)."""
    return _geojson(request, districts_geojson())


@require_safe
def provinces(request: HttpRequest) -> HttpResponse:
    """The seven provinces and territories."""
    return _geojson(request, provinces_geojson())


@require_safe
def download(request: HttpRequest, name: str) -> HttpResponseBase:
    """An original boundary file, unchanged, as an attachment."""
    if name not in DOWNLOADS:
        raise Http404
    response = FileResponse(
        (DATA_DIR / name).open("rb"),
        as_attachment=True,
        filename=name,
        content_type=DOWNLOADS[name],
    )
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response
