"""Digits as people type them: an Urdu keyboard writes ۱۲۳ (Extended Arabic-Indic), an Arabic
one ١٢٣; codes, numbers and references are compared in ASCII."""

from __future__ import annotations

import unicodedata


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit of any script replaced by its ASCII digit."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
