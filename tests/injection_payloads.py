"""The injection battery of tests/test_injection.py and tests/test_injection_channels.py: what
an attacker types into a text field, and the checks that it came out inert. One list, small
enough to run through every door."""

from __future__ import annotations

import email
import email.policy
import io
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from citizen_portal.complaints.models import Complaint
from citizen_portal.notifications.tests.helpers import sms_segments


@dataclass(frozen=True)
class Payload:
    name: str
    text: str
    # What must never reach a page as markup: the payload's own tag or handler, unescaped.
    danger: str = ""

    @property
    def description(self) -> str:
        """A description that starts with the payload (where a spreadsheet would read a
        formula) and is long enough for every form."""
        return f"{self.text} — my November bill is three times the usual."

    def __str__(self) -> str:
        return self.name


PAYLOADS = [
    Payload("script", "<script>alert(1)</script>", danger="<script>alert(1)"),
    Payload("img-onerror", '"><img src=x onerror=alert(1)>', danger="<img src=x onerror"),
    Payload("javascript-url", "javascript:alert(1) my meter"),
    Payload("svg-onload", "<svg/onload=alert(1)> meter", danger="<svg/onload"),
    Payload("template", "{{7*7}} and {% debug %} units"),
    Payload("sql-or", "' OR '1'='1"),
    Payload("sql-drop", "'; DROP TABLE complaints_complaint; --"),
    Payload("header", "Meter bill\r\nBcc: victim@example.com"),
    Payload("hyperlink", '=HYPERLINK("http://evil","x")'),
    Payload("dde", "+cmd|' /C calc'!A0"),
    Payload("at-sum", "@SUM(1+1) units"),
    Payload("minus", "-2+3 units billed"),
    Payload("urdu-markup", "بل <b onmouseover=alert(1)>زیادہ</b> آیا", danger="<b onmouseover"),
    Payload("rtl-override", "\u202egpj.exe bill for my meter"),
]
MARKUP = [p for p in PAYLOADS if p.danger]
# The helpline, mail-room and e-mail doors take the whole battery at once: each payload a line
# of the description, and one of them (SUBJECTS, one test each) the subject.
BATTERY = "\n".join(p.text.replace("\r\n", " ") for p in PAYLOADS)
SUBJECTS = [p for p in PAYLOADS if p.danger or p.name in ("header", "hyperlink", "sql-drop")]


def tidy(text: str) -> str:
    """Text as a one-line form field keeps it."""
    return " ".join(text.split())


def assert_battery_inert(html: str) -> None:
    """Every payload of BATTERY is shown escaped, none as markup."""
    for payload in PAYLOADS:
        assert_inert_html(html, payload.text.replace("\r\n", " "), payload.danger)


# Only what a cell may start with to be read as a formula, as exports/services/writing.py has it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def lines(text: str) -> list[str]:
    """The lines of `text` a page shows (a template may put <br> between them)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def assert_inert_html(page: str, text: str, danger: str = "") -> None:
    """`text` is on the page, escaped, and never as markup; no link runs script."""
    for line in lines(text):
        assert escape(line) in page, f"{line!r} is not shown escaped"
    if danger:
        assert danger not in page, f"{danger!r} reached the page as markup"
    assert 'href="javascript:' not in page.lower()
    assert "sql_queries" not in page  # what {% debug %} would have printed


def assert_plain_email(envelope: Any, *, to: list[str]) -> EmailMessage:
    """A notification e-mail: sent to its reader alone, with no header a citizen's text could
    have added, and plain text (no HTML part that could run anything)."""
    assert envelope.rcpt_tos == to
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # what the default policy parses into
    assert message["Bcc"] is None
    assert "victim@example.com" not in str(message["To"]) + str(message["Cc"] or "")
    for header, value in message.items():
        assert "\n" not in str(value).strip(), (header, value)
    assert message.get_content_type() == "text/plain"
    assert not message.is_multipart()
    return message


def assert_sane_sms(bodies: list[str]) -> None:
    """Each SMS is one line of plain text, a few segments at most."""
    assert bodies
    for body in bodies:
        assert "\r" not in body
        assert "\n" not in body
        assert sms_segments(body) <= 4, body


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, name: str, *args: Any) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def assert_tables_still_there() -> None:
    """After an SQL payload: the complaints table answers a query, and nothing was lost."""
    tables = connection.introspection.table_names()
    assert "complaints_complaint" in tables
    assert Complaint.objects.count() >= 1


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def assert_no_pdf_actions(content: bytes) -> None:
    """No script, launch, link or triggered action: what opening it does is show a page.
    (fpdf2's /OpenAction is a destination, [page /FitH null], not an action.)"""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    for marker in (b"/JavaScript", b"/JS", b"/AA", b"/Launch", b"/URI", b"/SubmitForm"):
        assert marker not in content, marker
    root = PdfReader(io.BytesIO(content)).trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    assert isinstance(root.get("/OpenAction", ArrayObject()), ArrayObject)
