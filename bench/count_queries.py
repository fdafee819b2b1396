"""SQL queries per request for each portal scenario, counted in-process with Django's test
client against the benchmark database (same settings as the served portal). The paths and
tokens come from prepare_load's output in the environment. Prints `scenario<TAB>queries`."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:  # the test client's response type exists in the stubs only
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LODGE = {
    "category": "FED-LESCO.BILL.OVER",
    "area": "PK-PB-LHR-LHR",
    "subject": "Bill three times the usual",
    "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
}

SUGGEST = {
    "text": "My electricity bill is three times the usual this month",
    "district": "PK-PB-LHR-LHR",
}


def main() -> None:
    django.setup()
    # Imported after django.setup(): they need the app registry.
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    with open(os.environ["CITIZEN_TOKENS_FILE"]) as tokens:
        citizen = "Bearer " + tokens.readline().strip()
    officer = "Bearer " + os.environ["OFFICER_TOKEN"]

    def lodge() -> Response:
        key = secrets.token_hex(8)
        return client.post(
            "/api/v1/complaints/",
            json.dumps(LODGE),
            content_type="application/json",
            headers={"authorization": citizen, "idempotency-key": key},
        )

    def suggest() -> Response:
        return client.post(
            "/api/v1/categories/suggest/",
            json.dumps(SUGGEST),
            content_type="application/json",
            headers={"authorization": citizen},
        )

    def get(path: str, token: str = "") -> Callable[[], Response]:
        return lambda: client.get(path, headers={"authorization": token} if token else {})

    def page(path: str) -> Callable[[], Response]:
        name, value = os.environ["LEADERSHIP_COOKIE"].split("=", 1)
        return lambda: _with_cookie(client, name, value).get(path)

    scenarios: dict[str, Callable[[], Response]] = {
        "lodge": lodge,
        "inbox_first": get("/api/v1/work/", officer),
        "inbox_deep": get(os.environ["DEEP_PATH"], officer),
        "detail": get(os.environ["DETAIL_PATH"], officer),
        "open311_requests": get("/open311/v2/requests.json"),
        "open311_request": get(os.environ["OPEN311_PATH"]),
        "dashboard_nation": page("/analytics/nation/0/?preset=12m"),
        "dashboard_department": page(os.environ["DEPARTMENT_PATH"]),
        "transparency": get("/transparency/"),
        "suggest": suggest,
    }
    for name, send in scenarios.items():
        send()  # the first request of a process also fills caches; count the second
        with CaptureQueriesContext(connection) as queries:
            response = send()
        assert 200 <= response.status_code < 300, (name, response.content[:300])
        print(f"{name}\t{len(queries)}")


def _with_cookie(client: Client, name: str, value: str) -> Client:
    client.cookies[name] = value
    return client


if __name__ == "__main__":
    main()
