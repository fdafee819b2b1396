"""Reporting an accessibility problem: checked, kept, e-mailed to the team over SMTP, limited
per address, and never a server error whatever is posted."""

from __future__ import annotations

import email
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from citizen_portal.accessibility.models import BarrierReport

pytestmark = pytest.mark.django_db(transaction=True)

REPORT = "/accessibility/report/"
TEAM = "accessibility@portal.example.gov.pk"
PROBLEM = "The date field on the register page is not read out by TalkBack."
URDU_PROBLEM = "رجسٹریشن کے صفحے پر تاریخ کا خانہ اسکرین ریڈر نہیں پڑھتا۔"


@pytest.fixture
def team(settings):
    settings.ACCESSIBILITY_REPORT_EMAIL = TEAM
    return TEAM


def _client(language: str = "en", address: str = "203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["portal_language"] = language
    return client


def _text(envelope) -> str:
    """The mail as its reader sees it: headers decoded, body out of its transfer encoding."""
    message = email.message_from_bytes(envelope.content, policy=default_policy)
    return f"{message['subject']}\n{message.get_content()}"


def test_the_report_form_is_at_its_own_address():
    assert reverse("accessibility:report") == REPORT


def test_a_report_is_kept_and_emailed_to_the_accessibility_team(team, smtp_server):
    response = _client("ur").post(
        REPORT,
        {
            "problem": URDU_PROBLEM,
            "page": "/accounts/register/details/",
            "technology": "Android, Chrome, TalkBack",
            "name": "عائشہ",
            "email": "Ayesha@Example.PK",
            "phone": "0300 1234567",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accessibility:statement")
    [report] = BarrierReport.objects.all()
    assert report.problem == URDU_PROBLEM
    assert report.page == "/accounts/register/details/"
    assert report.email == "ayesha@example.pk"
    assert report.phone == "+923001234567"
    assert report.language == "ur"
    assert report.user is None
    assert report.submitted_ip == "203.0.113.7"
    [envelope] = smtp_server
    assert envelope.rcpt_tos == [TEAM]
    mail = _text(envelope)
    assert f"Accessibility problem reported (#{report.pk})" in mail
    assert URDU_PROBLEM in mail
    assert "Android, Chrome, TalkBack" in mail
    assert "+923001234567" in mail
    assert f"/admin/accessibility/barrierreport/{report.pk}/change/" in mail


def test_the_sender_is_thanked_on_the_statement(team, smtp_server):
    response = _client().post(REPORT, {"problem": PROBLEM}, follow=True)
    html = response.content.decode()
    assert '<div role="status">' in html
    assert "Thank you. Your report has reached the team that runs the portal." in html
    assert "<h1>Accessibility statement</h1>" in html


def test_a_logged_in_citizens_report_is_tied_to_their_account(world, team, smtp_server):
    client = _client()
    client.force_login(world.citizen)
    client.post(REPORT, {"problem": PROBLEM})
    assert BarrierReport.objects.get().user == world.citizen


def test_a_landline_is_a_good_enough_way_back(team, smtp_server):
    _client().post(REPORT, {"problem": PROBLEM, "phone": "042 35761234"})
    assert BarrierReport.objects.get().phone == "+924235761234"


def test_a_refused_report_says_what_to_correct_and_keeps_nothing(team, smtp_server):
    response = _client().post(
        REPORT, {"problem": "broken", "email": "not-an-address", "phone": "12ab"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in html
    assert '<a href="#id_problem">What stopped you?</a>' in html
    assert "at least 10 characters" in html
    assert "Enter a valid email address." in html
    assert "Enter a valid phone number, e.g. 0300 1234567 or 042 35761234." in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    # What the sender typed stays in the form for them to correct.
    assert 'value="not-an-address"' in html
    assert BarrierReport.objects.count() == 0
    assert smtp_server == []


def test_the_form_in_urdu_reads_right_to_left():
    response = _client("ur").get(REPORT)
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in response.content.decode()


def test_reports_from_one_address_are_limited_per_hour(team, smtp_server, settings):
    settings.ACCESSIBILITY_REPORTS_PER_HOUR = 2
    client = _client(address="198.51.100.9")
    for _ in range(2):
        assert client.post(REPORT, {"problem": PROBLEM}).status_code == 302
    refused = client.post(REPORT, {"problem": PROBLEM})
    assert refused.status_code == 200
    assert "Too many reports were sent from your connection" in refused.content.decode()
    assert BarrierReport.objects.count() == 2
    assert len(smtp_server) == 2
    # Another address is not held back by the first one's reports …
    assert _client(address="198.51.100.10").post(REPORT, {"problem": PROBLEM}).status_code == 302
    # … and the first may send again once its reports are an hour old.
    BarrierReport.objects.update(created_at=F("created_at") - timedelta(minutes=61))
    assert client.post(REPORT, {"problem": PROBLEM}).status_code == 302
    assert BarrierReport.objects.count() == 4


def test_without_a_team_address_the_report_is_kept_for_the_admin_site(settings, smtp_server):
    settings.ACCESSIBILITY_REPORT_EMAIL = ""
    assert _client().post(REPORT, {"problem": PROBLEM}).status_code == 302
    assert BarrierReport.objects.count() == 1
    assert smtp_server == []


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"problem": "\x00" * 20, "page": "\x00", "email": "\x00@x.pk", "phone": "\x00"},
        {"problem": "x" * 100_000, "page": "p" * 5000, "technology": "t" * 5000},
        {"problem": "\u202e" * 20, "name": "<script>alert(1)</script>", "email": "a@" * 300},
        {"problem": PROBLEM, "phone": "+" + "9" * 40},
        {"problem": PROBLEM, "phone": "١٢٣٤٥٦٧٨٩٠١"},
        {"problem": ["a", "b"], "email": ["x@y.pk", "z"]},
    ],
)
def test_no_input_answers_with_a_server_error(team, smtp_server, data):
    assert _client().post(REPORT, data).status_code < 500
    assert _client("ur").post(REPORT, data).status_code < 500


def test_the_admin_lists_reports_and_marks_them_answered(team, smtp_server, admin_client):
    _client().post(REPORT, {"problem": PROBLEM})
    report = BarrierReport.objects.get()
    listing = admin_client.get(reverse("admin:accessibility_barrierreport_changelist"))
    assert listing.status_code == 200
    assert PROBLEM[:40] in listing.content.decode()
    admin_client.post(
        reverse("admin:accessibility_barrierreport_changelist"),
        {"action": "mark_answered", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.answered_at is not None
