"""How the SMS door reads what people type, and how it checks the gateway's signature."""

from __future__ import annotations

from typing import Any

import pytest

from citizen_portal.complaints.services.references import check_letter
from citizen_portal.intake.services.sms_commands import (
    Command,
    Intent,
    Verdict,
    command_parse,
    reference_normalise,
    verdict_parse,
)
from citizen_portal.intake.services.sms_signature import (
    SignatureRefused,
    signature_check,
    signature_for,
)

BODY = "PB-2026-0001234"
REFERENCE = f"{BODY}-{check_letter(BODY)}"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        (f"STATUS {REFERENCE}", Command(Intent.STATUS, REFERENCE)),
        (f"status: {REFERENCE}", Command(Intent.STATUS, REFERENCE)),
        (f"Status\n{REFERENCE}", Command(Intent.STATUS, REFERENCE)),
        (f"حالت {REFERENCE}", Command(Intent.STATUS, REFERENCE)),
        ("STATUS", Command(Intent.STATUS, "")),
        ("help", Command(Intent.HELP)),
        ("  مدد  ", Command(Intent.HELP)),
        ("Help me, the transformer exploded", Command(Intent.COMPLAINT)),
        ("Statuses of roads are bad", Command(Intent.COMPLAINT)),
        ("میرے علاقے میں بجلی نہیں ہے", Command(Intent.COMPLAINT)),
        ("   ", Command(Intent.EMPTY)),
    ],
)
def test_the_first_word_says_what_a_text_asks_for(text: str, command: Command) -> None:
    assert command_parse(text) == command


SPACED = REFERENCE.replace("-", " ").lower()
WRONG_CHECK = REFERENCE[:-1] + ("A" if REFERENCE[-1] != "A" else "C")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        (f"YES {REFERENCE} 4 Thank you", Command(Intent.SATISFIED, REFERENCE, "4 Thank you")),
        (f"yes, {SPACED} 5", Command(Intent.SATISFIED, SPACED, "5")),
        (f"ہاں {REFERENCE} ۵", Command(Intent.SATISFIED, REFERENCE, "۵")),
        (
            f"NO: {REFERENCE} 2 Still no water",
            Command(Intent.NOT_SATISFIED, REFERENCE, "2 Still no water"),
        ),
        (f"نہیں {REFERENCE} ۲ پانی نہیں", Command(Intent.NOT_SATISFIED, REFERENCE, "۲ پانی نہیں")),
        (f"نھیں {REFERENCE} 1 غلط", Command(Intent.NOT_SATISFIED, REFERENCE, "1 غلط")),
        (f"Answer\n{REFERENCE}\nMeter 4471", Command(Intent.ANSWER, REFERENCE, "Meter 4471")),
        (f"جواب {REFERENCE} میٹر", Command(Intent.ANSWER, REFERENCE, "میٹر")),
        # A mistyped check letter: still a command, whose reference is pointed out as wrong.
        (f"YES {WRONG_CHECK} 4", Command(Intent.SATISFIED, WRONG_CHECK, "4")),
        # The keyword alone, or with stars only: a reply that forgot its reference.
        ("YES", Command(Intent.SATISFIED, "", "")),
        ("no 2", Command(Intent.NOT_SATISFIED, "", "2")),
        # Anything else after the keyword is a complaint.
        ("No water in Gulberg for three days", Command(Intent.COMPLAINT)),
        ("Yes the road is broken", Command(Intent.COMPLAINT)),
        ("No 2 transformers blew up in our street", Command(Intent.COMPLAINT)),
        ("نہیں پانی تین دن سے", Command(Intent.COMPLAINT)),
        ("Answer my calls, the transformer is down", Command(Intent.COMPLAINT)),
    ],
)
def test_yes_no_and_answer_are_commands_only_before_a_reference(
    text: str, command: Command
) -> None:
    assert command_parse(text) == command


@pytest.mark.parametrize(
    ("rest", "verdict"),
    [
        ("4 Thank you", Verdict(4, "Thank you")),
        ("۵", Verdict(5, "")),
        ("٣ ok", Verdict(3, "ok")),
        ("4/5 good", Verdict(4, "good")),
        ("5* quick", Verdict(5, "quick")),
        ("2 stars, still wrong", Verdict(2, "still wrong")),
        ("9 great", Verdict(9, "great")),
        ("Thank you", Verdict(None, "Thank you")),
        ("2026 was a bad year", Verdict(None, "2026 was a bad year")),
        ("", Verdict(None, "")),
    ],
)
def test_the_stars_and_the_comment_are_read_from_what_follows_the_reference(
    rest: str, verdict: Verdict
) -> None:
    assert verdict_parse(rest) == verdict


@pytest.mark.parametrize(
    "typed",
    [
        REFERENCE,
        REFERENCE.lower(),
        REFERENCE.replace("-", " "),
        REFERENCE.replace("-", ""),
        REFERENCE.replace("-", "–"),
        f"PB-2026-1234-{check_letter(BODY)}",  # leading zeros left out
        REFERENCE.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")),  # Urdu digits
        REFERENCE.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),  # Arabic digits
    ],
)
def test_a_reference_is_read_however_it_was_typed(typed: str) -> None:
    assert reference_normalise(typed) == REFERENCE


@pytest.mark.parametrize(
    "typed",
    [
        REFERENCE[:-1] + ("A" if REFERENCE[-1] != "A" else "C"),  # wrong check letter
        "PB-2026-0001243-" + check_letter(BODY),  # two digits swapped
        "my bill",
        "12345",
        "",
    ],
)
def test_what_is_not_a_reference_is_recognised(typed: str) -> None:
    assert reference_normalise(typed) is None


def test_a_signature_over_timestamp_and_body_is_accepted(settings: Any) -> None:
    settings.SMS_WEBHOOK_SECRET = "s3cret"
    body = b'{"from": "+923001112233"}'
    signature = signature_for(secret="s3cret", timestamp="1800000000", body=body)

    signature_check(timestamp="1800000000", signature=signature, body=body, now=1800000100)
    signature_check(
        timestamp="1800000000", signature="sha256=" + signature.upper(), body=body, now=1800000000
    )


@pytest.mark.parametrize(
    ("timestamp", "signature", "status", "code"),
    [
        (None, "abc", 401, "signature_missing"),
        ("1800000000", None, 401, "signature_missing"),
        ("soon", "abc", 401, "timestamp_invalid"),
        ("1799999000", "good", 401, "timestamp_expired"),
        ("1800001000", "good", 401, "timestamp_expired"),
        ("1800000000", "0" * 64, 403, "signature_invalid"),
        ("1800000000", "ڈ" * 64, 403, "signature_invalid"),
    ],
)
def test_a_bad_signature_is_refused(
    settings: Any, timestamp: str | None, signature: str | None, status: int, code: str
) -> None:
    settings.SMS_WEBHOOK_SECRET = "s3cret"
    settings.SMS_WEBHOOK_MAX_AGE_SECONDS = 300
    body = b"{}"
    if signature == "good":
        assert timestamp is not None
        signature = signature_for(secret="s3cret", timestamp=timestamp, body=body)
    with pytest.raises(SignatureRefused) as refused:
        signature_check(timestamp=timestamp, signature=signature, body=body, now=1800000000)
    assert (refused.value.status, refused.value.code) == (status, code)
