"""The language is chosen at the first visit and remembered: the browser's Accept-Language
until then, the language cookie after, and for a citizen the account too. Dates and numbers
are written the way each language writes them."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from citizen_portal.accounts.models import User
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.templatetags.figures import figure

pytestmark = pytest.mark.django_db

COOKIE = "portal_language"
BANNER = 'class="language-choice"'


def _lang(page: str) -> str:
    match = re.search(r'<html lang="(\w+)" dir="(\w+)">', page)
    assert match
    return f"{match.group(1)}/{match.group(2)}"


def test_a_first_visit_offers_the_choice_in_the_browsers_language():
    client = Client()
    page = client.get("/", headers={"accept-language": "ur-PK,ur;q=0.9,en;q=0.8"}).content.decode()
    assert _lang(page) == "ur/rtl"
    assert BANNER in page
    assert 'value="en" lang="en" aria-pressed="false">English<' in page
    assert 'value="ur" lang="ur" aria-pressed="true">اردو<' in page
    english = Client().get("/", headers={"accept-language": "en-GB"}).content.decode()
    assert _lang(english) == "en/ltr"
    assert BANNER in english


def test_the_choice_is_kept_in_the_cookie_and_the_banner_goes(client):
    response = client.post(reverse("set_language"), {"language": "ur", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[COOKIE].value == "ur"
    assert response.cookies[COOKIE]["samesite"] == "Lax"
    # Everywhere after, whatever the browser asks for.
    page = client.get("/accounts/register/", headers={"accept-language": "en"}).content.decode()
    assert _lang(page) == "ur/rtl"
    assert BANNER not in page
    assert 'name="language" value="en" lang="en">English<' in page


def test_a_citizen_who_chooses_keeps_it_on_the_account(client, world):
    client.force_login(world.citizen)
    client.post(reverse("set_language"), {"language": "ur", "next": "/"})
    world.citizen.refresh_from_db()
    assert world.citizen.preferred_language == "ur"
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    world.citizen.refresh_from_db()
    assert world.citizen.preferred_language == "ur"


def test_on_a_new_device_a_citizens_pages_follow_the_account(world):
    User.objects.filter(pk=world.citizen.pk).update(preferred_language="ur")
    client = Client()
    client.force_login(world.citizen)
    response = client.get(reverse("complaints:mine"), headers={"accept-language": "en"})
    assert _lang(response.content.decode()) == "ur/rtl"
    assert BANNER not in response.content.decode()
    assert response.cookies[COOKIE].value == "ur"
    # The cookie stays after logging out, so the next page is in Urdu too.
    client.post(reverse("accounts:logout"))
    assert _lang(client.get("/").content.decode()) == "ur/rtl"


def test_the_choice_made_on_this_device_wins_over_the_account(world):
    User.objects.filter(pk=world.citizen.pk).update(preferred_language="ur")
    client = Client()
    client.cookies[COOKIE] = "en"
    client.force_login(world.citizen)
    assert _lang(client.get(reverse("complaints:mine")).content.decode()) == "en/ltr"


def test_staff_choosing_a_language_leaves_their_account_alone(client, world):
    client.force_login(world.officers.se)
    client.post(reverse("set_language"), {"language": "ur", "next": "/"})
    world.officers.se.refresh_from_db()
    assert world.officers.se.preferred_language == "en"


def test_the_api_keeps_to_accept_language(world):
    User.objects.filter(pk=world.citizen.pk).update(preferred_language="ur")
    client = Client()
    client.force_login(world.citizen)
    response = client.get(reverse("api-categories"), headers={"accept-language": "en"})
    assert response["Content-Language"] == "en"
    assert COOKIE not in response.cookies


def _render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_dates_are_written_day_month_year_in_each_language():
    day = date(2026, 11, 30)
    moment = datetime(2026, 3, 1, 14, 5, tzinfo=ZoneInfo("Asia/Karachi"))
    source = (
        '{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|'
        '{{ m|date:"DATETIME_FORMAT" }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}'
    )
    english = _render(source, "en", d=day, m=moment)
    assert english == "30 November 2026|30 Nov 2026|1 March 2026, 14:05|1 Mar 2026, 14:05"
    urdu = _render(source, "ur", d=day, m=moment)
    assert urdu == "30 نومبر 2026|30 نومبر 2026|1 مارچ 2026، 14:05|1 مارچ 2026، 14:05"


def test_numbers_are_grouped_in_lakhs_and_crores_in_urdu():
    with translation.override("ur"):
        assert figure(123456789) == "12,34,56,789"
        assert figure(1234.5, 1) == "1,234.5"
    with translation.override("en"):
        assert figure(123456789) == "123,456,789"


@pytest.mark.django_db(transaction=True)
def test_a_complaint_page_in_urdu_writes_its_dates_in_urdu(world, sms_outbox):
    complaint = lodge(world)
    client = Client()
    client.cookies[COOKIE] = "ur"
    client.force_login(world.citizen)
    page = client.get(reverse("complaints:detail", args=[complaint.reference])).content.decode()
    urdu_months = "جنوری|فروری|مارچ|اپریل|مئی|جون|جولائی|اگست|ستمبر|اکتوبر|نومبر|دسمبر"
    assert re.search(rf"\d{{1,2}} ({urdu_months}) \d{{4}}، \d\d:\d\d", page)
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", page)
