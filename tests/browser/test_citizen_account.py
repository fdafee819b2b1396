"""The citizen's account in a real Chromium on a phone, in English and in Urdu (right to left):
changing the mobile number (and being told, in the page's language, what is wrong), choosing
the language (kept on the account), changing the e-mail address (with a code read from a real
SMTP server) and the name, and downloading one's data, which holds one's own complaints and
nobody else's. Screenshots go to test-artifacts/account-*.png; pages
test_accessibility.py does not reach are checked by axe."""

from __future__ import annotations

import email
import json
import re
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Browser, expect

from citizen_portal.accounts.models import mask_phone
from citizen_portal.complaints.services.officer_actions import (
    complaint_mark_down,
    complaint_resolve,
    complaint_return_up,
)
from citizen_portal.complaints.tests.factories import lodge
from tests.browser.helpers import (
    LANGUAGES,
    PASSWORD,
    Audit,
    expect_language,
    expect_no_english,
    give_password,
    people_and_posts,
    phone,
    say,
    shot,
    someone_elses_complaint,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- 8. My account: the language and the mobile number -----------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_changes_number_and_language_and_is_told_what_is_wrong(
    browser: Browser, live_server: Any, world: Any, sms_outbox: Any, language: str
) -> None:
    people_and_posts(world, language)
    give_password(world.citizen)
    base = live_server.url
    audit = Audit(language)
    context = phone(browser, base, language=language, user=world.citizen)
    page = context.new_page()
    page.goto(base + "/accounts/me/")
    expect(
        page.get_by_role("heading", name=say("My account", language), exact=True)
    ).to_be_visible()
    expect(page.locator("dl.summary")).to_contain_text(world.citizen.full_name)
    page.get_by_role("link", name=say("Change my mobile number", language)).click()

    number = page.get_by_label(say("Mobile number", language))
    password = page.get_by_label(say("Your password, to confirm", language))
    send = page.get_by_role("button", name=say("Send the codes", language))
    number.fill("12")
    password.fill("not-my-password")
    send.click()
    errors = page.locator(".error-summary")
    expect(errors).to_contain_text(say("Please correct the following:", language))
    expect(page.locator("#id_phone_error")).to_have_text(
        say("Enter a valid mobile number, e.g. 0300 1234567.", language)
    )
    expect(number).to_have_attribute("aria-invalid", "true")
    audit.check(page, "my account: change number, refused")
    shot(page, f"account-{language}-1-number-refused")
    expect_no_english(page, language)
    number.fill("0333 1112233")
    password.fill("not-my-password")
    send.click()
    expect(page.locator("#id_password_error")).to_have_text(
        say("That password is not right.", language)
    )
    password.fill(PASSWORD)
    send.click()
    expect(
        page.get_by_role("heading", name=say("Enter both codes", language), exact=True)
    ).to_be_visible()
    old_code = sms_outbox.last_code(world.citizen.phone)
    new_code = sms_outbox.last_code("+923331112233")
    page.get_by_label(say("Code sent to your current number", language)).fill(new_code)
    page.get_by_label(say("Code sent to your new number", language)).fill(new_code)
    page.get_by_role("button", name=say("Change the number", language)).click()
    expect(errors).to_contain_text(say("Please correct the following:", language))
    audit.check(page, "my account: both codes, one wrong")
    expect_no_english(page, language)
    page.get_by_label(say("Code sent to your current number", language)).fill(old_code)
    page.get_by_role("button", name=say("Change the number", language)).click()
    expect(page).to_have_url(re.compile(r"/accounts/me/$"))
    expect(page.locator(".messages")).to_contain_text(
        say("Your mobile number is changed.", language)
    )
    expect(page.locator("dl.summary")).to_contain_text(mask_phone("+923331112233"))
    audit.check(page, "my account: number changed")
    shot(page, f"account-{language}-2-number-changed")
    expect_no_english(page, language)
    world.citizen.refresh_from_db()
    assert world.citizen.phone == "+923331112233"

    # The other language, chosen here, is kept on the account: a new phone opens in it.
    other = "en" if language == "ur" else "ur"
    page.locator("form.language button").click()
    expect_language(page, other)
    expect(page.get_by_role("heading", name=say("My account", other), exact=True)).to_be_visible()
    world.citizen.refresh_from_db()
    assert world.citizen.preferred_language == other
    elsewhere = phone(browser, base, user=world.citizen).new_page()  # no language cookie
    elsewhere.goto(base + "/complaints/")
    expect_language(elsewhere, other)
    expect(
        elsewhere.get_by_role("heading", name=say("My complaints", other), exact=True)
    ).to_be_visible()
    elsewhere.context.close()
    context.close()
    audit.assert_clean()


# --- 8b. My account: the e-mail address and the name ------------------------------------------


class Texts:
    """What the pages show for msgids in `language`, like helpers.say, for a page whose strings
    may be newer than the Urdu catalogue: an untranslated msgid is what the page shows, so it
    is used to find things, and the test fails at its end naming every one (after the whole
    journey has run right to left)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.untranslated: list[str] = []

    def __call__(self, msgid: str) -> str:
        with translation.override(self.language):
            text = translation.gettext(msgid)
        if self.language != "en" and text == msgid and msgid not in self.untranslated:
            self.untranslated.append(msgid)
        return text


# The other new texts these pages show (the test finds nothing by them, but in Urdu they must
# not be English either).
ACCOUNT_TEXTS = (
    "Change my details",
    "Remove my e-mail address",
    "Back to my account",
    "We send a code to the new address. Your account takes the address once you enter the "
    "code, and the portal's e-mails then go there.",
    "We also tell your current address about the change, so that you would notice a change "
    "you did not make.",
    "Wrong address, or no code? Start again",
    "Officers see this name on your complaints, and messages to you begin with it.",
    "In Urdu or English letters, as officers should address you.",
)


def _mail_to(smtp_server: list[Any], address: str) -> list[Any]:
    return [
        email.message_from_bytes(envelope.content, policy=default_policy)
        for envelope in smtp_server
        if envelope.rcpt_tos == [address]
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_changes_e_mail_address_and_name(
    browser: Browser,
    live_server: Any,
    world: Any,
    sms_outbox: Any,
    smtp_server: list[Any],
    language: str,
) -> None:
    people_and_posts(world, language)
    give_password(world.citizen)
    citizen = world.citizen
    citizen.email, citizen.email_verified_at = "ayesha@example.pk", timezone.now()
    citizen.save(update_fields=["email", "email_verified_at"])
    new_name = "عائشہ صدیقی" if language == "ur" else "Ayesha K. Siddiqui"
    texts = Texts(language)
    for msgid in ACCOUNT_TEXTS:
        texts(msgid)
    base = live_server.url
    audit = Audit(language)
    context = phone(browser, base, language=language, user=citizen)
    page = context.new_page()
    page.goto(base + "/accounts/me/")
    expect(page.locator("dl.summary")).to_contain_text("ayesha@example.pk")
    page.get_by_role("link", name=texts("Change my e-mail address")).click()

    address = page.get_by_label(texts("New e-mail address"))
    password = page.get_by_label(say("Your password, to confirm", language))
    send = page.get_by_role("button", name=say("Send me a code by e-mail", language))
    address.fill("ayesha.siddiqui@example.pk")
    password.fill("not-my-password")
    send.click()
    expect(page.locator("#id_password_error")).to_have_text(
        say("That password is not right.", language)
    )
    audit.check(page, "my account: change e-mail, refused")
    shot(page, f"account-{language}-3-email-refused")
    expect_no_english(page, language, texts.untranslated)
    assert _mail_to(smtp_server, "ayesha.siddiqui@example.pk") == []
    password.fill(PASSWORD)
    send.click()
    expect(
        page.get_by_role("heading", name=say("Enter your code", language), exact=True)
    ).to_be_visible()
    expect(page.locator("#main")).to_contain_text("ayesha.siddiqui@example.pk")
    [code_mail] = _mail_to(smtp_server, "ayesha.siddiqui@example.pk")
    code = re.search(r"\b(\d{6})\b", code_mail.get_content())
    assert code is not None
    field = page.get_by_label(say("6-digit code", language))
    confirm = page.get_by_role("button", name=texts("Confirm my e-mail address"))
    field.fill(f"{(int(code.group(1)) + 1) % 10**6:06d}")
    confirm.click()
    expect(page.locator(".error-summary")).to_contain_text(
        say("Please correct the following:", language)
    )
    audit.check(page, "my account: e-mail code, wrong")
    expect_no_english(page, language, texts.untranslated)
    field.fill(code.group(1))
    confirm.click()
    expect(page).to_have_url(re.compile(r"/accounts/me/$"))
    expect(page.locator(".messages")).to_contain_text(
        texts("Your e-mail address is changed and confirmed.")
    )
    expect(page.locator("dl.summary")).to_contain_text("ayesha.siddiqui@example.pk")
    shot(page, f"account-{language}-4-email-changed")
    # The address given up is told, in the account's language.
    [notice] = _mail_to(smtp_server, "ayesha@example.pk")
    # A long Urdu subject is sent folded in encoded words, which unfold with a leading space.
    assert notice["subject"].strip() == texts(
        "The e-mail address of your Citizen Portal account was changed"
    )

    page.get_by_role("link", name=texts("Change my name")).click()
    name = page.get_by_label(texts("Your name"))
    save = page.get_by_role("button", name=texts("Save my name"))
    expect(name).to_have_value(citizen.full_name)
    name.fill("Ayesha 2")
    save.click()
    expect(page.locator("#id_full_name_error")).to_contain_text(
        texts(
            "Write your name in Urdu or English letters. Spaces, hyphens, apostrophes and "
            "full stops may come between them; digits and other signs may not."
        )
    )
    expect(name).to_have_attribute("aria-invalid", "true")
    audit.check(page, "my account: change name, refused")
    shot(page, f"account-{language}-5-name-refused")
    expect_no_english(page, language, [*texts.untranslated, "Ayesha 2"])
    name.fill(new_name)
    save.click()
    expect(page).to_have_url(re.compile(r"/accounts/me/$"))
    expect(page.locator(".messages")).to_contain_text(texts("Your name is changed."))
    expect(page.locator("dl.summary")).to_contain_text(new_name)
    audit.check(page, "my account: e-mail and name changed")
    shot(page, f"account-{language}-6-name-changed")
    expect_no_english(page, language, [*texts.untranslated, new_name, "ayesha.siddiqui@example.pk"])
    context.close()
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.email) == (new_name, "ayesha.siddiqui@example.pk")
    audit.assert_clean()
    assert texts.untranslated == [], f"no {language} translation of {texts.untranslated}"


# --- 9. My data ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_data_download_holds_my_complaints_and_no_one_elses(
    browser: Browser, live_server: Any, world: Any, language: str
) -> None:
    names = people_and_posts(world, language)
    se, ceo = world.officers.se, world.officers.ceo
    first = lodge(world)
    complaint_return_up(complaint=first, officer=se, remark="Billing disputes go to the CEO.")
    instructions = "Tariq Mehmood: re-read meter 12345 in person, then call me."
    complaint_mark_down(
        complaint=first, officer=ceo, to=world.positions.se, instructions=instructions
    )
    complaint_resolve(complaint=first, officer=se, remark="The bill has been corrected.")
    second = lodge(world, category=world.billing)
    theirs = someone_elses_complaint(world)
    context = phone(browser, live_server.url, language=language, user=world.citizen)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/me/")
    with page.expect_download() as downloading:
        page.get_by_role("link", name=say("Download my data", language)).click()
    download = downloading.value
    assert re.fullmatch(
        r"citizen-portal-my-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename
    )
    text = Path(download.path()).read_text("utf-8")
    data = json.loads(text)
    context.close()

    assert data["account"]["phone"] == world.citizen.phone
    assert data["account"]["full_name"] == world.citizen.full_name
    assert [c["reference"] for c in data["complaints"]] == [first.reference, second.reference]
    timeline = data["complaints"][0]["timeline"]
    assert [e["action"] for e in timeline][-1] == "resolve"
    assert "The bill has been corrected." in text
    # No one else's: not the other citizen's, nor the officers' names or their instructions
    # to one another (which the complaint's page does not show either).
    for stranger in (theirs.reference, theirs.subject, world.other_citizen.phone):
        assert stranger not in text
    assert world.other_citizen.full_name not in text
    assert instructions not in text
    for name in names:
        assert name not in text
