"""A corpus of hostile files, shared by the tests that push files through each door of the
portal (test_hostile_uploads.py). The service-level checks are proven in test_attachments.py,
whose file makers this reuses; here each file says what a door must do with it:

- `refused`: the error code `attachments_prepare` refuses it with; the uploader is told why and
  nothing is stored.
- `shown`: the file is harmless once cleaned (a real photo or document under a hostile name, or
  a photo with a payload appended): it is stored re-encoded, under a generated name, and shown
  under this cleaned name with the detected type's extension.

Tests that use the `oversized` file must set ATTACHMENT_MAX_BYTES to OVERSIZE_LIMIT (a small
limit keeps the tests fast; the check is the same at 10 MB).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from citizen_portal.complaints.tests.test_attachments import SVG, jpeg, pdf, png

# The per-file limit the door tests set, so that `oversized` is just over it.
OVERSIZE_LIMIT = 64 * 1024

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@dataclass(frozen=True)
class Hostile:
    key: str  # the test id
    name: str  # the file name the attacker sends
    content: bytes
    refused: str = ""  # the refusal code, or "" when the file is stored cleaned
    shown: str = ""  # the cleaned display name of a file that is stored

    def upload(self, content_type: str = "image/jpeg") -> SimpleUploadedFile:
        # Browsers send whatever type the name suggests; the portal must not care.
        return SimpleUploadedFile(self.name, self.content, content_type=content_type)


def zip_bomb() -> bytes:
    """20 MB of zeros in a 20 KB archive: refused by its first bytes, never inflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("photos/meter.jpg", bytes(20 * 1024 * 1024))
    return out.getvalue()


def pixel_bomb() -> bytes:
    """A real PNG whose header claims 60,000 × 60,000 pixels (3.6 billion): decoding it would
    take gigabytes of memory."""
    small = bytes(png(size=(1, 1), mode="RGB"))
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return small[:8] + ihdr + small[8 + 25 :]


def polyglot() -> bytes:
    """A real JPEG with an HTML page and a ZIP archive after its end: a browser sniffing it, or
    an unzip tool, would find the payload. Re-encoding keeps only the picture."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as inner:
        inner.writestr("run.html", HTML)
    return bytes(jpeg(gps=False)) + HTML + archive.getvalue()


def oversized() -> bytes:
    """A real JPEG padded to one byte over OVERSIZE_LIMIT."""
    photo = bytes(jpeg(gps=False))
    return photo + bytes(OVERSIZE_LIMIT + 1 - len(photo))


ZIP_BOMB = zip_bomb()

# Markers of the payloads that must never reach the stored files.
PAYLOADS = (b"<script", b"<html", b"PK\x03\x04", b"Acme Phones")

CORPUS = [
    Hostile("svg-script", "drawing.svg", SVG, refused="attachment_type"),
    Hostile("html-as-jpg", "photo.jpg", HTML, refused="attachment_type"),
    Hostile(
        "pdf-javascript",
        "bill.pdf",
        pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        refused="pdf_javascript",
    ),
    Hostile("zip-bomb", "photos.zip", ZIP_BOMB, refused="attachment_type"),
    Hostile("zip-as-jpg", "meter.jpg", ZIP_BOMB, refused="attachment_type"),
    Hostile("pixel-bomb", "meter.png", pixel_bomb(), refused="image_too_large"),
    Hostile("empty", "empty.jpg", b"", refused="attachment_empty"),
    Hostile("oversized", "meter.jpg", oversized(), refused="attachment_too_large"),
    Hostile("html-double-extension", "invoice.pdf.html", HTML, refused="attachment_type"),
    Hostile("double-extension", "photo.jpg.exe", jpeg(), shown="photo.jpg"),
    Hostile("pdf-double-extension", "invoice.pdf.html", pdf(), shown="invoice.pdf"),
    Hostile("rtl-override", "photo\u202egpj.exe", jpeg(), shown="photogpj.jpg"),
    Hostile("nul-in-name", "photo\x00.exe.jpg", jpeg(), shown="photo.jpg"),
    Hostile("windows-reserved", "CON.jpg", jpeg(), shown="CON.jpg"),
    Hostile("path-traversal", "../../etc/passwd.jpg", jpeg(), shown="passwd.jpg"),
    Hostile("polyglot", "holiday.jpg", polyglot(), shown="holiday.jpg"),
]

REFUSED = [item for item in CORPUS if item.refused]
CLEANED = [item for item in CORPUS if not item.refused]
