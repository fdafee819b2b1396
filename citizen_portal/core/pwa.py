"""The Progressive Web App's server side: what the service worker keeps of the shell, the
version in its cache names, which pages it may keep for reading offline, and the opaque tag
that tells it whose pages and drafts it holds.

The shell is found, not listed: the offline page is rendered the way every page is (through
base.html), and every stylesheet, script and icon it references is precached, with what those
stylesheets reference. Fonts among those are kept the first time a page uses them rather than
precached: the Urdu faces weigh some 400 KB that an English reader never needs. A stylesheet
or font added to base.html by anyone is therefore in the shell without a change here, and
changing any of those files changes the version, which makes browsers install the new service
worker and drop the old shell.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac

SERVICE_WORKER_SOURCE = Path(__file__).with_name("service_worker.js")
OFFLINE_TEMPLATE = "core/offline.html"

# Pages a citizen may read offline (network first, the stored copy when the network fails),
# by URL name. Nothing else is ever stored: staff pages, the API, the login pages and every
# other page always go to the network.
OFFLINE_PAGES = frozenset(
    {"core:home", "core:offline_lodge", "complaints:mine", "complaints:detail"}
)
# Fetched in the background once per citizen and version, so that the list and the offline
# lodge form work offline even before the citizen has opened them on this device.
WARM_PAGES = ("complaints:mine", "core:offline_lodge")
# Offline, an address under the first (the step-by-step lodge form, which needs the server at
# every step) shows the stored copy of the second (one page, sent later in one go).
STAND_INS = (("complaints:lodge", "core:offline_lodge"),)
# Form posts the service worker keeps and sends later when the network fails: plain (not
# htmx) posts that carry an `idempotency_key`. The offline form carries the whole complaint;
# the step-by-step form's last step carries only the key (its draft is on the server).
QUEUED_SUBMISSIONS = ("core:offline_lodge", "complaints:lodge_review")
# The detail page's address, to read the reference from the page a successful lodge lands on.
DETAIL_PATTERN = r"^/complaints/([A-Za-z0-9-]+)/$"


def user_tag(user: Any) -> str:
    """An opaque, stable tag for a signed-in user ("" for nobody): the service worker keeps
    stored pages and drafts under it and drops them when another user signs in. It reveals
    nothing about the account (a keyed hash of its id)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("citizen_portal.pwa.user", str(user.pk)).hexdigest()[:20]


# --- What a page references -----------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    kind: str  # "style", "script", "icon", "image", "preload", "manifest", "other"
    url: str


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "script" and named.get("src"):
            self.found.append(Reference("script", named["src"]))
        elif tag == "link" and named.get("href"):
            rel = set(named.get("rel", "").lower().split())
            if "stylesheet" in rel:
                kind = "style"
            elif rel & {"icon", "apple-touch-icon", "mask-icon"}:
                kind = "icon"
            elif rel & {"preload", "modulepreload"}:
                kind = "preload"
            elif "manifest" in rel:
                kind = "manifest"
            else:
                kind = "other"
            self.found.append(Reference(kind, named["href"]))
        elif tag in {"img", "source", "video", "audio", "iframe", "embed"}:
            for key in ("src", "srcset", "poster"):
                if named.get(key):
                    self.found.append(Reference("image", named[key].split()[0]))


def page_references(html: str) -> list[Reference]:
    """Every script, stylesheet, icon, preload and embedded resource a page asks for."""
    parser = _References()
    parser.feed(html)
    parser.close()
    return parser.found


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def stylesheet_references(css: str, base: str) -> list[str]:
    """The addresses a stylesheet asks for (fonts, images, imports), resolved against it."""
    found = []
    for match in _CSS_URL.finditer(css):
        url = (match.group(2) or match.group(4) or "").strip()
        if url and not url.startswith(("data:", "#")):
            found.append(urljoin(base, url))
    return found


def is_same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def static_name(url: str) -> str | None:
    """The static file's name for an address under STATIC_URL, or None."""
    prefix = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    path = urlsplit(url).path
    return path[len(prefix) :] if is_same_origin(url) and path.startswith(prefix) else None


def static_bytes(url: str) -> bytes | None:
    """The content of a static file as the site serves it: from the collected, hashed files
    when the storage has them, otherwise from the finders (development)."""
    name = static_name(url)
    if name is None:
        return None
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return bytes(handle.read())
    found = finders.find(name)
    if isinstance(found, str):
        return Path(found).read_bytes()
    return None


# --- The shell ------------------------------------------------------------------------------


def offline_url(language: str) -> str:
    return f"{reverse('core:offline')}?lang={language}"


def render_offline_page(language: str) -> str:
    """The offline page as the service worker stores it: nobody signed in (the page is shared
    by whoever uses this browser) and in the given language."""
    context = {"user": AnonymousUser(), "unread_notifications": 0, "pwa_shared_page": True}
    with translation.override(language), warnings.catch_warnings():
        # Rendered outside a request, so without a CSRF token (the page must be the same for
        # everyone, and the same every time: it is part of the version). Its one form, the
        # language switch, cannot work offline anyway. In DEBUG, Django warns about it.
        warnings.filterwarnings("ignore", message=r"A \{% csrf_token %\} was used")
        return render_to_string(OFFLINE_TEMPLATE, context)


def shell_assets() -> list[str]:
    """Static addresses the shell needs: what the offline pages reference (stylesheets,
    scripts, icons, preloads) and what those stylesheets reference (fonts, images)."""
    assets: list[str] = []
    for language, _name in settings.LANGUAGES:
        for ref in page_references(render_offline_page(language)):
            if ref.kind != "manifest" and static_name(ref.url) and ref.url not in assets:
                assets.append(ref.url)
    for url in list(assets):
        if urlsplit(url).path.endswith(".css"):
            content = static_bytes(url) or b""
            for found in stylesheet_references(content.decode("utf-8", "replace"), url):
                if static_name(found) and found not in assets:
                    assets.append(found)
    return assets


def _config() -> dict[str, Any]:
    languages = [code for code, _name in settings.LANGUAGES]
    assets = shell_assets()
    config: dict[str, Any] = {
        "precache": [
            *(offline_url(code) for code in languages),
            *(url for url in assets if not _is_font(url)),
        ],
        "onDemand": [url for url in assets if _is_font(url)],
        "offline": {code: offline_url(code) for code in languages},
        "defaultLanguage": settings.LANGUAGE_CODE,
        "staticPrefix": reverse("core:home") + settings.STATIC_URL.lstrip("/"),
        # The current address of each shell file by its unhashed name, so that a stored page
        # that still names an older hashed file gets today's one when offline.
        "logical": {_unhashed(url): url for url in assets},
        "warm": [reverse(name) for name in WARM_PAGES],
        "queue": [reverse(name) for name in QUEUED_SUBMISSIONS],
        "standIns": [[reverse(prefix), reverse(page)] for prefix, page in STAND_INS],
        "list": reverse("complaints:mine"),
        "detailPattern": DETAIL_PATTERN,
        "logout": reverse("accounts:logout"),
        "loginPath": reverse("accounts:login"),
    }
    digest = hashlib.sha256(SERVICE_WORKER_SOURCE.read_bytes())
    digest.update(repr(sorted(config.items())).encode())
    for code in languages:
        digest.update(render_offline_page(code).encode())
    for url in assets:
        digest.update(url.encode() + b"\0" + (static_bytes(url) or b""))
    config["version"] = digest.hexdigest()[:12]
    return config


@lru_cache(maxsize=1)
def _config_cached() -> dict[str, Any]:
    return _config()


def service_worker_config() -> dict[str, Any]:
    """The service worker's configuration. Computed once per process; in DEBUG on every
    request, so that editing a stylesheet updates the shell without a restart."""
    return _config() if settings.DEBUG else _config_cached()


FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf")


def _is_font(url: str) -> bool:
    return urlsplit(url).path.endswith(FONT_EXTENSIONS)


_HASHED = re.compile(r"\.[0-9a-f]{12}(\.[A-Za-z0-9]+)$")


def _unhashed(url: str) -> str:
    """`/static/css/portal.3f2a9c1b7e4d.css` → `/static/css/portal.css` (Django's manifest
    storage puts 12 hex digits before the extension)."""
    return _HASHED.sub(r"\1", urlsplit(url).path)
