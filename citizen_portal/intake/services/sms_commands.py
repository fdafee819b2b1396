"""What an SMS asks for: the status of a complaint, the instructions, feedback on a resolved
complaint (YES or NO, the reference, 1 to 5 stars, a comment), the answer to an office's
question (ANSWER, the reference, the answer), or (anything else) to lodge its text as a
complaint.

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
    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"
    ANSWER = "answer"
    COMPLAINT = "complaint"
    EMPTY = "empty"


STATUS_WORDS = frozenset({"status", "حالت"})
HELP_WORDS = frozenset({"help", "مدد"})
# Words that are commands only when a reference follows them: "No water in Gulberg" and "Yes
# the road is broken" are complaints, "NO PB-2026-0001234-K 2 …" is feedback.
REFERENCED_WORDS: dict[str, Intent] = {
    "yes": Intent.SATISFIED,
    "ہاں": Intent.SATISFIED,
    "no": Intent.NOT_SATISFIED,
    "نہیں": Intent.NOT_SATISFIED,
    "answer": Intent.ANSWER,
    "جواب": Intent.ANSWER,
}
# Urdu typed on Arabic or Persian keyboards: the same word in other code points (ي for ی,
# ه and ھ for ہ, ك for ک). Folded in keywords only, never in what the citizen wrote.
_URDU_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ه": "ہ", "ھ": "ہ", "ك": "ک", "ة": "ہ"})
# A reference is at most a few words when typed with spaces ("pb 2026 1234 k").
_REFERENCE_WORDS_MAX = 6

# Separators people put in a reference, or that keyboards substitute: spaces, hyphens and
# dashes of every kind, slashes, dots, underscores.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_/.]+")
# PREFIX YEAR NUMBER CHECK, separators removed: PB20260001234K (or PB20261234K).
_COMPACT = re.compile(r"^([A-Z]{1,3})(\d{4})(\d{1,12})([A-Z])$")
# Keyword followed by ":" or "#" ("STATUS: PB-…"); the punctuation is dropped.
_KEYWORD_END = re.compile(r"[:#،,]+$")
_WORD = re.compile(r"\S+")
# The stars after the reference: "4", "۴", "4*", "4/5", "4 stars"; then the comment.
_STARS = re.compile(r"\s*(\d{1,3})(?!\d)(?:\s*(?:/\s*5|\*+|stars?\b|ستارے))?[\s,.:;،-]*", re.I)


@dataclass(frozen=True)
class Command:
    intent: Intent
    # STATUS, YES, NO, ANSWER: the reference as typed ("" when none was given); normalised
    # separately.
    argument: str = ""
    # YES, NO, ANSWER: what follows the reference (stars and comment, or the answer).
    rest: str = ""


@dataclass(frozen=True)
class Verdict:
    """YES or NO's stars and comment; `rating` is None when no number was given, and may be
    out of 1 to 5 (the citizen is then told the format)."""

    rating: int | None
    comment: str


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
    word = _KEYWORD_END.sub("", first).casefold().translate(_URDU_FOLD)
    if word in STATUS_WORDS:
        return Command(Intent.STATUS, _KEYWORD_END.sub("", rest.strip()).strip())
    if word in HELP_WORDS and not rest.strip():
        return Command(Intent.HELP)
    if word in REFERENCED_WORDS:
        after = _KEYWORD_END.sub("", rest.strip()).strip()
        split = _reference_split(after)
        if split is not None:
            return Command(REFERENCED_WORDS[word], *split)
        if not after or _STARS.fullmatch(after):
            # "YES", "NO 2": a reply without its reference, not a complaint; the citizen is
            # told the format.
            return Command(REFERENCED_WORDS[word], "", after)
    return Command(Intent.COMPLAINT)


def _reference_split(text: str) -> tuple[str, str] | None:
    """(the reference as typed, what follows it) when `text` begins with something shaped
    like a reference, typed with or without spaces; else None. The shape, not the check
    letter, decides: "YES PB-2026-0001234-X" with a mistyped letter is a command whose
    reference is pointed out as wrong, not a complaint."""
    for count, word in enumerate(_WORD.finditer(text), start=1):
        if count > _REFERENCE_WORDS_MAX:
            break
        typed = text[: word.end()]
        if _COMPACT.match(_compact(typed)):
            return typed, text[word.end() :].strip()
    return None


def verdict_parse(rest: str) -> Verdict:
    """The stars (any digits) and the comment of YES or NO, from what followed the
    reference."""
    match = _STARS.match(rest)
    if match is None:
        return Verdict(None, rest.strip())
    return Verdict(int(ascii_digits(match.group(1))), rest[match.end() :].strip())


def _compact(typed: str) -> str:
    return _SEPARATORS.sub("", ascii_digits(unicodedata.normalize("NFKC", typed))).upper()


def reference_normalise(typed: str) -> str | None:
    """The reference `typed` means, in its canonical form (PB-2026-0001234-K), or None when it
    is not a reference or its check letter does not match (a mistyped digit)."""
    match = _COMPACT.match(_compact(typed))
    if match is None:
        return None
    prefix, year, number, check = match.groups()
    body = f"{prefix}-{year}-{int(number):07d}"
    return f"{body}-{check}" if check_letter(body) == check else None
