"""Attachments: checked by content, cleaned, and stored through Django's storage API.

`attachments_prepare` reads and judges every file before the caller opens its transaction, so one
bad file refuses the whole submission and nothing is saved. Nothing the uploader chose reaches
the disk: the stored name is generated, and the type (hence the extension and the Content-Type
the file is served with) comes from the bytes, never from the name or the browser's claim.
Photos are decoded and re-encoded, which drops EXIF (GPS, camera, time), XMP and comments; MP4
and 3GP files lose their metadata boxes. Other audio and video files are stored as uploaded.

The checks live in the modules beside this one: `sniffing` (the accepted types, recognised from
the first bytes), `images` (photos), `media` (audio and video), `pdf` (active content), `names`
(the display name) and `refusals` (the errors the uploader sees).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Attachment, Complaint, Event
from citizen_portal.complaints.services.attachments.images import clean_image
from citizen_portal.complaints.services.attachments.media import clean_media
from citizen_portal.complaints.services.attachments.names import display_name
from citizen_portal.complaints.services.attachments.pdf import check_pdf
from citizen_portal.complaints.services.attachments.refusals import quoted, refuse, too_large
from citizen_portal.complaints.services.attachments.sniffing import (
    ACCEPTED_NAMES,
    HEAD_BYTES,
    TYPES,
    FileKind,
    FileType,
    sniff,
)
from citizen_portal.core.storage import storage_errors, storage_guard

__all__ = [
    "ACCEPTED_NAMES",
    "TYPES",
    "FileType",
    "Prepared",
    "attachments_prepare",
    "attachments_save",
    "display_name",
    "event_data",
]


@dataclass(frozen=True)
class Prepared:
    """A file that passed the checks, with the exact bytes that will be stored."""

    content: bytes
    kind: str
    content_type: str
    extension: str
    original_name: str
    sha256: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def attachments_prepare(
    files: Sequence[UploadedFile[bytes]], *, share_location: bool = False
) -> list[Prepared]:
    """Check and clean every file, or refuse them all with an ApplicationError. Photo GPS is
    kept (on the Prepared, never in the file) only when `share_location` is set."""
    files = list(files)
    if not files:
        return []
    most = settings.ATTACHMENT_MAX_FILES
    if len(files) > most:
        refuse(
            ngettext_lazy(
                "Please attach at most %(n)d file.", "Please attach at most %(n)d files.", "n"
            )
            % {"n": most},
            "too_many_files",
        )
    # Sizes as Django counted them while receiving: the total is refused before any is read.
    total = settings.ATTACHMENT_TOTAL_MAX_BYTES
    if sum(upload.size or 0 for upload in files) > total:
        refuse(
            _("The attached files come to more than %(limit)s in all; please send fewer.")
            % {"limit": filesizeformat(total)},
            "attachments_too_large",
        )
    return [_prepare_one(upload, share_location) for upload in files]


def event_data(prepared: Sequence[Prepared]) -> dict[str, Any]:
    """What the timeline event records of the files: names and content hashes, so an evidence
    file swapped later no longer matches the hash-chained event."""
    if not prepared:
        return {}
    return {"files": [{"name": p.original_name, "sha256": p.sha256} for p in prepared]}


def attachments_save(
    prepared: Sequence[Prepared], *, complaint: Complaint, event: Event, user: User
) -> list[Attachment]:
    """Write the files under generated names and record them. Called inside the caller's
    transaction, after its timeline event is written. A storage that fails raises
    StorageUnavailable, and the caller's transaction rolls back: nothing is half-lodged."""
    saved: list[Attachment] = []
    try:
        for item in prepared:
            attachment = Attachment(
                complaint=complaint,
                event=event,
                uploaded_by=user,
                kind=item.kind,
                content_type=item.content_type,
                size=len(item.content),
                sha256=item.sha256,
                original_name=item.original_name,
                latitude=item.latitude,
                longitude=item.longitude,
            )
            name = f"{uuid.uuid4().hex}.{item.extension}"
            with storage_guard("storing an attachment"):
                attachment.file.save(name, ContentFile(item.content), save=False)
            saved.append(attachment)
            attachment.save(force_insert=True)
    except BaseException:
        # The caller's transaction will roll back the rows; the files written so far would
        # be orphans on disk, so remove them. (A rollback after this returns leaves its files
        # behind: storage has no transactions.)
        for attachment in saved:
            if attachment.file.name:
                with suppress(*storage_errors()):  # a failing storage: the error below counts
                    attachment.file.storage.delete(attachment.file.name)
        raise
    return saved


def _prepare_one(upload: UploadedFile[bytes], share_location: bool) -> Prepared:
    name = display_name(upload.name or "")
    largest = max(settings.ATTACHMENT_MAX_BYTES, settings.ATTACHMENT_MEDIA_MAX_BYTES)
    if upload.size == 0:
        refuse(_("%(name)s is empty.") % {"name": quoted(name)}, "attachment_empty")
    if upload.size is not None and upload.size > largest:
        too_large(name, largest)
    upload.open("rb")
    head = upload.read(HEAD_BYTES)
    if not head:
        refuse(_("%(name)s is empty.") % {"name": quoted(name)}, "attachment_empty")
    family = sniff(head)
    if family is None:
        refuse(
            _("%(name)s is not a file the portal accepts. Please attach %(types)s files.")
            % {"name": quoted(name), "types": ACCEPTED_NAMES},
            "attachment_type",
        )
    kind = TYPES[family].kind
    limit = (
        settings.ATTACHMENT_MAX_BYTES
        if kind in {FileKind.IMAGE, FileKind.PDF}
        else settings.ATTACHMENT_MEDIA_MAX_BYTES
    )
    if upload.size is not None and upload.size > limit:
        too_large(name, limit)
    # Read at most one byte past the limit: Django counts what it receives, but a storage
    # backend or a test may hand over a file with another size than it claims.
    content = head
    if len(content) <= limit:
        content += upload.read(limit + 1 - len(content))
    if len(content) > limit:
        too_large(name, limit)
    location = None
    if kind == FileKind.IMAGE:
        content, location = clean_image(content, family, name, share_location)
    elif kind == FileKind.PDF:
        check_pdf(content, name)
    else:
        content, family = clean_media(content, family, name)
    filetype = TYPES[family]
    return Prepared(
        content=content,
        kind=filetype.kind,
        content_type=filetype.content_type,
        extension=filetype.extension,
        original_name=display_name(upload.name or "", filetype.extension),
        sha256=hashlib.sha256(content).hexdigest(),
        latitude=location[0] if location else None,
        longitude=location[1] if location else None,
    )
