"""The printed reply: an A4 letter with the portal's bilingual letterhead, laid out for a DL
window envelope (the sender's name and postal address show through the window), in the
language of the letter it answers.

Urdu is shaped by HarfBuzz (fpdf2's text shaping) in Noto Naskh Arabic; English is set in
Noto Sans. Each font falls back on the other, so a Latin reference inside Urdu text, or an
Urdu name inside an English letter, still prints. The fonts ship in mailroom/fonts/ (OFL).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReplyText:
    """Everything one reply says, already in its language."""

    language: str
    reference: str
    written_on: date
    name: str
    postal_address: str
    title: str
    body: str
    signed_by: str  # the post and office the answer comes from
    department: str


def reply_pdf(replies: Sequence[ReplyText]) -> bytes:
    """One PDF with a page (or more) per reply, each in its own language. The PDF library
    (fpdf2 with fontTools, about 25 MB of memory) is loaded by the first letter a process
    prints: the web workers that never print one do without it."""
    from citizen_portal.mailroom.services.letter_layout import letters_pdf

    return letters_pdf(replies)
