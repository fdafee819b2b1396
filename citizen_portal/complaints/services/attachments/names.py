"""The uploader's file name, cleaned for display. It is never used to store the file."""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 120
# Trailing extensions: a dot and one to five letters or digits, at least one a letter.
EXTENSIONS = re.compile(r"(?:\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,5})+$")


def display_name(raw: str, extension: str | None = None) -> str:
    """The uploader's file name fit for display: no folders, control characters or bidi
    overrides, at most 120 characters, ending in the extension of the detected type."""
    base = re.split(r"[/\\]", raw)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if _shown(ch))
    base = " ".join(base.split())
    if extension is None:
        return base[:NAME_MAX] or "file"
    # The uploader's extensions give way to the detected type's ("scan.jpg" holding a PNG is
    # shown as "scan.png"), all of them: "photo.jpg.exe" holding a JPEG is shown as
    # "photo.jpg", never "photo.jpg.jpg", and "invoice.pdf.html" as "invoice.pdf". A dot inside
    # a name ("Bill No. 5") or before digits only ("Reading 12.03.2026") is not an extension.
    stem = EXTENSIONS.sub("", base).strip(" .") or "file"
    suffix = f".{extension}"
    return stem[: NAME_MAX - len(suffix)].rstrip() + suffix


def _shown(ch: str) -> bool:
    # Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) let a name read as
    # "invoice_exe.pdf" while being something else; control, surrogate, private-use and
    # line-separator characters have no place in a name. Zero-width joiners, used in Urdu, stay.
    code = ord(ch)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return False
    return unicodedata.category(ch) not in {"Cc", "Cs", "Co", "Zl", "Zp"}
