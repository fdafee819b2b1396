"""Prepare the load client against a running portal: API tokens for citizens and an officer,
a deep inbox cursor (by following `next`), and a complaint to read. Prints shell assignments.

Run with the portal's environment:
python -m bench.prepare_load BASE_URL CITIZENS DEPTH TOKENS_FILE
The citizens' tokens go to TOKENS_FILE, one a line (thousands are more than an environment
variable may hold); the rest is printed."""

from __future__ import annotations

import http.client
import json
import shlex
import sys
from typing import Any
from urllib.parse import urlsplit

import django

from bench.busiest import busiest_department

OFFICER = "lesco.se"


def _get(base: str, path: str, token: str) -> dict[str, Any]:
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {response.read()[:300]!r}")
    body: dict[str, Any] = json.load(response)
    connection.close()
    return body


def _tokens(citizens: int) -> tuple[list[str], str]:
    # Imported after django.setup(): the models need the app registry.
    from citizen_portal.accounts.models import Role, User
    from citizen_portal.api.services.tokens import token_issue

    users = User.objects.filter(role=Role.CITIZEN, is_active=True).order_by("pk")[:citizens]
    raws = [token_issue(user=user, label="bench")[1] for user in users]
    officer = User.objects.get(username=OFFICER)
    return raws, token_issue(user=officer, label="bench", second_factor=True)[1]


def _leadership() -> tuple[str, str]:
    """A national analyst's session cookie (the dashboards are pages, not API), and the
    dashboard of the department with the most complaints."""
    from django.conf import settings
    from django.test import Client

    from citizen_portal.accounts.models import Role, User

    analyst, _created = User.objects.get_or_create(
        username="bench.leadership", defaults={"role": Role.ANALYST, "full_name": "Bench"}
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(analyst)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return cookie, f"/analytics/department/{busiest_department()}/?preset=12m"


def _warm(base: str, cookie: str, paths: list[str], times: int = 15) -> None:
    """Ask for each dashboard a few times on fresh connections, so that every web worker has
    read the map's boundary file before the load starts (a worker's first map costs about a
    second; a 3-second smoke scenario would otherwise measure that)."""
    for path in paths:
        for _ in range(times):
            connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=60)
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                raise SystemExit(f"GET {path}: {response.status}")


def _warm_suggestions(base: str, token: str, times: int = 15) -> None:
    """Ask for category suggestions a few times on fresh connections, so that every web
    worker has loaded the suggestion model (a worker's first suggestion reads it from the
    database) before the load starts."""
    body = json.dumps({"text": "my electricity bill is too high this month"})
    for _ in range(times):
        connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=60)
        connection.request(
            "POST",
            "/api/v1/categories/suggest/",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            raise SystemExit(f"POST /api/v1/categories/suggest/: {response.status}")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def main() -> None:
    base, tokens_file = sys.argv[1], sys.argv[4]
    citizens, depth = int(sys.argv[2]), int(sys.argv[3])
    django.setup()
    citizen_tokens, officer_token = _tokens(citizens)
    with open(tokens_file, "w") as out:
        out.writelines(token + "\n" for token in citizen_tokens)
    page = _get(base, "/api/v1/work/", officer_token)
    reference = page["results"][0]["reference"]
    # Steps 1..depth: follow `next` to a deep page; a small data set may run out first.
    deep, reached = "/api/v1/work/", 0
    while reached < depth and page.get("next"):
        deep = _path(page["next"])
        page = _get(base, deep, officer_token)
        reached += 1
    cookie, department = _leadership()
    _warm(base, cookie, ["/analytics/nation/0/?preset=12m", department, "/transparency/"])
    _warm_suggestions(base, citizen_tokens[0])
    values = {
        "LEADERSHIP_COOKIE": cookie,
        "DEPARTMENT_PATH": department,
        "CITIZEN_TOKENS_FILE": tokens_file,
        "CITIZENS_WITH_TOKENS": str(len(citizen_tokens)),
        "OFFICER_TOKEN": officer_token,
        "DEEP_PATH": deep,
        "DEEP_PAGES": str(reached),
        "DETAIL_PATH": f"/api/v1/work/{reference}/",
    }
    for name, value in values.items():
        print(f"{name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
