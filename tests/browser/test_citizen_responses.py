"""What a citizen answers on a complaint, in a real Chromium on a phone, in English and in Urdu
(right to left): the office's request for information (with a photo), and the verdict on a
resolution: confirmed with a rating and a comment, or disputed, appeal after appeal, until the
decision stands. The officers' part is played through their services. Screenshots go to
test-artifacts/respond-*.png; pages test_accessibility.py does not reach are checked by axe."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, FilePayload, Locator, Page, expect

from citizen_portal.complaints.models import Action, Complaint, Feedback, Status
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.notifications.models import Notification
from tests.browser.helpers import (
    LANGUAGES,
    Audit,
    direction,
    expect_language,
    expect_no_english,
    expect_no_names,
    people_and_posts,
    phone,
    photo,
    say,
    shot,
    shown,
)

# What the citizen and the officers write here, the only English an Urdu page may show.
QUESTION = "What is the number on your meter? A photo of it would help."
ANSWER = "Meter no. 12345; the photo shows the reading, 04512."
REMARK = "Meter re-read; the bill is corrected to Rs 15,200."
COMMENT = "Thank you: the new bill is right, and it came within a week."
APPEALS = [
    # (the officer's remark, the citizen's comment)
    ("The bill is right.", "It is still Rs 45,000."),
    ("Checked: right.", "Nobody has read the meter."),
    ("The bill stands.", "I still disagree."),
]
WRITTEN = (
    "Bill three times the usual",  # complaints.tests.factories.lodge
    "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
    QUESTION,
    ANSWER,
    "meter-reading.jpg",
    "notes.txt",
    REMARK,
    COMMENT,
    *(text for appeal in APPEALS for text in appeal),
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(browser: Browser, base: str, world: Any, complaint: Complaint, language: str) -> Page:
    context = phone(browser, base, language=language, user=world.citizen)
    page = context.new_page()
    page.goto(f"{base}/complaints/{complaint.reference}/")
    expect_language(page, language)
    return page


def _status(page: Page) -> Locator:
    return page.locator("dl.summary .status")


def _django(msgid: str, language: str) -> str:
    """One of Django's own messages (form errors), from Django's catalogue."""
    with translation.override(language):
        return translation.gettext(msgid)


def _verdict(page: Page, language: str, *, solved: bool, rating: int, comment: str) -> None:
    feedback = page.locator("section.feedback")
    answer = "Yes, it was solved" if solved else "No, it was not solved"
    feedback.get_by_label(say(answer, language)).check()
    feedback.get_by_label(str(rating), exact=True).check()
    feedback.get_by_label(say("Comment (optional)", language)).fill(comment)
    feedback.get_by_role("button", name=say("Send feedback", language)).click()


# --- 3. The office asks; the citizen answers, with a photo ---------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_answers_the_offices_question_with_a_photo(
    browser: Browser,
    live_server: Any,
    world: Any,
    settings: Any,
    tmp_path: Path,
    language: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    names = people_and_posts(world, language)
    complaint = lodge(world)
    complaint_request_info(complaint=complaint, officer=world.officers.se, question=QUESTION)
    audit = Audit(language)
    page = _open(browser, live_server.url, world, complaint, language)

    expect(_status(page)).to_have_text(say("Waiting for your information", language))
    expect(page.locator("dl.summary")).to_contain_text(
        say("Paused while the office waits for information from the citizen", language)
    )
    request = page.locator("section.request")
    expect(request.get_by_role("heading")).to_have_text(
        say("The office needs information from you", language)
    )
    expect(request.locator("blockquote")).to_have_text(QUESTION)
    assert direction(request.locator("blockquote")) == "ltr"  # English, on an Urdu page too
    send = request.get_by_role("button", name=say("Send my answer", language))
    send.click()  # nothing written
    expect(page.locator(".error-summary")).to_contain_text(
        _django("This field is required.", language)
    )
    audit.check(page, "complaint: answer refused")
    shot(page, f"respond-{language}-1-answer-refused")
    expect_no_english(page, language, WRITTEN)

    # A file the portal does not take is refused, saying which, and the answer stays.
    request.get_by_label(say("Your answer", language)).fill(ANSWER)
    files = request.get_by_label(say("Photos or documents (optional)", language))
    notes: FilePayload = {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"04512"}
    files.set_input_files([notes])
    send.click()
    expect(page.locator(".error-summary")).to_contain_text("\u2068notes.txt\u2069")
    expect(request.get_by_label(say("Your answer", language))).to_have_value(ANSWER)
    expect_no_english(page, language, WRITTEN)
    files.set_input_files([photo(40, "meter-reading.jpg")])
    send.click()
    expect(page.locator(".messages")).to_contain_text(
        say("Thank you. Your answer has been sent and the office's time runs again.", language)
    )
    expect(page.locator("section.request")).to_have_count(0)
    expect(_status(page)).to_have_text(say("With the office", language))
    expect(page.locator("dl.summary")).to_contain_text(shown(world.positions.se, language))
    answered = page.locator("ol.timeline > li").last
    expect(answered).to_contain_text(shown(Action.PROVIDE_INFO.label, language))
    expect(answered.locator("blockquote")).to_have_text(ANSWER)
    assert direction(answered.locator("blockquote")) == "ltr"  # English, on an Urdu page too
    expect(answered).to_contain_text("meter-reading.jpg")
    expect_no_names(page, names)
    shot(page, f"respond-{language}-2-answered")
    expect_no_english(page, language, WRITTEN)

    # Back with the office: its clock runs again and its holder is told.
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.se
    assert complaint.paused_at is None
    assert complaint.attachments.get().original_name == "meter-reading.jpg"
    assert Notification.objects.filter(user=world.officers.se, complaint=complaint).exists()
    page.context.close()
    audit.assert_clean()


# --- 4 and 5. The resolution confirmed, with a rating and a comment ------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_confirms_a_resolution_with_a_rating_and_a_comment(
    browser: Browser, live_server: Any, world: Any, language: str
) -> None:
    names = people_and_posts(world, language)
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark=REMARK)
    audit = Audit(language)
    page = _open(browser, live_server.url, world, complaint, language)
    expect(_status(page)).to_have_text(say("Resolved (awaiting your feedback)", language))
    expect(page.locator("ol.timeline > li").last).to_contain_text(REMARK)
    expect(page.locator("section.feedback h2")).to_have_text(
        say("Was your problem really solved?", language)
    )

    _verdict(page, language, solved=True, rating=4, comment=COMMENT)
    expect(page.locator(".messages")).to_contain_text(
        say("Thank you. Your complaint is now closed.", language)
    )
    expect(_status(page)).to_have_text(say("Closed", language))
    expect(page.locator("section.feedback")).to_have_count(0)
    expect(page.locator("dl.summary")).not_to_contain_text(say("Reply due by", language))
    confirmed = page.locator("ol.timeline > li").last
    expect(confirmed).to_contain_text(shown(Action.CONFIRM.label, language))
    expect(confirmed).to_contain_text(say("%(n)s of 5 stars", language, n=4))
    expect(confirmed.locator("blockquote")).to_have_text(COMMENT)
    expect_no_names(page, names)
    audit.check(page, "complaint: confirmed, with a message")
    shot(page, f"respond-{language}-3-confirmed")
    expect_no_english(page, language, WRITTEN)

    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    feedback = Feedback.objects.get(complaint=complaint)
    assert (feedback.satisfied, feedback.rating, feedback.comment) == (True, 4, COMMENT)
    page.context.close()
    audit.assert_clean()


# --- 4. The resolution disputed: two appeals, then the decision stands ---------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_disputed_resolution_goes_up_twice_and_then_stands(
    browser: Browser, live_server: Any, world: Any, language: str
) -> None:
    names = people_and_posts(world, language)
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark=APPEALS[0][0])
    audit = Audit(language)
    page = _open(browser, live_server.url, world, complaint, language)
    reopened = say("We are sorry. Your complaint has been reopened for a senior officer.", language)

    # First appeal: to the post above the one that resolved it.
    _verdict(page, language, solved=False, rating=1, comment=APPEALS[0][1])
    expect(page.locator(".messages")).to_contain_text(reopened)
    expect(_status(page)).to_have_text(say("With the office", language))
    summary = page.locator("dl.summary")
    expect(summary).to_contain_text(shown(world.positions.ceo, language))
    expect(summary).to_contain_text(say("Reply due by", language))
    expect(page.locator("ol.timeline")).to_contain_text(shown(Action.DISPUTE.label, language))
    expect(page.locator("ol.timeline > li").last).to_contain_text(
        shown(world.positions.ceo, language)
    )
    expect_no_names(page, names)
    audit.check(page, "complaint: reopened on appeal, with a message")
    shot(page, f"respond-{language}-4-first-appeal")
    expect_no_english(page, language, WRITTEN)

    # Second appeal: to the government's complaint cell, outside the department.
    complaint_resolve(complaint=complaint, officer=world.officers.ceo, remark=APPEALS[1][0])
    page.reload()
    expect(_status(page)).to_have_text(say("Resolved (awaiting your feedback)", language))
    expect(page.locator("section.feedback")).to_contain_text(
        say(
            "This would be your second appeal: it goes to the government's complaint cell, "
            "outside the department. After that, the decision is final.",
            language,
        )
    )
    audit.check(page, "complaint: resolved again, before a second appeal")
    expect_no_english(page, language, WRITTEN)
    _verdict(page, language, solved=False, rating=1, comment=APPEALS[1][1])
    expect(page.locator(".messages")).to_contain_text(reopened)
    expect(_status(page)).to_have_text(say("With the office", language))
    expect(summary).to_contain_text(shown(world.positions.cell, language))
    expect_no_names(page, names)
    shot(page, f"respond-{language}-5-second-appeal")
    expect_no_english(page, language, WRITTEN)

    # Both appeals heard: disputing once more closes it, the dispute on record.
    complaint_resolve(complaint=complaint, officer=world.cell_officer, remark=APPEALS[2][0])
    page.reload()
    _verdict(page, language, solved=False, rating=1, comment=APPEALS[2][1])
    expect(page.locator(".messages")).to_contain_text(
        say(
            "Both appeals have been heard, so the resolution stands and the complaint is "
            "closed. Your dispute stays on record.",
            language,
        )
    )
    expect(_status(page)).to_have_text(say("Closed", language))
    expect(page.locator("section.feedback")).to_have_count(0)
    expect(page.locator("ol.timeline > li").last).to_contain_text(
        say("Both appeals were heard: the resolution stands.", language)
    )
    expect_no_names(page, names)
    audit.check(page, "complaint: closed, the decision stands")
    shot(page, f"respond-{language}-6-decision-stands")
    expect_no_english(page, language, WRITTEN)

    complaint.refresh_from_db()
    assert (complaint.status, complaint.dispute_count) == (Status.CLOSED, 3)
    assert [f.satisfied for f in Feedback.objects.filter(complaint=complaint)] == [False] * 3
    assert re.search(r"/complaints/[A-Z]{2}-\d{4}-\d{7}-[A-Z]/$", page.url)
    page.context.close()
    audit.assert_clean()
