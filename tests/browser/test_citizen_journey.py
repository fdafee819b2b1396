"""The citizen's own pages in a real Chromium on a phone, in English and in Urdu (right to
left): logging in with a code on a new phone and out again, tracking complaints (who holds one
is a post, never a person) and the notifications. The officers' part is played through their
services. Screenshots go to test-artifacts/journey-*.png; pages test_accessibility.py does not
reach are checked by axe.

The account (number, language, the download of one's data) is in test_citizen_account.py; what
the citizen answers on a complaint (information, feedback, appeals) in
test_citizen_responses.py; a suggestion, and the portal on a slow mobile network, in
test_citizen_lodging.py."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from citizen_portal.accounts.models import User, mask_phone
from citizen_portal.complaints.services.officer_actions import (
    complaint_interim_reply,
    complaint_mark_down,
    complaint_request_info,
    complaint_resolve,
    complaint_return_up,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock
from citizen_portal.core.tests.journey import urdu_directory
from citizen_portal.notifications.models import Notification
from tests.browser.helpers import (
    LANGUAGES,
    PASSWORD,
    Audit,
    day,
    direction,
    expect_language,
    expect_no_english,
    expect_no_names,
    give_password,
    people_and_posts,
    phone,
    reads_left_to_right,
    say,
    shot,
    shown,
    someone_elses_complaint,
)

# What the citizen and the officers write here, the only English an Urdu page may show.
WRITTEN = (
    "Bill three times the usual",  # complaints.tests.factories.lodge
    "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
    "The meter has to be tested.",
    "Billing disputes go to the CEO.",
    "What is your meter number?",
    "The bill has been corrected.",
)
URDU_SCRIPT = re.compile("[\u0600-\u06ff]")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in_with_the_form(page: Page, language: str, number: str, password: str) -> None:
    page.get_by_label(say("Mobile number", language)).fill(number)
    page.get_by_label(say("Password", language), exact=True).fill(password)
    page.locator("main form button[type=submit]").click()


# --- 0. Register -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_registers_with_a_mobile_number(
    browser: Browser, live_server: Any, world: Any, sms_outbox: Any, language: str
) -> None:
    if language == "ur":
        urdu_directory(world)  # districts and countries have Urdu names in the real data too
    base = live_server.url
    audit = Audit(language)
    page = phone(browser, base, language=language).new_page()
    page.goto(base + "/")
    expect_language(page, language)
    page.get_by_role("link", name=say("Register with your mobile number", language)).click()
    page.get_by_label(say("Mobile number", language)).fill("0321 7654321")
    page.get_by_role("button", name=say("Send me a code", language)).click()
    expect(
        page.get_by_role("heading", name=say("Enter your code", language), exact=True)
    ).to_be_visible()
    expect_no_english(page, language, WRITTEN)
    page.get_by_label(say("6-digit code", language)).fill(sms_outbox.last_code("+923217654321"))
    page.get_by_role("button", name=say("Continue", language)).click()
    name = "زینب بی بی" if language == "ur" else "Zainab Bibi"
    page.get_by_label(say("Full name", language)).fill(name)
    page.get_by_label(say("Gender", language)).select_option("female")
    page.get_by_label(say("Date of birth", language)).fill("1992-03-01")
    page.get_by_label(say("Document number", language)).fill("35202-7654321-4")
    page.get_by_label(say("Home district", language)).select_option(str(world.lahore.pk))
    # Two different passwords: refused in the page's language, nothing typed is lost.
    page.get_by_label(say("Password", language), exact=True).fill(PASSWORD)
    page.get_by_label(say("Password again", language)).fill(PASSWORD + "x")
    page.get_by_role("button", name=say("Create my account", language)).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label(say("Full name", language))).to_have_value(name)
    audit.check(page, "register: details refused")
    expect_no_english(page, language, (*WRITTEN, name))
    page.get_by_label(say("Password", language), exact=True).fill(PASSWORD)
    page.get_by_label(say("Password again", language)).fill(PASSWORD)
    shot(page, f"journey-{language}-0-register")
    page.get_by_role("button", name=say("Create my account", language)).click()
    expect(page.get_by_text(say("Your account is ready.", language))).to_be_visible()
    expect_language(page, language)
    citizen = User.objects.get(phone="+923217654321")
    assert citizen.full_name == name
    assert citizen.preferred_language == language
    audit.assert_clean()


# --- 1. Log in and log out ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_logs_in_with_a_code_on_a_new_phone_and_logs_out(
    browser: Browser, live_server: Any, world: Any, sms_outbox: Any, language: str
) -> None:
    give_password(world.citizen)
    base = live_server.url
    audit = Audit(language)
    context = phone(browser, base)  # a new phone: no cookie of ours yet
    page = context.new_page()
    page.goto(base + "/")
    page.locator(f'.language-choice button[value="{language}"]').click()
    expect_language(page, language)
    page.locator("nav").get_by_role("link", name=say("Log in", language)).click()
    expect(page.get_by_role("heading", name=say("Log in", language), exact=True)).to_be_visible()

    # A wrong password is refused, in the page's language, without saying which part is wrong.
    _log_in_with_the_form(page, language, "0300 111 2233", "not-my-password")
    expect(page.locator(".error-summary")).to_contain_text(
        say("The number or the password is not right.", language)
    )
    # The right one, on a phone never seen before: a code by SMS as well.
    _log_in_with_the_form(page, language, "0300 111 2233", PASSWORD)
    expect(
        page.get_by_role("heading", name=say("Enter your code", language), exact=True)
    ).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(
        say("This device is new to us: we sent a code to your number.", language)
    )
    expect(page.locator("main")).to_contain_text(mask_phone(world.citizen.phone))
    audit.check(page, "log in: code for a new phone")
    shot(page, f"journey-{language}-1-login-code")
    expect_no_english(page, language, WRITTEN)
    page.get_by_label(say("6-digit code", language)).fill(sms_outbox.last_code(world.citizen.phone))
    page.get_by_role("button", name=say("Continue", language)).click()
    expect(page).to_have_url(re.compile(r"/complaints/$"))
    expect(
        page.get_by_role("heading", name=say("My complaints", language), exact=True)
    ).to_be_visible()
    expect_language(page, language)
    shot(page, f"journey-{language}-2-logged-in")
    expect_no_english(page, language, WRITTEN)

    page.get_by_role("button", name=say("Log out", language)).click()
    expect(page).to_have_url(base + "/")
    expect(page.locator(".messages")).to_contain_text(say("You have logged out.", language))
    expect(page.locator("nav").get_by_role("link", name=say("Log in", language))).to_be_visible()
    expect(page.get_by_role("button", name=say("Log out", language))).to_have_count(0)
    audit.check(page, "home, just logged out")
    shot(page, f"journey-{language}-3-logged-out")
    expect_no_english(page, language, WRITTEN)
    page.goto(base + "/complaints/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/complaints/$"))

    # The same phone again: it is trusted now, so no second code, and back where it was going.
    sent = len(sms_outbox.messages())
    _log_in_with_the_form(page, language, "0300 111 2233", PASSWORD)
    expect(page).to_have_url(re.compile(r"/complaints/$"))
    expect(
        page.get_by_role("heading", name=say("My complaints", language), exact=True)
    ).to_be_visible()
    assert len(sms_outbox.messages()) == sent
    context.close()
    audit.assert_clean()


# --- 2. Track: the list, and one complaint with its timeline ---------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_tracks_complaints_and_sees_posts_never_officers_names(
    browser: Browser, live_server: Any, world: Any, language: str
) -> None:
    names = people_and_posts(world, language)
    se, ceo = world.officers.se, world.officers.ceo
    moved = lodge(world)
    expected = clock.today() + timedelta(days=12)
    complaint_interim_reply(
        complaint=moved, officer=se, expected_on=expected, reason="The meter has to be tested."
    )
    complaint_return_up(complaint=moved, officer=se, remark="Billing disputes go to the CEO.")
    waiting = lodge(world, category=world.billing)
    theirs = someone_elses_complaint(world)
    moved.refresh_from_db()
    context = phone(browser, live_server.url, language=language, user=world.citizen)
    page = context.new_page()

    page.goto(live_server.url + "/complaints/")
    expect_language(page, language)
    cards = page.locator("ul.cards > li.card")
    expect(cards).to_have_count(2)
    for complaint in (moved, waiting):
        card = cards.filter(has_text=complaint.reference)
        expect(card).to_contain_text(complaint.subject)
        expect(card).to_contain_text(say("With the office", language))
    expect(page.locator("main")).not_to_contain_text(theirs.reference)
    expect(page.locator("main")).not_to_contain_text(theirs.subject)
    expect_no_names(page, names)
    shot(page, f"journey-{language}-4-my-complaints")
    expect_no_english(page, language, WRITTEN)
    # Someone else's complaint, even by its address, is not found rather than refused.
    response = page.goto(f"{live_server.url}/complaints/{theirs.reference}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text(theirs.subject)
    page.go_back()

    page.get_by_role("link", name=re.compile(re.escape(moved.reference))).click()
    expect(page).to_have_url(re.compile(rf"/complaints/{moved.reference}/$"))
    summary = page.locator("dl.summary")
    now_with = shown(world.positions.ceo, language)
    expect(summary).to_contain_text(now_with)
    expect(summary).to_contain_text(say("Reply due by", language))
    assert moved.due_on is not None
    expect(summary).to_contain_text(day(moved.due_on, language))
    expect(page.locator(".notice")).to_have_text(
        say(
            "The office expects to give relief by %(date)s.", language, date=day(expected, language)
        )
    )
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(4)  # lodged, routed, the interim reply, given back up
    expect(timeline.last).to_contain_text(f"{say('Now with:', language)} {now_with}")
    expect(timeline.last).to_contain_text("Billing disputes go to the CEO.")
    expect(page.locator(".timeline")).to_contain_text("The meter has to be tested.")
    # English written by people reads left to right on an Urdu page too (its full stop last).
    for written in (
        page.locator("h1"),
        page.locator(".description"),
        timeline.last.locator("blockquote"),
    ):
        assert direction(written) == "ltr"
    expect_no_names(page, names)
    shot(page, f"journey-{language}-5-complaint-timeline")
    expect_no_english(page, language, WRITTEN)

    # The CEO marks it down to the engineer with instructions: the post shown changes; the
    # instructions (for officers only) and the people stay out of sight.
    complaint_mark_down(
        complaint=moved, officer=ceo, to=world.positions.se, instructions="Tariq, re-read it."
    )
    page.reload()
    expect(summary).to_contain_text(shown(world.positions.se, language))
    expect(page.locator("main")).not_to_contain_text("Tariq, re-read it.")
    expect_no_names(page, names)
    context.close()


# --- 7. Notifications -------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notifications_page_lists_what_happened_and_marks_it_read(
    browser: Browser, live_server: Any, world: Any, sms_outbox: Any, language: str
) -> None:
    names = people_and_posts(world, language)
    se = world.officers.se
    asked = lodge(world)  # lodged: one message
    complaint_request_info(complaint=asked, officer=se, question="What is your meter number?")
    resolved = lodge(world, category=world.billing)  # lodged: another
    complaint_resolve(complaint=resolved, officer=se, remark="The bill has been corrected.")
    someone_elses_complaint(world)
    told = list(Notification.objects.filter(user=world.citizen))
    assert len(told) == 4
    if language == "ur":  # written in the citizen's language
        assert all(URDU_SCRIPT.search(n.title) and URDU_SCRIPT.search(n.body) for n in told)
    audit = Audit(language)
    context = phone(browser, live_server.url, language=language, user=world.citizen)
    page = context.new_page()
    page.goto(live_server.url + "/complaints/")

    unread = page.locator("nav").get_by_role("link", name=say("Notifications", language))
    expect(unread).to_contain_text(say("%(n)s unread", language, n=4))
    unread.click()
    expect(
        page.get_by_role("heading", name=say("Notifications", language), exact=True)
    ).to_be_visible()
    cards = page.locator("ul.cards > li.card")
    expect(cards).to_have_count(4)
    expect(page.locator("li.card.unread")).to_have_count(4)
    for notification in told:
        expect(page.locator("main")).to_contain_text(notification.title)
    expect(page.locator("main")).not_to_contain_text(world.other_citizen.full_name)
    # The officer's question, quoted in the message, reads left to right in Urdu too.
    asking = cards.filter(has_text="What is your meter number?").locator(".notification-body")
    assert reads_left_to_right(asking, "What is your meter number?")
    expect_no_names(page, names)
    shot(page, f"journey-{language}-6-notifications")
    expect_no_english(page, language, WRITTEN)

    # Opening one marks it read and leads to its complaint.
    question = next(n for n in told if n.event and n.event.action == "request_info")
    page.get_by_role("button", name=question.title).click()
    expect(page).to_have_url(re.compile(rf"/complaints/{asked.reference}/$"))
    expect(page.locator("section.request")).to_contain_text("What is your meter number?")
    page.go_back()
    page.reload()
    expect(page.locator("li.card.unread")).to_have_count(3)
    expect(unread).to_contain_text(say("%(n)s unread", language, n=3))

    page.get_by_role("button", name=say("Mark all as read", language)).click()
    expect(page.locator("li.card.unread")).to_have_count(0)
    expect(cards).to_have_count(4)
    expect(page.get_by_role("button", name=say("Mark all as read", language))).to_have_count(0)
    expect(unread).to_have_text(say("Notifications", language))
    audit.check(page, "notifications, all read")
    shot(page, f"journey-{language}-7-notifications-read")
    expect_no_english(page, language, WRITTEN)
    assert not Notification.objects.filter(user=world.citizen, read_at=None).exists()
    context.close()
    audit.assert_clean()
