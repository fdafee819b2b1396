"""The first pages a citizen sees (home, log in, register) stay light on a phone: under 100 KB
of HTML, CSS and JavaScript once compressed, everything from the portal's own origin, and no
script that holds up the page. Fonts and images are apart (issue 9).

Counted as a phone on its first visit gets them: the page; every stylesheet and script it
names, through WhiteNoise as the site serves them (with what stylesheets import); the service
worker's script; and the offline pages the worker stores when it installs. Each is gzipped
(level 6, what a proxy typically uses; WhiteNoise's own files are smaller, at level 9)."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client

from citizen_portal.core.pwa import (
    is_same_origin,
    offline_url,
    page_references,
    static_name,
    stylesheet_references,
)

BUDGET = 100 * 1024
FIRST_PAGES = ["/", "/accounts/login/", "/accounts/register/"]
CODE = {"style", "script"}

pytestmark = pytest.mark.django_db


def _body(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    if isinstance(response, StreamingHttpResponse | FileResponse):
        return b"".join(response.streaming_content)
    return response.content


def _first_visit(client: Client, page: str) -> dict[str, bytes]:
    """Every HTML, CSS and JS address the first visit to `page` downloads, with its body."""
    html = _body(client, page)
    got = {page: html}
    refs = page_references(html.decode())
    pending = [ref.url for ref in refs if ref.kind in CODE or _is_code(ref.url)]
    while pending:
        url = pending.pop()
        if url in got:
            continue
        got[url] = _body(client, url)
        if urlsplit(url).path.endswith(".css"):
            for found in stylesheet_references(got[url].decode(), url):
                if urlsplit(found).path.endswith(".css"):
                    pending.append(found)
    got["/sw.js"] = _body(client, "/sw.js")
    for language in ("en", "ur"):
        got[offline_url(language)] = _body(client, offline_url(language))
    return got


def _is_code(url: str) -> bool:
    return urlsplit(url).path.endswith((".css", ".js", ".mjs"))


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("page", FIRST_PAGES)
def test_first_pages_weigh_under_100_kb_compressed(client, page, language):
    client.cookies["portal_language"] = language
    weights = {url: len(gzip.compress(body, 6)) for url, body in _first_visit(client, page).items()}
    total = sum(weights.values())
    listing = "\n".join(f"{size:>8} {url}" for url, size in sorted(weights.items()))
    assert total < BUDGET, f"{total} bytes compressed:\n{listing}"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocking: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        deferred = "defer" in named or "async" in named or named.get("type") == "module"
        if tag == "script" and named.get("src") and not deferred:
            self.blocking.append(str(named["src"]))


@pytest.mark.parametrize("page", FIRST_PAGES)
def test_first_pages_take_nothing_from_another_origin_and_no_script_blocks(client, page):
    html = _body(client, page).decode()
    for ref in page_references(html):
        assert is_same_origin(ref.url), f"{page} loads {ref.url} from another origin"
        if urlsplit(ref.url).path.endswith(".css"):
            css = _body(client, ref.url).decode()
            for found in stylesheet_references(css, ref.url):
                assert is_same_origin(found), f"{ref.url} loads {found} from another origin"
                assert static_name(found), f"{ref.url} names {found}, not a static file"
    scripts = _Scripts()
    scripts.feed(html)
    assert scripts.blocking == [], f"{page}: scripts that hold up rendering"


def test_the_budget_counts_what_the_pages_reference():
    """The counting itself: a page's stylesheet and script, and a stylesheet's import."""
    html = '<link rel="stylesheet" href="/static/a.css"><script src="/static/b.js" defer>'
    assert [(r.kind, r.url) for r in page_references(html)] == [
        ("style", "/static/a.css"),
        ("script", "/static/b.js"),
    ]
    css = "@import 'c.css'; @font-face { src: url(../fonts/d.woff2) }"
    assert stylesheet_references(css, "/static/css/a.css") == [
        "/static/css/c.css",
        urljoin("/static/css/a.css", "../fonts/d.woff2"),
    ]
    assert not is_same_origin("https://cdn.example.com/x.js")
    assert not is_same_origin("//cdn.example.com/x.js")
