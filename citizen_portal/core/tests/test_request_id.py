"""Every response carries an X-Request-ID, and every log line written while serving it carries
the same id, as the JSON log collector receives it (the `console` handler of settings.LOGGING).
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the portal's own log handler writes, with its filters and JSON formatter."""
    [console] = [h for h in logging.getLogger().handlers if h.name == "console"]
    assert isinstance(console, logging.StreamHandler)
    stream = io.StringIO()
    previous = console.setStream(stream)
    yield stream
    console.setStream(previous)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_without_an_id_gets_a_new_one(client):
    first, second = client.get("/livez"), client.get("/livez")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_id_is_kept(client):
    given = "4f9c2a7e-nginx-0001"
    assert client.get("/livez", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


@pytest.mark.parametrize(
    "given",
    ["short", "x" * 65, "has space in it", 'quote"injected', "line\\nbreak-0000", "ünïcödé-0000"],
)
def test_an_id_that_does_not_look_like_one_is_replaced(client, given):
    answer = client.get("/livez", HTTP_X_REQUEST_ID=given)["X-Request-ID"]
    assert answer != given
    assert re.fullmatch(r"[0-9a-f]{32}", answer)


@pytest.mark.django_db
def test_a_log_line_written_during_the_request_carries_the_responses_id(
    client, settings, tmp_path, log_lines
):
    # An attachment folder that cannot be made: the readiness check logs a warning from inside
    # the view.
    (tmp_path / "srv").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "srv" / "media"
    response = client.get("/readyz", HTTP_X_REQUEST_ID="req-from-nginx-42")
    assert response.status_code == 503
    [line] = [x for x in lines(log_lines) if x["logger"] == "citizen_portal.core.health"]
    assert line["message"] == "health check: attachment storage unreachable"
    assert line["request_id"] == response["X-Request-ID"] == "req-from-nginx-42"


def test_djangos_not_found_line_carries_it_too(client, log_lines):
    # Django writes "Not Found: …" after the middleware has returned.
    response = client.get("/no/such/page/")
    [line] = [x for x in lines(log_lines) if x["logger"] == "django.request"]
    assert line["message"] == "Not Found: /no/such/page/"
    assert line["request_id"] == response["X-Request-ID"]


def test_lines_written_outside_a_request_have_no_id(log_lines):
    logging.getLogger("citizen_portal.test").warning("between requests")
    [line] = lines(log_lines)
    assert "request_id" not in line
