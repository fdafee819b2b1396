"""The accessibility statement: in both languages, linked from the foot of every page, naming
the standard, the limits and the other ways to reach the portal's team that the operator set."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

STATEMENT = "/accessibility/"


def _client(language: str) -> Client:
    client = Client()
    client.cookies["portal_language"] = language
    return client


def _footer(html: str) -> str:
    match = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    assert match, "the page has no footer"
    return match.group(1)


def test_the_statement_lives_at_accessibility():
    assert reverse("accessibility:statement") == STATEMENT


def test_the_statement_names_the_standard_and_how_it_is_checked_in_english():
    response = _client("en").get(STATEMENT)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in html
    assert "<h1>Accessibility statement</h1>" in html
    assert "(WCAG) 2.2 at level AA" in html
    assert "axe-core" in html
    assert "Known limitations" in html
    assert "attach to complaints are shown as they were sent" in html
    assert f'href="{reverse("accessibility:report")}"' in html


def test_the_statement_in_urdu_reads_right_to_left():
    response = _client("ur").get(STATEMENT)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in html
    # The footer's line, already in the catalogue, shows that the page is rendered in Urdu.
    assert "سٹیزن پورٹل" in _footer(html)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_kind_of_page_links_to_the_statement_from_its_footer(world, language):
    client = _client(language)
    link = f'<a href="{STATEMENT}">'
    for path in ["/", reverse("accounts:login"), reverse("accessibility:report"), "/nowhere/"]:
        assert link in _footer(client.get(path).content.decode()), path
    client.force_login(world.citizen)
    assert link in _footer(client.get(reverse("complaints:mine")).content.decode())
    client.force_login(world.officers.se)
    assert link in _footer(client.get(reverse("complaints:inbox")).content.decode())


def test_the_contact_channels_the_operator_set_are_shown_as_links(settings):
    settings.PORTAL_HELPLINE = "+92 51 111-222-333"
    settings.PORTAL_CONTACT_EMAIL = "help@portal.example.gov.pk"
    settings.PORTAL_POSTAL_ADDRESS = "Citizen Portal Cell, Constitution Avenue, Islamabad"
    html = _client("en").get(STATEMENT).content.decode()
    assert '<a href="tel:+9251111222333"><bdi dir="ltr">+92 51 111-222-333</bdi></a>' in html
    assert 'href="mailto:help@portal.example.gov.pk"' in html
    assert "Citizen Portal Cell, Constitution Avenue, Islamabad" in html
    assert "has not published" not in html


def test_a_channel_left_unset_is_left_out_rather_than_shown_empty(settings):
    settings.PORTAL_HELPLINE = "0800-02345"
    settings.PORTAL_CONTACT_EMAIL = ""
    settings.PORTAL_POSTAL_ADDRESS = ""
    html = _client("en").get(STATEMENT).content.decode()
    assert 'href="tel:080002345"' in html
    assert "mailto:" not in html
    assert "<dt>Letter</dt>" not in html


def test_without_any_channel_the_statement_sends_people_to_the_report_form(settings):
    settings.PORTAL_HELPLINE = ""
    settings.PORTAL_CONTACT_EMAIL = ""
    settings.PORTAL_POSTAL_ADDRESS = ""
    html = _client("en").get(STATEMENT).content.decode()
    assert "has not published a helpline, e-mail address or postal address yet" in html
    assert "tel:" not in html


def test_the_promised_answer_time_follows_the_setting(settings):
    settings.ACCESSIBILITY_RESPONSE_WORKING_DAYS = 10
    html = _client("en").get(STATEMENT).content.decode()
    assert "we answer within 10 working days" in html
    settings.ACCESSIBILITY_RESPONSE_WORKING_DAYS = 1
    html = _client("en").get(reverse("accessibility:report")).content.decode()
    assert "we answer within 1 working day." in html
