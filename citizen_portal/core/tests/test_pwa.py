"""The app's server side (core/pwa.py, views_pwa.py, logout.py): the manifest in the page's
language, the icons it names, the service worker at the root with its precache and version,
the offline page that belongs to nobody, which pages may be kept offline, and logging out
telling the browser to forget what it stored."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import pwa
from citizen_portal.core.icons import ICONS, icons_write
from citizen_portal.core.logout import CLEAR_SITE_DATA
from citizen_portal.directory.tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def _worker(client) -> tuple[dict[str, Any], str]:
    response = client.get("/sw.js")
    assert response.status_code == 200
    text = response.content.decode()
    first, _newline, source = text.partition("\n")
    assert first.startswith("self.PORTAL = ")
    assert first.endswith(";")
    return json.loads(first.removeprefix("self.PORTAL = ").removesuffix(";")), source


def _page_config(response) -> dict[str, Any]:
    found = re.search(
        r'<script id="pwa-config" type="application/json">([^<]*)</script>',
        response.content.decode(),
    )
    assert found is not None
    config: dict[str, Any] = json.loads(found.group(1))
    return config


# --- The manifest and its icons -------------------------------------------------------------


def test_the_manifest_names_the_app_in_english(client):
    response = client.get("/manifest.webmanifest?lang=en")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "Citizen Portal"
    assert (manifest["lang"], manifest["dir"]) == ("en", "ltr")
    assert (manifest["start_url"], manifest["scope"], manifest["id"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#01411c"


def test_the_manifest_follows_the_language_right_to_left_in_urdu(client):
    manifest = client.get("/manifest.webmanifest?lang=ur").json()
    assert manifest["name"] == manifest["short_name"] == "سٹیزن پورٹل"
    assert (manifest["lang"], manifest["dir"]) == ("ur", "rtl")
    # Without ?lang=, the visitor's own language.
    client.cookies["portal_language"] = "ur"
    assert client.get("/manifest.webmanifest").json()["lang"] == "ur"


def test_every_page_links_the_manifest_in_its_own_language(client):
    client.cookies["portal_language"] = "ur"
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=ur">' in html
    assert '<meta name="theme-color" content="#01411c">' in html


def test_the_icons_are_the_sizes_the_manifest_says(client):
    manifest = client.get("/manifest.webmanifest").json()
    purposes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert isinstance(path, str), icon["src"]
        image = Image.open(path)
        assert f"{image.width}x{image.height}" == icon["sizes"]
        corner = image.convert("RGBA").getpixel((0, 0))
        assert isinstance(corner, tuple)
        if icon.get("purpose") == "maskable":
            # Fills its square: the launcher cuts its own shape out of it.
            assert corner == (1, 65, 28, 255)
        else:
            assert corner[3] == 0  # rounded corners, transparent


def test_the_icon_command_draws_every_icon(tmp_path: Path):
    written = icons_write(directory=tmp_path)
    assert sorted(path.name for path in written) == sorted(ICONS)
    for path in written:
        size, _maskable = ICONS[path.name]
        assert Image.open(io.BytesIO(path.read_bytes())).size == (size, size)


# --- The service worker -----------------------------------------------------------------------


def test_the_worker_is_served_from_the_root_and_never_from_a_stale_copy(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    config, source = _worker(client)
    assert "self.addEventListener('fetch'" in source
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])


def test_the_shell_holds_what_every_page_loads_and_the_fonts_its_stylesheets_name(client):
    config, _source = _worker(client)
    home = client.get("/").content.decode()
    loaded = {
        ref.url
        for ref in pwa.page_references(home)
        if ref.kind in {"style", "script", "icon"} and pwa.static_name(ref.url)
    }
    assert loaded
    assert loaded <= set(config["precache"])
    assert {"/offline/?lang=en", "/offline/?lang=ur"} <= set(config["precache"])
    # The fonts are kept when first used, not precached: English readers never load them.
    assert not [url for url in config["precache"] if url.endswith(pwa.FONT_EXTENSIONS)]
    fonts = config["onDemand"]
    assert fonts
    assert all(url.endswith(pwa.FONT_EXTENSIONS) for url in fonts)
    for url in fonts:
        assert client.get(url).status_code == 200, url


def test_changing_a_shell_file_changes_the_version(monkeypatch):
    before = pwa._config()["version"]
    real = pwa.static_bytes

    def edited(url: str) -> bytes | None:
        content = real(url)
        return content + b"/* edited */" if url.endswith(".css") and content else content

    monkeypatch.setattr(pwa, "static_bytes", edited)
    assert pwa._config()["version"] != before


def test_the_offline_page_is_the_same_for_everyone_and_belongs_to_nobody(client, world):
    anonymous = client.get("/offline/?lang=ur")
    client.force_login(world.citizen)
    signed_in = client.get("/offline/?lang=ur")
    assert anonymous.content == signed_in.content
    html = signed_in.content.decode()
    assert 'dir="rtl"' in html
    assert "csrfmiddlewaretoken" not in html
    assert world.citizen.full_name not in html
    config = _page_config(signed_in)
    assert (config["user"], config["store"], config["shared"]) == (None, False, True)


# --- Which pages may be kept offline ------------------------------------------------------


def test_a_citizens_own_pages_may_be_kept_under_their_tag(client, world):
    complaint = lodge(world)
    client.force_login(world.citizen)
    tag = pwa.user_tag(world.citizen)
    for url in ["/", "/complaints/", f"/complaints/{complaint.reference}/", "/offline/lodge/"]:
        config = _page_config(client.get(url))
        assert (config["user"], config["store"]) == (tag, True), url
    # Not the account page, nor the step-by-step form (it needs the server at every step).
    for url in ["/accounts/me/", "/complaints/new/", "/notifications/"]:
        assert _page_config(client.get(url))["store"] is False, url


def test_no_staff_page_and_nothing_before_signing_in_is_ever_kept(client, world):
    assert _page_config(client.get("/"))["user"] == ""
    assert _page_config(client.get("/accounts/login/"))["store"] is False
    client.force_login(world.officers.se)
    for url in ["/", "/work/"]:
        config = _page_config(client.get(url))
        # Tagged, so that the worker forgets a citizen's pages when an officer signs in here.
        assert (config["user"], config["store"]) == (pwa.user_tag(world.officers.se), False), url


def test_the_tag_tells_accounts_apart_without_naming_them(world):
    tag = pwa.user_tag(world.citizen)
    assert tag == pwa.user_tag(world.citizen)
    assert tag != pwa.user_tag(world.other_citizen)
    # A keyed hash: nothing in it says which account it is.
    assert re.fullmatch(r"[0-9a-f]{20}", tag)
    assert pwa.user_tag(None) == ""


def test_the_words_the_script_shows_come_in_the_pages_language(client, world):
    client.force_login(world.citizen)
    client.cookies["portal_language"] = "ur"
    config = _page_config(client.get("/complaints/"))
    assert config["lang"] == "ur"
    assert set(config["strings"]) >= {"offlineCopy", "waiting", "sent", "queueTitle"}
    assert "%(time)s" in config["strings"]["offlineCopy"]


# --- Logging out ----------------------------------------------------------------------------


def test_logging_out_tells_the_browser_to_forget_what_it_stored(client, world):
    client.force_login(world.citizen)
    assert "Clear-Site-Data" not in client.get("/complaints/")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    # Cookies stay: the trusted-device cookie and the language outlive the session.
    assert '"cookies"' not in CLEAR_SITE_DATA
    assert '"*"' not in CLEAR_SITE_DATA


def test_signing_in_does_not_clear_anything(client):
    CitizenFactory(phone="+923001234567")
    response = client.post("/accounts/login/", {"phone": "0300 1234567", "password": "x"})
    assert "Clear-Site-Data" not in response


# --- Production static files ------------------------------------------------------------------

_SHELL_IN_PRODUCTION = """
import json
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
html = client.get('/').content.decode()
worker = client.get('/sw.js').content.decode().partition(chr(10))[0]
config = json.loads(worker.removeprefix('self.PORTAL = ').removesuffix(';'))
print(json.dumps({'home': html, 'precache': config['precache']}))
"""


def test_production_serves_hashed_compressed_files_and_the_worker_precaches_them(tmp_path):
    """STATIC_MANIFEST (on with DEPLOYMENT=production): collectstatic writes hashed names and
    gzip copies, the pages and the worker name the hashed files; `make run` is untouched."""
    env = {
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "STATIC_MANIFEST": "1",
        "DJANGO_SETTINGS_MODULE": "citizen_portal.settings",
        "PATH": "/usr/bin:/bin",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    done = subprocess.run(  # noqa: S603
        [*manage, "collectstatic", "--noinput", "-v0"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    shown = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", _SHELL_IN_PRODUCTION], env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    result = json.loads(shown.stdout.strip().splitlines()[-1])
    assert re.search(r'/static/css/portal\.[0-9a-f]{12}\.css"', result["home"])
    statics = [url for url in result["precache"] if url.startswith("/static/")]
    assert statics
    for url in statics:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        assert (tmp_path / "static" / url.removeprefix("/static/")).exists(), url
    assert any((tmp_path / "static" / "js").glob("pwa.*.js.gz"))
