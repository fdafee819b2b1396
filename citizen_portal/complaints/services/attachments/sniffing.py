"""The accepted file types, and recognising them from a file's first bytes."""

from __future__ import annotations

from dataclasses import dataclass

from citizen_portal.complaints.models import Attachment

FileKind = Attachment.Kind


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extension: str


# Every type the portal accepts, by the name the sniffer gives it. The extension and the
# Content-Type a file is stored and served with come from here, never from the upload.
TYPES: dict[str, FileType] = {
    "jpeg": FileType(FileKind.IMAGE, "image/jpeg", "jpg"),
    "png": FileType(FileKind.IMAGE, "image/png", "png"),
    "webp": FileType(FileKind.IMAGE, "image/webp", "webp"),
    "pdf": FileType(FileKind.PDF, "application/pdf", "pdf"),
    "mp3": FileType(FileKind.AUDIO, "audio/mpeg", "mp3"),
    "aac": FileType(FileKind.AUDIO, "audio/aac", "aac"),
    "m4a": FileType(FileKind.AUDIO, "audio/mp4", "m4a"),
    "3gp-audio": FileType(FileKind.AUDIO, "audio/3gpp", "3gp"),
    "ogg": FileType(FileKind.AUDIO, "audio/ogg", "ogg"),
    "opus": FileType(FileKind.AUDIO, "audio/ogg", "opus"),
    "amr": FileType(FileKind.AUDIO, "audio/amr", "amr"),
    "amr-wb": FileType(FileKind.AUDIO, "audio/amr-wb", "awb"),
    "wav": FileType(FileKind.AUDIO, "audio/wav", "wav"),
    "webm-audio": FileType(FileKind.AUDIO, "audio/webm", "webm"),
    "mp4": FileType(FileKind.VIDEO, "video/mp4", "mp4"),
    "3gp": FileType(FileKind.VIDEO, "video/3gpp", "3gp"),
    "webm": FileType(FileKind.VIDEO, "video/webm", "webm"),
}
ACCEPTED_NAMES = "JPEG, PNG, WebP, PDF, MP3, M4A, AAC, OGG, Opus, AMR, WAV, MP4, 3GP, WebM"

# Enough to recognise every type above (an Ogg page header with its segment table, the start of
# an EBML header, an MP4 `ftyp` box).
HEAD_BYTES = 4096
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
    b"M4V ", b"M4VH", b"M4VP", b"M4A ", b"M4B ", b"dash", b"mmp4", b"MSNV",
}  # fmt: skip
_HEIF_BRANDS = {
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis",
}  # fmt: skip


def sniff(head: bytes) -> str | None:
    """The type the first bytes announce, or None for anything not accepted (HTML, SVG,
    scripts, executables, archives, Office files ...) whatever its name."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[:4] == b"RIFF" and head[8:12] in {b"WEBP", b"WAVE"}:
        return "webp" if head[8:12] == b"WEBP" else "wav"
    if head.startswith(b"#!AMR\n"):
        return "amr"
    if head.startswith(b"#!AMR-WB\n"):
        return "amr-wb"
    if head.startswith(b"OggS"):
        return _sniff_ogg(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # EBML; the DocType element (0x4282, 4 bytes) must say webm, not matroska.
        return "webm" if b"\x42\x82\x84webm" in head[:64] else None
    if head[4:8] == b"ftyp":
        return _sniff_ftyp(head)
    if head.startswith(b"ID3"):
        return "mp3"  # the frame after the tag is checked once the whole file is read
    return mpeg_frame(head, 0)


def _sniff_ogg(head: bytes) -> str | None:
    # The first page holds one packet naming the codec: Opus or Vorbis audio; not video.
    if len(head) < 28:
        return None
    packet = head[27 + head[26] :]
    if packet.startswith(b"OpusHead"):
        return "opus"
    if packet.startswith(b"\x01vorbis"):
        return "ogg"
    return None


def _sniff_ftyp(head: bytes) -> str | None:
    size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    if major.startswith(b"3g"):
        return "3gp"
    if major in {b"M4A ", b"M4B "}:
        return "m4a"
    # QuickTime (qt) and HEIF photos (heic, mif1, avif ...) are not among the accepted types.
    if major == b"qt  " or major in _HEIF_BRANDS:
        return None
    if major in _MP4_BRANDS or compatible & _MP4_BRANDS:
        return "mp4"
    return None


def mpeg_frame(data: bytes, at: int) -> str | None:
    """The type of the MPEG audio frame header (MP3's Layer III or AAC's ADTS) at `at`."""
    if at < 0 or at + 3 > len(data) or data[at] != 0xFF:
        return None
    b1, b2 = data[at + 1], data[at + 2]
    if (b1 & 0xF6) == 0xF0 and (b2 >> 2) & 0x0F < 13:
        return "aac"
    layer3 = (b1 & 0xE0) == 0xE0 and (b1 >> 1) & 3 == 1 and (b1 >> 3) & 3 != 1
    if layer3 and (b2 >> 4) not in {0, 15} and (b2 >> 2) & 3 != 3:
        return "mp3"
    return None
