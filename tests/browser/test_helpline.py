"""The helpline in a real Chromium (issue 10, "Done when"): a call-centre agent logs in with
their authenticator app, finds a caller by mobile number and reads out their complaint's
status, registers a new caller with the code the caller reads back from their SMS, lodges a
complaint for them and sees the reference to read out; and records a caller's answer to an
office's question and their feedback on a resolution (issue 10 follow-up). In English and in
Urdu (right to left), with the axe audit on every screen; screenshots in test-artifacts/.

Elements are found by their ids and addresses, not their words: the Urdu words of these new
screens come with the translation catalogue, and the test must hold in both languages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from citizen_portal.accounts.models import Role, User
from citizen_portal.complaints.models import Action, Channel, Complaint, Event, Status
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.helpline.tests.conftest import with_document
from tests.browser.helpers import (
    LANGUAGES,
    LOCALES,
    PHONE,
    Audit,
    choose_language,
    directory_names,
    expect_no_english,
    shot,
    staff_log_in,
    urdu_countries,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_CALLER = "+923337654321"


def submit(page: Page, form: str = "main form[method=post]") -> None:
    page.locator(form).first.locator("button[type=submit]").first.click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_agent_finds_a_caller_registers_another_and_lodges_for_them(
    browser: Browser, live_server: Any, world: SimpleNamespace, sms_outbox: Any, language: str
) -> None:
    base = live_server.url
    agent = StaffFactory(username="helpline.agent", full_name="Sana Agent", role=Role.AGENT)
    with_document(world.citizen, home=world.lahore)
    earlier = complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.billing,
            area=world.lahore,
            subject="Bill doubled in November",
            description="My bill doubled this month without any reason at all.",
        ),
    )
    context = browser.new_context(viewport=PHONE, locale=LOCALES[language])
    choose_language(context, base, language)
    page = context.new_page()
    audit = Audit(language)
    urdu_countries()
    staff_log_in(page, base, agent, "/helpline/")
    written = [
        *directory_names(world),
        "Sana Agent",
        "Bilqees Bano",
        earlier.subject,
        earlier.description,
        "No bill received for three months",
        "The caller has received no electricity bill since August and fears a large one.",
    ]

    def check(name: str) -> None:
        audit.check(page, name)
        expect_no_english(page, language, written)

    # 1. The caller says their number: their complaint's status, and the post it is with.
    page.goto(base + "/helpline/")
    check("helpline home")
    page.locator("#id_query").fill("0300 1112233")
    submit(page)
    expect(page).to_have_url(base + "/helpline/caller/")
    expect(page.locator("h1")).to_contain_text("Ayesha Khan")
    card = page.locator(".caller-card")
    expect(card).to_contain_text("+923••••••233")
    expect(card).to_contain_text("35202-•••••••-1")
    expect(page.locator(".cards")).to_contain_text(earlier.reference)
    expect(page.locator(".cards")).to_contain_text(str(world.positions.se.title))
    assert "1112233" not in page.content()
    check("helpline caller")
    page.locator(f"a[href='/helpline/caller/complaints/{earlier.reference}/']").click()
    expect(page.locator(".timeline li").first).to_be_visible()
    expect(page.locator(".read-out")).to_contain_text(earlier.reference)
    check("helpline complaint timeline")

    # 2. A new caller: not found, so registered on the spot with the code they read back.
    page.goto(base + "/helpline/")
    page.locator("#id_query").fill("0333 7654321")
    submit(page)
    expect(page.locator(".notice[role=status]")).to_be_visible()
    page.locator("a[href='/helpline/register/']").click()
    expect(page.locator("#id_phone")).to_have_value(NEW_CALLER)
    page.locator("#id_full_name").fill("Bilqees Bano")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_date_of_birth").fill("1975-03-14")
    page.locator("#id_document_number").fill("35202-7777777-7")
    page.locator("#id_home_district").select_option(str(world.lahore.pk))
    page.locator("#id_preferred_language").select_option(language)
    check("helpline register")
    submit(page)
    expect(page).to_have_url(base + "/helpline/register/code/")
    page.locator("#id_code").fill("000000" if sms_outbox.last_code(NEW_CALLER) != "000000" else "1")
    submit(page)
    expect(page.locator(".error-summary")).to_be_visible()  # a wrong code creates nothing
    assert not User.objects.filter(phone=NEW_CALLER).exists()
    check("helpline code refused")
    page.locator("#id_code").fill(sms_outbox.last_code(NEW_CALLER))
    submit(page)
    expect(page).to_have_url(base + "/helpline/caller/")
    expect(page.locator("h1")).to_contain_text("Bilqees Bano")
    expect(page.locator(".messages")).to_be_visible()
    shot(page, f"helpline-{language}-registered")

    # 3. The complaint, lodged for the new caller: the reference to read out.
    page.locator("a[href='/helpline/caller/lodge/']").click()
    expect(page.locator("#id_district")).to_have_value(str(world.lahore.pk))
    page.locator("#id_category").select_option(str(world.billing.pk))
    page.locator("#id_subject").fill("No bill received for three months")
    page.locator("#id_description").fill(
        "The caller has received no electricity bill since August and fears a large one."
    )
    check("helpline lodge")
    submit(page)
    complaint = Complaint.objects.get(citizen__phone=NEW_CALLER)
    expect(page.locator(".read-out")).to_contain_text(complaint.reference)
    expect(page.locator(".messages")).to_contain_text(complaint.reference)
    assert complaint.channel == Channel.PHONE
    assert complaint.entered_by == agent
    assert Event.objects.get(complaint=complaint, action=Action.LODGE).actor == agent
    check("helpline lodged")

    # 4. The agent's home lists what they lodged today.
    page.goto(base + "/helpline/")
    expect(page.locator(".cards")).to_contain_text(complaint.reference)
    shot(page, f"helpline-{language}-home-after")
    audit.assert_clean()
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_agent_records_a_callers_answer_and_their_appeal(
    browser: Browser, live_server: Any, world: SimpleNamespace, sms_outbox: Any, language: str
) -> None:
    """The caller answers the office's question on the phone, and disputes a resolution: the
    agent records both on the caller's complaint pages, and the dispute becomes an appeal to
    the officer above."""
    base = live_server.url
    agent = StaffFactory(username="helpline.agent", full_name="Sana Agent", role=Role.AGENT)
    with_document(world.citizen, home=world.lahore)
    asked, resolved = (
        complaint_lodge(
            citizen=world.citizen,
            data=ComplaintInput(
                category=world.overbilling,
                area=world.lahore,
                subject=subject,
                description="My bill doubled this month without any reason at all.",
            ),
        )
        for subject in ("Meter reading is wrong", "Bill doubled in November")
    )
    complaint_request_info(
        complaint=asked, officer=world.officers.se, question="What number is on your meter?"
    )
    complaint_resolve(
        complaint=resolved, officer=world.officers.se, remark="The bill was corrected."
    )
    context = browser.new_context(viewport=PHONE, locale=LOCALES[language])
    choose_language(context, base, language)
    page = context.new_page()
    audit = Audit(language)
    urdu_countries()
    staff_log_in(page, base, agent, "/helpline/")
    written = [
        *directory_names(world),
        "Sana Agent",
        "Meter reading is wrong",
        "Bill doubled in November",
        "My bill doubled this month without any reason at all.",
        "What number is on your meter?",
        "The caller reads the meter number: 4471-B.",
        "The bill was corrected.",
        "The caller says the bill is still wrong.",
    ]

    def check(name: str) -> None:
        audit.check(page, name)
        expect_no_english(page, language, written)

    page.goto(base + "/helpline/")
    page.locator("#id_query").fill("0300 1112233")
    submit(page)
    expect(page).to_have_url(base + "/helpline/caller/")

    # 1. The office's question, read out; the caller's answer, recorded: the clock runs again.
    page.goto(base + f"/helpline/caller/complaints/{asked.reference}/")
    expect(page.locator("#answer blockquote")).to_contain_text("What number is on your meter?")
    check("helpline answer form")
    page.locator("#id_answer").fill("The caller reads the meter number: 4471-B.")
    submit(page, "#answer form")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#answer")).to_have_count(0)
    expect(page.locator(".timeline")).to_contain_text("4471-B")
    expect(page.locator(".timeline .on-behalf")).to_have_count(1)
    asked.refresh_from_db()
    assert asked.status == Status.ASSIGNED
    assert Event.objects.get(complaint=asked, action=Action.PROVIDE_INFO).actor == agent
    check("helpline answer recorded")
    shot(page, f"helpline-{language}-answer-recorded")

    # 2. The resolution, read out; the caller is not satisfied: an appeal to the CEO.
    page.goto(base + f"/helpline/caller/complaints/{resolved.reference}/")
    expect(page.locator("#feedback")).to_contain_text("The bill was corrected.")
    check("helpline feedback form")
    page.locator("input[name=satisfied][value=no]").check()
    page.locator("input[name=rating][value='2']").check()
    page.locator("#id_comment").fill("The caller says the bill is still wrong.")
    submit(page, "#feedback form")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#feedback")).to_have_count(0)
    expect(page.locator(".timeline")).to_contain_text("The caller says the bill is still wrong.")
    resolved.refresh_from_db()
    assert resolved.status == Status.ASSIGNED
    assert resolved.assigned_position == world.positions.ceo
    assert resolved.dispute_count == 1
    assert resolved.feedbacks.get().rating == 2
    check("helpline appeal recorded")
    shot(page, f"helpline-{language}-appeal-recorded")
    audit.assert_clean()
    context.close()
