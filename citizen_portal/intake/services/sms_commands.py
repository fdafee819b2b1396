"""What an SMS asks for: the status of a complaint, the instructions, or (anything else) to
lodge its text as a complaint.

People type on small keyboards in two scripts: keywords are matched in any case, in English
or Urdu, and references are read with any digits (۱۲۳, ١٢٣), any dashes or spaces, or none,
and with the leading zeros of the number left out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from citizen_portal.complaints.services.references import check_letter
from citizen_portal.core.digits import ascii_digits


class Intent(StrEnum):
    STATUS = "status"
    HELP = "help"
    COMPLAINT = "complaint"
    EMPTY = "empty"


STATUS_WORDS = frozenset({"status", "حالت"})
HELP_WORDS = frozenset({"help", "مدد"})

# Separators people put in a reference, or that keyboards substitute: spaces, hyphens and
# dashes of every kind, slashes, dots, underscores.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_/.]+")
# PREFIX YEAR NUMBER CHECK, separators removed: PB20260001234K (or PB20261234K).
_COMPACT = re.compile(r"^([A-Z]{1,3})(\d{4})(\d{1,12})([A-Z])$")
# Keyword followed by ":" or "#" ("STATUS: PB-…"); the punctuation is dropped.
_KEYWORD_END = re.compile(r"[:#،,]+$")


@dataclass(frozen=True)
class Command:
    intent: Intent
    # STATUS: the reference as typed ("" when none was given); normalised separately.
    argument: str = ""


def command_parse(text: str) -> Command:
    """What `text` asks for. Only the first word decides: "status of my bill" is a complaint
    only if its first word is not a keyword, so a citizen writing "Status …" gets an answer
    about their complaints rather than a new one."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not cleaned:
        return Command(Intent.EMPTY)
    first, _, rest = cleaned.partition(" ")
    if "\n" in first:
        first, _, more = first.partition("\n")
        rest = more + " " + rest
    word = _KEYWORD_END.sub("", first).casefold()
    if word in STATUS_WORDS:
        return Command(Intent.STATUS, _KEYWORD_END.sub("", rest.strip()).strip())
    if word in HELP_WORDS and not rest.strip():
        return Command(Intent.HELP)
    return Command(Intent.COMPLAINT)


def reference_normalise(typed: str) -> str | None:
    """The reference `typed` means, in its canonical form (PB-2026-0001234-K), or None when it
    is not a reference or its check letter does not match (a mistyped digit)."""
    compact = _SEPARATORS.sub("", ascii_digits(unicodedata.normalize("NFKC", typed))).upper()
    match = _COMPACT.match(compact)
    if match is None:
        return None
    prefix, year, number, check = match.groups()
    body = f"{prefix}-{year}-{int(number):07d}"
    return f"{body}-{check}" if check_letter(body) == check else None
