"""Audio and video: the structure the first bytes promised is checked, and MP4 and 3GP files
lose their metadata boxes. Other audio and video files are stored as uploaded."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.services.attachments.refusals import quoted, refuse
from citizen_portal.complaints.services.attachments.sniffing import HEAD_BYTES, mpeg_frame

# Boxes that carry tags, location (©xyz, Apple's ISO 6709 key), XMP or maker data: each is
# turned into a `free` box of zeros.
_MP4_METADATA = {b"udta", b"meta", b"uuid"}
# A Matroska CodecID element (0x86, a one-byte size, then "A_OPUS", "V_VP9" ...).
_WEBM_CODEC = re.compile(rb"\x86[\x81-\xa0][AV]_[A-Z]")
_WEBM_VIDEO = re.compile(rb"\x86[\x81-\xa0]V_[A-Z]")


def clean_media(content: bytes, family: str, name: str) -> tuple[bytes, str]:
    """Check the structure the first bytes promised, and strip MP4 metadata."""
    unreadable = _("%(name)s could not be read as audio or video.") % {"name": quoted(name)}
    if family == "mp3" and content.startswith(b"ID3"):
        # An ID3 tag (its size in 7-bit bytes, plus a footer if flagged) then a real frame.
        if len(content) < 10:
            refuse(unreadable, "media_unreadable")
        size = sum((content[6 + i] & 0x7F) << (7 * (3 - i)) for i in range(4))
        after = 10 + size + (10 if content[5] & 0x10 else 0)
        # Some encoders pad between the tag and the first frame.
        frames = (mpeg_frame(content, at) for at in range(after, after + HEAD_BYTES))
        found = next((f for f in frames if f is not None), None)
        if found is None:
            refuse(unreadable, "media_unreadable")
        return content, found
    if family == "webm":
        # Codec ids sit in the Tracks element near the start; a file with no video track is
        # a voice recording (what browsers record).
        window = content[: 1024 * 1024]
        if _WEBM_CODEC.search(window, 0) and not _WEBM_VIDEO.search(window, 0):
            return content, "webm-audio"
        return content, family
    if family in {"mp4", "m4a", "3gp"}:
        try:
            return _clean_mp4(content, family)
        except ValueError:
            refuse(unreadable, "media_unreadable")
    return content, family


def _boxes(data: bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, start, payload start, end) of each ISO media box in data[start:end]."""
    at = start
    while at + 8 <= end:
        size, header = int.from_bytes(data[at : at + 4], "big"), 8
        if size == 1:
            size, header = int.from_bytes(data[at + 8 : at + 16], "big"), 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise ValueError("box runs past its parent")
        yield bytes(data[at + 4 : at + 8]), at, at + header, at + size
        at += size


def _clean_mp4(content: bytes, family: str) -> tuple[bytes, str]:
    """Hide metadata boxes at the top level, in `moov` and in each track; the handlers of the
    tracks tell audio from video."""
    data = bytearray(content)
    handlers: set[bytes] = set()
    moov = False
    for kind, at, payload, end in _boxes(data, 0, len(data)):
        if kind in _MP4_METADATA:
            _blank(data, at, payload, end)
        elif kind == b"moov":
            moov = True
            handlers |= _clean_moov(data, payload, end)
    if not moov:
        raise ValueError("no movie box")
    three_gp = family == "3gp"
    if b"vide" in handlers:
        return bytes(data), "3gp" if three_gp else "mp4"
    if b"soun" in handlers:
        return bytes(data), "3gp-audio" if three_gp else "m4a"
    raise ValueError("no audio or video track")


def _clean_moov(data: bytearray, start: int, end: int) -> set[bytes]:
    handlers: set[bytes] = set()
    for kind, at, payload, box_end in _boxes(data, start, end):
        if kind in _MP4_METADATA:
            _blank(data, at, payload, box_end)
        elif kind in {b"trak", b"mdia"}:
            handlers |= _clean_moov(data, payload, box_end)
        elif kind == b"hdlr":
            # version and flags (4), pre_defined (4), then the handler type.
            handlers.add(bytes(data[payload + 8 : payload + 12]))
    return handlers


def _blank(data: bytearray, at: int, payload: int, end: int) -> None:
    # Same size, so every offset in the file stays valid; zeros, so nothing is left to read.
    data[at + 4 : at + 8] = b"free"
    data[payload:end] = bytes(end - payload)
