"""One request of the access matrix: the kinds of user it names, how it is sent as each of them
(`ask`), and how its answer is judged: let through, or refused the way the portal refuses (sent
to log in, 401, 403, 404 or 405)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpResponseBase
from django.test import Client
from django.test.client import ClientHandler
from django.urls import reverse

from tests.access.objects import ROLES, Objects

ALL = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
SIGNED_IN = ALL - {"anonymous"}
CITIZENS = frozenset({"owner", "other_citizen"})
STAFF = SIGNED_IN - CITIZENS
CHAIN = frozenset({"holder", "supervisor", "focal"})  # the complaint's office and those above it
# Who may read the owner's complaint at all; a probe names others who may read its objects.
PARTIES = CHAIN | {"owner"}
OWNER = frozenset({"owner"})
HOLDER = frozenset({"holder"})
FOCAL = frozenset({"focal"})
ADMIN = frozenset({"admin"})
AGENT = frozenset({"agent"})
CLERK = frozenset({"clerk"})
# Leadership (analytics/access.py): a role with the figures permission sees every dashboard,
# officer's report and integrity flag of its tier, or of the nation when it has no tier scope.
LEADERSHIP = ADMIN | {"analyst"}
# Who may open the figures at all: whoever holds a post (their own office and below) and
# leadership. Helpline agents and mail-room operators hold no post: no figures.
FIGURES = CHAIN | {"stranger"} | LEADERSHIP

REFUSALS = {401, 403, 404, 405}
LOGIN_PAGES = {"/accounts/login/", "/accounts/staff/login/", "/admin/login/"}


def no_args(o: Objects) -> list[Any]:
    return []


@dataclass(frozen=True)
class Probe:
    """`route` is the resolver's key (routes.py); `allowed` the roles let through; `sees` the
    roles whose answer may carry the objects' text (by default the allowed parties to the
    complaint); `session` what the role's session holds before the request (a helpline agent's
    caller); `refused_with` statuses that also count as a refusal on this route (a scope form
    that answers 400 for a department out of reach); `xfail` the reason, per role, when a known
    defect lets that role through (strict: the test fails once the defect is fixed)."""

    route: str
    allowed: frozenset[str]
    method: str = "GET"
    args: Callable[[Objects], list[Any]] = no_args
    path: Callable[[Objects], str] | None = None
    query: str = ""
    data: dict[str, Any] | None = None
    label: str = ""
    sees: frozenset[str] | None = None
    session: Callable[[Objects], dict[str, Any]] | None = None
    refused_with: frozenset[int] = frozenset()
    xfail: dict[str, str] | None = None

    @property
    def name(self) -> str:
        return f"{self.method} {self.route}{'[' + self.label + ']' if self.label else ''}"

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api")

    def url(self, o: Objects) -> str:
        address = self.path(o) if self.path else reverse(self.route, args=self.args(o))
        return f"{address}?{self.query}" if self.query else address

    def readers(self) -> frozenset[str]:
        return self.sees if self.sees is not None else self.allowed & PARTIES

    def refused(self, response: HttpResponseBase) -> bool:
        return response.status_code in self.refused_with or refused(response)


def refused(response: HttpResponseBase) -> bool:
    """Refused as the portal refuses: 401, 403, 404, 405, or a redirect to a login page."""
    if response.status_code in REFUSALS:
        return True
    if response.status_code in (301, 302, 303):
        return urlsplit(response["Location"]).path in LOGIN_PAGES
    return False


def body(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined,no-any-return]


# Every request comes from an address outside every allow-list (TEST-NET-3, RFC 5737): the test
# client's default 127.0.0.1 is one /metrics admits, which would let "anonymous" scrape it.
CLIENT_ADDRESS = "203.0.113.7"


@cache
def _handler() -> ClientHandler:
    """One request handler for the whole matrix: building one loads the middleware, and
    WhiteNoise's walks every static file, which per request would be most of the run's time."""
    return ClientHandler(enforce_csrf_checks=False)


def ask(objects: Objects, probe: Probe, role: str) -> HttpResponseBase:
    """The probe's request as `role`: a signed-in session on the website, the role's own bearer
    token on the API (nothing for anonymous). Forms are posted without a CSRF token, which the
    test client does not check: the matrix is about who gets through, not about CSRF."""
    client = Client(REMOTE_ADDR=CLIENT_ADDRESS)
    client.handler = _handler()
    user = objects.users[role]
    headers: dict[str, str] = {}
    if probe.is_api:
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {objects.tokens[role]}"
    elif user is not None:
        client.force_login(user)
    if probe.session is not None:
        session = client.session
        session.update(probe.session(objects))
        session.save()
    url = probe.url(objects)
    if probe.method == "GET":
        return client.get(url, **headers)  # type: ignore[arg-type]
    if probe.is_api:
        payload = json.dumps(probe.data or {})
        return client.post(url, payload, content_type="application/json", **headers)  # type: ignore[arg-type]
    return client.post(url, probe.data or {}, **headers)  # type: ignore[arg-type]
