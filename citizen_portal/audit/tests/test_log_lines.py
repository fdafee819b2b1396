"""Each record is also one JSON log line; a username typed with CR/LF or other control
characters cannot break it into two lines or forge a second record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.audit.models import AuditAction
from citizen_portal.audit.safe_text import escaped
from citizen_portal.audit.tests.conftest import records

pytestmark = pytest.mark.django_db

FORGED = 'lesco.se\r\n{"level": "INFO", "action": "login", "actor": "root"}\x1b[2J\u2028end'


def test_a_username_with_a_line_break_stays_on_one_escaped_line(client, world, audit_lines):
    client.post(reverse("accounts:staff_login"), {"username": FORGED, "password": "guess-1"})

    [failed] = records(AuditAction.LOGIN_FAILED)
    assert "\n" not in failed.actor_label
    assert "\r" not in failed.actor_label
    assert failed.actor_label.startswith("lesco.se\\r\\n{")
    lines = audit_lines.text().splitlines()
    assert len(lines) == 1
    [entry] = audit_lines.entries()
    assert entry["action"] == "login_failed"
    assert entry["actor"] == failed.actor_label
    assert "\\u001b" in entry["actor"]
    assert "\\u2028" in entry["actor"]
    assert "\u2028" not in lines[0]
    assert "\x1b" not in lines[0]
    assert entry["ip"] == "127.0.0.1"
    assert entry["request_id"]
    assert entry["audit_request_id"] == entry["request_id"]


def test_escaping_is_visible_and_cannot_be_faked_with_a_typed_backslash():
    assert escaped("a\\nb") == "a\\\\nb"  # typed backslash-n: not the escape of a line feed
    assert escaped("a\nb") == "a\\nb"
    assert escaped("\u202eevil") == "\\u202eevil"  # right-to-left override, shown as such
    assert escaped("عائشہ خان") == "عائشہ خان"  # Urdu stays readable
