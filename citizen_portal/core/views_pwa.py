"""The web app manifest, the service worker and the offline page (see core/pwa.py)."""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from citizen_portal.core.pwa import (
    SERVICE_WORKER_SOURCE,
    render_offline_page,
    service_worker_config,
)

THEME_COLOR = "#01411c"  # the portal's green (static/css/portal.css, --green)
BACKGROUND_COLOR = "#fbfcfb"  # the page background (--bg): the splash screen matches it


def _language(request: HttpRequest) -> str:
    """`?lang=` when it names one of the portal's languages, else the active language. The
    manifest is fetched without cookies, so pages name their language in its address."""
    wanted = request.GET.get("lang", "")
    codes = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in codes else (translation.get_language() or settings.LANGUAGE_CODE)


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    language = _language(request)
    with translation.override(language):
        data = {
            "id": "/",
            "name": _("Citizen Portal"),
            "short_name": _("Citizen Portal"),
            "description": _(
                "Citizen Portal — every complaint reaches the office that can act on it."
            ),
            "lang": language,
            "dir": "rtl" if translation.get_language_bidi() else "ltr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "categories": ["government", "utilities"],
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-cache"
    return response


@lru_cache(maxsize=1)
def _worker_source() -> str:
    return SERVICE_WORKER_SOURCE.read_text("utf-8")


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """At the site's root, so that its scope is the whole site. `no-cache`: the browser asks
    every time it checks for an update, and a new version (any change to the shell) is seen
    on the next page the citizen opens."""
    source = SERVICE_WORKER_SOURCE.read_text("utf-8") if settings.DEBUG else _worker_source()
    config = json.dumps(service_worker_config(), ensure_ascii=False, sort_keys=True)
    response = HttpResponse(
        f"self.PORTAL = {config};\n{source}", content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it does not hold while there is no network.
    The same for everyone (no account, no CSRF token): it is stored once for the browser."""
    response = HttpResponse(render_offline_page(_language(request)))
    response["Cache-Control"] = "no-cache"
    return response
