"""Photos: decoded and re-encoded with Pillow, so the stored file carries pixels only (no EXIF,
XMP or comments). The GPS position is read from EXIF first, for the caller to keep if asked."""

from __future__ import annotations

import io
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps

from citizen_portal.complaints.services.attachments.refusals import quoted, refuse

# Above this a photo is refused before it is decoded: 50 million pixels decode to 150 MB.
IMAGE_MAX_PIXELS = 50_000_000
_PIL_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def clean_image(
    content: bytes, family: str, name: str, share_location: bool
) -> tuple[bytes, tuple[Decimal, Decimal] | None]:
    """Decode, turn upright, and re-encode: the new file carries pixels only."""
    unreadable = _("%(name)s could not be read as a photo.") % {"name": quoted(name)}
    try:
        with Image.open(io.BytesIO(content), formats=[_PIL_FORMAT[family]]) as image:
            # Only the header is read so far: refuse a "decompression bomb" before decoding.
            if image.width * image.height > IMAGE_MAX_PIXELS:
                refuse(_too_many_pixels(name), "image_too_large")
            location = _gps(image.getexif()) if share_location else None
            upright = ImageOps.exif_transpose(image)
            return _encode(upright, family), location
    except Image.DecompressionBombError:
        refuse(_too_many_pixels(name), "image_too_large")
    except (OSError, SyntaxError, ValueError, EOFError, KeyError, IndexError):
        refuse(unreadable, "image_unreadable")


def _too_many_pixels(name: str) -> str:
    return _("%(name)s has more than %(n)d million pixels; please send a smaller photo.") % {
        "name": quoted(name),
        "n": IMAGE_MAX_PIXELS // 1_000_000,
    }


def _encode(image: Image.Image, family: str) -> bytes:
    if family == "jpeg":
        clean = image if image.mode in {"RGB", "L"} else image.convert("RGB")
        options: dict[str, Any] = {"quality": 85, "optimize": True}
    elif image.mode in {"RGB", "RGBA", "L", "LA"} and "transparency" not in image.info:
        clean, options = image, {"optimize": True} if family == "png" else {"quality": 85}
    else:
        clean = image.convert("RGBA")
        options = {"optimize": True} if family == "png" else {"quality": 85}
    if family == "webp" and clean.mode in {"L", "LA"}:
        clean = clean.convert("RGBA" if clean.mode == "LA" else "RGB")
    # Some encoders copy the image's `info` (a JPEG comment, a PNG's ICC profile); the new file
    # gets nothing but pixels.
    clean.info = {}
    out = io.BytesIO()
    clean.save(out, _PIL_FORMAT[family], **options)
    return out.getvalue()


def _gps(exif: Image.Exif) -> tuple[Decimal, Decimal] | None:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    try:
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps[ExifTags.GPS.GPSLatitudeRef], "S")
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps[ExifTags.GPS.GPSLongitudeRef], "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, InvalidOperation, IndexError):
        return None
    if not (abs(latitude) <= 90 and abs(longitude) <= 180) or latitude == longitude == 0:
        return None  # 0, 0 is what cameras write when they have no fix
    return latitude, longitude


def _degrees(parts: Any, ref: Any, negative: str) -> Decimal:
    degrees, minutes, seconds = (float(part) for part in parts)
    if not all(math.isfinite(v) and v >= 0 for v in (degrees, minutes, seconds)):
        raise ValueError("not a coordinate")
    value = Decimal(str(degrees)) + Decimal(str(minutes)) / 60 + Decimal(str(seconds)) / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if str(ref).strip("\x00 ").upper() == negative:
        value = -value
    return value.quantize(Decimal("0.000001"))
