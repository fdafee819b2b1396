"""Every kind of answer carries the Content-Security-Policy and Permissions-Policy, strict
(no inline script or style, no framing); a file served from a complaint keeps its own sandbox;
the browser's violation reports are counted and logged without query strings. The browser
tests (tests/browser/conftest.py) check that the policy blocks nothing on the pages they
visit."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse

from citizen_portal.core.metrics.instruments import CSP_VIOLATIONS
from citizen_portal.core.security_headers import CONTENT_SECURITY_POLICY


def directives(header: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in header.split("; ")}


def test_the_policy_allows_no_inline_script_or_style_no_eval_and_no_framing():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, "/transparency/"),
        (None, "/no-such-page/"),
        (None, "/api/v1/tiers/"),
        (None, "/open311/v2/services.json"),
        (None, "/api/docs/"),
        ("citizen", "/complaints/"),
        ("officer", "/complaints/work/"),
    ],
)
def test_every_kind_of_page_carries_the_policies(client, world, who, path):
    if who == "citizen":
        client.force_login(world.citizen)
    elif who == "officer":
        client.force_login(world.officers.se)
    answer = client.get(path)
    assert answer.status_code in (200, 401, 403, 404), (path, answer.status_code)
    assert answer["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "camera=()" in answer["Permissions-Policy"]
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["Cross-Origin-Opener-Policy"] == "same-origin"
    assert answer["X-Frame-Options"] == "DENY"


def test_the_api_reference_page_runs_no_inline_script(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page
    assert "<style" not in page
    script = client.get("/api/docs/?script")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def _counted() -> float:
    return sum(
        s.value for m in CSP_VIOLATIONS.collect() for s in m.samples if s.name.endswith("_total")
    )


def test_a_violation_report_is_counted_and_logged_without_its_query_string(client, caplog):
    before = _counted()
    report = {
        "csp-report": {
            "document-uri": "https://portal.example.gov.pk/complaints/?phone=03001112233",
            "blocked-uri": "https://evil.example/x.js?c=secret",
            "effective-directive": "script-src-elem",
            "violated-directive": "script-src-elem",
        }
    }
    with caplog.at_level(logging.WARNING, logger="citizen_portal.core.security_headers"):
        answer = client.post(
            reverse("core:csp_report"), json.dumps(report), content_type="application/csp-report"
        )
    assert answer.status_code == 204
    assert _counted() == before + 1
    (record,) = [r for r in caplog.records if r.getMessage() == "csp violation"]
    assert record.page == "https://portal.example.gov.pk/complaints/"
    assert record.blocked == "https://evil.example/x.js"
    assert record.directive == "script-src-elem"
    assert "03001112233" not in caplog.text
    assert "secret" not in caplog.text


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[1, 2]", b'{"csp-report": "x"}', b'{"csp-report": {}}']
)
def test_a_malformed_report_is_answered_204_and_never_an_error(client, body):
    answer = client.post(reverse("core:csp_report"), body, content_type="application/json")
    assert answer.status_code == 204


def test_only_posts_are_reports(client):
    assert client.get(reverse("core:csp_report")).status_code == 405
