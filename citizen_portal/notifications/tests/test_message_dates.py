"""Dates in messages are written the way the reader's language writes them (the format modules
in citizen_portal/formats/), whatever language the page that caused the message was in.

The expected dates are spelled out here rather than computed with Django's formatting, so that
a template that went back to a fixed pattern, or rendered outside the reader's language, fails."""

from __future__ import annotations

import email
from datetime import date, timedelta
from email.policy import default as default_policy

import pytest
from django.conf import settings
from django.utils import timezone, translation

from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.notifications.tests.helpers import inbox, sms_to

pytestmark = pytest.mark.django_db(transaction=True)

URDU_MONTHS = [
    "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون",
    "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
]  # fmt: skip
ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def urdu(day: date | None) -> str:
    """30 نومبر 2026: the long and the short form alike (Urdu has no short month names)."""
    assert day is not None
    return f"{day.day} {URDU_MONTHS[day.month - 1]} {day.year}"


def english(day: date | None, *, short: bool = False) -> str:
    """30 November 2026, or 30 Nov 2026 in an SMS."""
    assert day is not None
    month = ENGLISH_MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if short else month} {day.year}"


def _mail_to(smtp_server, address: str) -> list[str]:
    """Each e-mail to `address` as its reader sees it: subject, then the decoded body."""
    texts = []
    for envelope in smtp_server:
        if address in envelope.rcpt_tos:
            message = email.message_from_bytes(envelope.content, policy=default_policy)
            texts.append(f"{message['subject']}\n{message.get_content()}")
    return texts


def _speaks(user, language: str, address: str) -> None:
    user.preferred_language = language
    user.email = address
    user.email_verified_at = timezone.now()
    user.save()


def test_an_urdu_speakers_sms_and_email_give_the_due_date_in_urdu(world, sms_outbox, smtp_server):
    _speaks(world.citizen, "ur", "ayesha@example.pk")
    complaint = lodge(world)  # lodged from an English page: the reader's language decides
    [sms] = sms_to(sms_outbox, world.citizen.phone)
    assert urdu(complaint.due_on) in sms
    assert english(complaint.due_on, short=True) not in sms
    [mail] = _mail_to(smtp_server, "ayesha@example.pk")
    assert urdu(complaint.due_on) in mail
    assert urdu(complaint.due_on) in inbox(world.citizen)[0].body


def test_an_english_speakers_sms_and_email_give_the_due_date_in_english(
    world, sms_outbox, smtp_server
):
    _speaks(world.citizen, "en", "ayesha@example.pk")
    with translation.override("ur"):  # lodged from an Urdu page
        complaint = lodge(world)
    [sms] = sms_to(sms_outbox, world.citizen.phone)
    assert f"Reply due by {english(complaint.due_on, short=True)}." in sms
    [mail] = _mail_to(smtp_server, "ayesha@example.pk")
    assert f"The office must reply by {english(complaint.due_on)}." in mail


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_date_to_give_feedback_by_follows_the_readers_language(
    world, sms_outbox, smtp_server, language
):
    _speaks(world.citizen, language, "ayesha@example.pk")
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    feedback_by = timezone.localdate() + timedelta(days=settings.FEEDBACK_WINDOW_DAYS)
    sms = sms_to(sms_outbox, world.citizen.phone)[-1]
    mail = _mail_to(smtp_server, "ayesha@example.pk")[-1]
    if language == "ur":
        assert urdu(feedback_by) in sms
        assert urdu(feedback_by) in mail
    else:
        assert f"Confirm or dispute by {english(feedback_by, short=True)}" in sms
        assert f"(by {english(feedback_by)})" in mail


def test_an_urdu_speaking_officer_reads_the_due_date_in_urdu(world, sms_outbox, smtp_server):
    _speaks(world.officers.se, "ur", "se@lesco.example.pk")
    complaint = lodge(world)
    [mail] = _mail_to(smtp_server, "se@lesco.example.pk")
    assert urdu(complaint.due_on) in mail
    assert urdu(complaint.due_on) in inbox(world.officers.se)[0].body
    # The citizen, who reads English, gets it in English from the same event.
    assert english(complaint.due_on, short=True) in sms_to(sms_outbox, world.citizen.phone)[0]


def test_an_english_subject_stays_whole_inside_an_urdu_message(world, sms_outbox, smtp_server):
    """The citizen's own words quoted in an Urdu sentence are set apart as an island of their
    own direction (U+2068 … U+2069), so that "Bill three times the usual" keeps its order and
    punctuation; an English message carries no such marks."""
    _speaks(world.citizen, "ur", "ayesha@example.pk")
    _speaks(world.officers.se, "en", "se@lesco.example.pk")
    complaint = lodge(world)
    isolated = f"\u2068{complaint.subject}\u2069"
    [mail] = _mail_to(smtp_server, "ayesha@example.pk")
    assert isolated in mail
    assert isolated in inbox(world.citizen)[0].body
    [officer_mail] = _mail_to(smtp_server, "se@lesco.example.pk")
    assert complaint.subject in officer_mail
    assert "\u2068" not in officer_mail
