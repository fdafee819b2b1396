"""Reading mail as citizens' programs write it: HTML-only bodies, quoted replies, encoded
subjects, keywords and references."""

from __future__ import annotations

from email.message import EmailMessage

from citizen_portal.intake.services.email_parse import mail_parse, reply_text
from citizen_portal.intake.services.email_routing import references_in


def test_html_only_mail_becomes_plain_text_without_its_script() -> None:
    message = EmailMessage()
    message["From"] = "Ayesha <ayesha@example.pk>"
    message["Subject"] = "Broken pipe"
    message.set_content(
        "<p>The pipe &amp; the meter are broken.</p><script>alert(1)</script>"
        "<div>Street 5, Model Town</div>",
        subtype="html",
    )
    parsed = mail_parse(message.as_bytes())
    assert parsed.text == "The pipe & the meter are broken.\nStreet 5, Model Town"
    assert parsed.problems == []


def test_urdu_subject_and_body_are_read_in_their_own_characters() -> None:
    message = EmailMessage()
    message["From"] = "عائشہ <ayesha@example.pk>"
    message["Subject"] = "بجلی کا بل"
    message.set_content("ہمارے محلے میں تین دن سے بجلی نہیں ہے۔")
    parsed = mail_parse(message.as_bytes())
    assert parsed.subject == "بجلی کا بل"
    assert parsed.text == "ہمارے محلے میں تین دن سے بجلی نہیں ہے۔"
    assert parsed.sender == "ayesha@example.pk"


def test_reply_keeps_what_the_citizen_wrote_above_the_quote_and_signature() -> None:
    gmail = "My meter number is 1234.\n\nOn Mon, 30 Nov 2026, Portal wrote:\n> question"
    outlook = "Attached.\n\n-----Original Message-----\nFrom: Portal\nquestion"
    signed = "It is fixed now, thank you.\n-- \nAyesha Khan\n0300 1112233"
    assert reply_text(gmail) == "My meter number is 1234."
    assert reply_text(outlook) == "Attached."
    assert reply_text(signed) == "It is fixed now, thank you."


def test_references_are_found_in_a_reply_subject_whatever_the_case() -> None:
    assert references_in("Re: Complaint pb-2026-0000123-K received") == ["PB-2026-0000123-K"]
    assert references_in("Re: Complaint received") == []
