"""PDF files: refused when they carry active content (scripts, launch actions, embedded files),
or hide their objects in a way this check cannot read."""

from __future__ import annotations

import re
import zlib

from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.services.attachments.refusals import quoted, refuse

# A PDF runs JavaScript through names like /S /JavaScript and /JS; XFA forms carry scripts of
# their own; /Launch starts programs; embedded files and rich media carry other files. Names
# may be spelt with #xx escapes (/J#61vaScript), so they are compared decoded. An encrypted PDF
# (often only "secured" against editing) keeps its dictionaries readable and is checked like any
# other, unless it packs them in object streams, which are then encrypted and unreadable here.
_PDF_SCRIPT = {b"JavaScript", b"JS", b"XFA"}
_PDF_ACTIVE = {b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
# Filters other than Flate, and predictors, would hide the names in an object stream from a
# search; such object streams are refused rather than trusted.
_PDF_OTHER_FILTERS = {
    b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85", b"LZWDecode", b"LZW",
    b"RunLengthDecode", b"RL", b"Crypt", b"DecodeParms", b"DP",
}  # fmt: skip
PDF_INFLATE_MAX = 32 * 1024 * 1024


class _Unchecked(Exception):  # noqa: N818 (reads as the outcome)
    """The PDF hides its objects in a way this check does not read."""


def check_pdf(content: bytes, name: str) -> None:
    try:
        names = _pdf_names_used(content)
    except _Unchecked:
        if b"/Encrypt" in content:
            refuse(
                _(
                    "%(name)s is password-protected or encrypted, so it cannot be checked. "
                    "Please remove the protection and attach it again."
                )
                % {"name": quoted(name)},
                "pdf_encrypted",
            )
        refuse(
            _("%(name)s could not be checked. Please save it again as a PDF, or attach a photo.")
            % {"name": quoted(name)},
            "pdf_unchecked",
        )
    if names & _PDF_SCRIPT:
        refuse(
            _(
                "%(name)s contains JavaScript, which is not accepted in PDF files. Please save "
                "it again as a plain PDF (Print, then Save as PDF), or attach a photo of it."
            )
            % {"name": quoted(name)},
            "pdf_javascript",
        )
    if names & _PDF_ACTIVE:
        refuse(
            _(
                "%(name)s contains embedded files or actions that start programs, which are "
                "not accepted. Please save it again as a plain PDF, or attach a photo of it."
            )
            % {"name": quoted(name)},
            "pdf_active_content",
        )


def _names(data: bytes) -> set[bytes]:
    found = set()
    for match in _PDF_NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        found.add(name)
    return found


def _pdf_names_used(content: bytes) -> set[bytes]:
    """The names of the PDF's dictionaries: long names anywhere in the file; short ones
    (/JS, /XFA), which a photo's compressed bytes would contain by chance, only outside
    stream data; and every name inside object streams, which are decompressed to look."""
    used = {name for name in _names(content) if len(name) > 4}
    budget = PDF_INFLATE_MAX
    at = 0
    while True:
        stream = _PDF_STREAM.search(content, at)
        if stream is None:
            used |= _names(content[at:])
            return used
        header_at = content.rfind(b"obj", at, stream.start())
        header = _names(content[max(header_at, at) : stream.start()])
        used |= _names(content[at : stream.start()])
        end = content.find(b"endstream", stream.end())
        end = len(content) if end < 0 else end
        if b"ObjStm" in header:
            inside = _object_stream(content[stream.end() : end], header, budget)
            budget -= len(inside)
            used |= _names(inside)
        at = end + len(b"endstream")


def _object_stream(body: bytes, header: set[bytes], budget: int) -> bytes:
    if header & _PDF_OTHER_FILTERS:
        raise _Unchecked
    if b"FlateDecode" not in header:
        return body
    inflater = zlib.decompressobj()
    try:
        inside = inflater.decompress(body, budget + 1)
    except zlib.error as exc:
        raise _Unchecked from exc
    if len(inside) > budget:
        raise _Unchecked  # far beyond what a real document's object streams hold
    return inside
