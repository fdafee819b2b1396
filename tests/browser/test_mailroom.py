"""The mail room in a real Chromium (issue 10, "Done when"): an operator logs in with their
authenticator app, enters a letter with its scan and sees the reference to write on it; once
the office resolves the complaint, the printed reply waits in the dispatch queue, downloads
as a PDF and is marked dispatched. And a sender's later letters (issue 10 follow-up): the
operator finds the complaint by its reference, enters the reply to the office's question with
its scan, and the sender's dispute of the resolution, which becomes an appeal. Screenshots in
test-artifacts/.

Elements are found by their ids and addresses, not their words, so that the test holds in
both languages."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, FilePayload, ViewportSize, expect

from citizen_portal.accounts.models import Role
from citizen_portal.complaints.models import (
    Action,
    Attachment,
    Channel,
    Complaint,
    Event,
    Outcome,
    Status,
)
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.intake.tests.factories import general_category
from citizen_portal.mailroom.models import ReplyLetter, ReplyStatus
from citizen_portal.mailroom.services.letters import letter_enter
from citizen_portal.mailroom.tests.conftest import letter_input, scan_png
from tests.browser.helpers import (
    LOCALES,
    Audit,
    choose_language,
    directory_names,
    expect_no_english,
    shot,
    staff_log_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The mail room works at a desk: a desktop screen.
DESK: ViewportSize = {"width": 1280, "height": 900}


def scan(name: str = "letter-page-1.png") -> FilePayload:
    out = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(out, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": out.getvalue()}


@pytest.mark.parametrize("language", ["en", "ur"])
def test_an_operator_enters_a_letter_and_posts_the_reply(
    browser: Browser,
    live_server: Any,
    world: SimpleNamespace,
    settings: Any,
    tmp_path: Any,
    language: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    general_category(world, settings)
    base = live_server.url
    clerk = StaffFactory(username="mailroom.clerk", full_name="Mail Clerk", role=Role.DATA_ENTRY)
    context = browser.new_context(viewport=DESK, locale=LOCALES[language], accept_downloads=True)
    choose_language(context, base, language)
    page = context.new_page()
    audit = Audit(language)
    staff_log_in(page, base, clerk, "/mailroom/")
    written = [
        *directory_names(world),
        "Mail Clerk",
        "Ghulam Rasool",
        "House 12, Street 4",
        "Gulberg III",
        "Electricity bill doubled",
        "The sender writes that his November bill is twice the usual amount.",
        "RL123456789PK",
        "letter-page-1.png",
        "General complaint",
    ]

    def check(name: str) -> None:
        audit.check(page, name)
        expect_no_english(page, language, written)

    # 1. The mail room's home: nothing entered yet; on to the letter form.
    page.goto(base + "/mailroom/")
    check("mail room home")
    page.locator("main a[href='/mailroom/letters/new/']").first.click()
    expect(page).to_have_url(base + "/mailroom/letters/new/")

    # 2. The letter, with its scan; the sender wrote no number, so a letter-only account.
    page.locator("#id_sender_name").fill("Ghulam Rasool")
    page.locator("#id_postal_address").fill("House 12, Street 4\nGulberg III\nLahore")
    page.locator(f"input[name=language][value={language}]").check()
    page.locator("#id_category").select_option(str(world.overbilling.pk))
    page.locator("#id_district").select_option(str(world.lahore.pk))
    page.locator("#id_subject").fill("Electricity bill doubled")
    page.locator("#id_description").fill(
        "The sender writes that his November bill is twice the usual amount."
    )
    page.locator("#id_scans").set_input_files([scan()])
    check("enter a letter")
    shot(page, f"mailroom-{language}-1-letter-form")
    page.locator("main form[method=post] button[type=submit]").click()

    # 3. The reference to write on the letter.
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.LETTER
    expect(page.locator("#reference")).to_have_text(complaint.reference)
    check("letter entered")
    shot(page, f"mailroom-{language}-2-reference")

    # 4. The office resolves it: the reply letter joins the queue (after the acknowledgement).
    complaint_resolve(
        complaint=complaint,
        officer=world.officers.se,
        remark="The meter was read again and the bill corrected to Rs 4,200.",
        outcome=Outcome.RELIEF_GRANTED,
    )
    reply = ReplyLetter.objects.get(event__action=Action.RESOLVE)
    page.goto(base + "/mailroom/dispatch/")
    row = page.locator(f"#reply-{reply.pk}")
    expect(row).to_contain_text(complaint.reference)
    check("dispatch queue")
    shot(page, f"mailroom-{language}-3-dispatch-queue")

    # 5. Download it: a PDF.
    with page.expect_download() as download_info:
        row.locator(f"a[href='/mailroom/replies/{reply.pk}/pdf/']").click()
    path = download_info.value.path()
    assert path.read_bytes().startswith(b"%PDF")

    # 6. Posted with its tracking number: it leaves the queue.
    row.locator(f"#tracking-{reply.pk}").fill("RL123456789PK")
    row.locator(f"button[form='dispatch-{reply.pk}']").click()
    expect(page.locator(f"#reply-{reply.pk}")).to_have_count(0)
    reply.refresh_from_db()
    assert (reply.status, reply.tracking_number) == (ReplyStatus.DISPATCHED, "RL123456789PK")
    page.goto(base + "/mailroom/dispatch/?status=dispatched")
    expect(page.locator(f"#reply-{reply.pk}")).to_contain_text("RL123456789PK")
    shot(page, f"mailroom-{language}-4-dispatched")
    context.close()
    audit.assert_clean()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_an_operator_enters_the_senders_reply_and_their_appeal(
    browser: Browser,
    live_server: Any,
    world: SimpleNamespace,
    settings: Any,
    tmp_path: Any,
    language: str,
) -> None:
    """The sender's second letter answers the office's question; their third disputes the
    resolution."""
    settings.MEDIA_ROOT = tmp_path / "media"
    general_category(world, settings)
    base = live_server.url
    clerk = StaffFactory(username="mailroom.clerk", full_name="Mail Clerk", role=Role.DATA_ENTRY)
    letter = letter_enter(
        operator=clerk, data=letter_input(world), files=[scan_png()], key="0123456789abcdef"
    ).letter
    complaint = letter.complaint
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="What number is on your meter?"
    )
    context = browser.new_context(viewport=DESK, locale=LOCALES[language])
    choose_language(context, base, language)
    page = context.new_page()
    audit = Audit(language)
    staff_log_in(page, base, clerk, "/mailroom/")
    written = [
        *directory_names(world),
        "Mail Clerk",
        "Ghulam Rasool",
        "House 12, Street 4",
        "Gulberg III",
        complaint.subject,
        complaint.description,
        "What number is on your meter?",
        "The sender writes that the meter number is 4471-B.",
        "reply-page-1.png",
        "The bill was corrected.",
        "The sender writes that the bill is still wrong.",
        "General complaint",
        # The replies' titles: printed in the letter's language (English here), whatever the
        # operator's.
        f"Complaint {complaint.reference}",
    ]

    def check(name: str) -> None:
        audit.check(page, name)
        expect_no_english(page, language, written)

    # 1. The reference the sender quotes finds the complaint (typed as people type it).
    page.goto(base + "/mailroom/")
    page.locator("#id_reference").fill(complaint.reference.lower())
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page).to_have_url(base + f"/mailroom/letters/{letter.pk}/")
    expect(page.locator("#reply blockquote")).to_contain_text("What number is on your meter?")
    check("mail room reply form")

    # 2. The reply letter: the operator's summary and its scan. The office's clock runs again.
    page.locator("#id_summary").fill("The sender writes that the meter number is 4471-B.")
    page.locator("#id_scans").set_input_files([scan("reply-page-1.png")])
    page.locator("#reply form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#reply")).to_have_count(0)
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    answered = Event.objects.get(complaint=complaint, action=Action.PROVIDE_INFO)
    assert answered.actor == clerk
    assert answered.data["answer"] == "The sender writes that the meter number is 4471-B."
    assert Attachment.objects.get(event=answered).original_name == "reply-page-1.png"
    check("mail room reply entered")
    shot(page, f"mailroom-{language}-5-reply-entered")

    # 3. Resolved; the sender writes that it is not: an appeal to the officer above.
    complaint_resolve(
        complaint=complaint, officer=world.officers.se, remark="The bill was corrected."
    )
    page.reload()
    expect(page.locator("#feedback")).to_contain_text("The bill was corrected.")
    check("mail room feedback form")
    page.locator("input[name=satisfied][value=no]").check()
    page.locator("input[name=rating][value='1']").check()
    page.locator("#id_comment").fill("The sender writes that the bill is still wrong.")
    page.locator("#feedback form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#feedback")).to_have_count(0)
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.ceo
    assert complaint.feedbacks.get().comment == "The sender writes that the bill is still wrong."
    check("mail room appeal entered")
    shot(page, f"mailroom-{language}-6-appeal-entered")
    context.close()
    audit.assert_clean()
