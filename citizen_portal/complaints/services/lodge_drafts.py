"""The lodge form's draft: what a citizen has entered so far, kept in their session between
the steps (never in hidden fields, which they could change), and the files they attached,
kept in storage until the complaint is lodged or the draft is given up.

The files are kept as they were uploaded, not cleaned: `complaint_lodge` checks and cleans them
again when the complaint is lodged, with the location choice the citizen has then (a photo's
GPS is kept only if they share their location, and they may change their mind after
attaching). They are checked once here too, so that a refused file is named on the step where
it was attached. Raw photos may hold their GPS, so they are stored under generated names, read
by nobody but this module, and deleted when the complaint is lodged, when the draft is given
up, or after STALE_AFTER by `lodge_drafts_purge`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from citizen_portal.complaints.models import Kind
from citizen_portal.complaints.services import attachments
from citizen_portal.complaints.services.attachments.refusals import refuse
from citizen_portal.core.errors import ApplicationError
from citizen_portal.core.storage import storage_errors, storage_guard

SESSION_KEY = "lodge_draft"
VERSION = 1
# The steps, in order. Review is reached when the four before it are done.
STEPS = ("what", "where", "details", "attachments", "review")
# Storage folder of attached files, one folder per citizen.
STAGING = "lodge-drafts"
# Files older than this belong to drafts given up (a session lasts 12 hours).
STALE_AFTER = timedelta(hours=24)
# What the draft keeps of text that failed its checks (a step left with "Back"): enough to
# correct it, never an unbounded amount in the session.
KEPT_CHARS = 10_000


@dataclass
class StagedFile:
    token: str  # the name the page uses to remove it
    path: str  # where it is in storage
    name: str  # the uploader's file name, cleaned, for display
    size: int


@dataclass
class Draft:
    owner: int
    key: str  # the idempotency key the complaint will be lodged with
    kind: str = Kind.COMPLAINT.value
    department: int | None = None
    category: int | None = None
    query: str = ""
    district: int | None = None
    tehsil: int | None = None
    share_location: bool = False
    latitude: str = ""
    longitude: str = ""
    subject: str = ""
    description: str = ""
    against: int | None = None
    files: list[StagedFile] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    def first_incomplete(self) -> str:
        return next((step for step in STEPS[:-1] if step not in self.done), STEPS[-1])

    def reachable(self, step: str) -> bool:
        """Whether `step` may be shown: every step before it is done."""
        return STEPS.index(step) <= STEPS.index(self.first_incomplete())

    def mark(self, step: str, *, done: bool) -> None:
        if done and step not in self.done:
            self.done.append(step)
        elif not done and step in self.done:
            self.done.remove(step)

    @property
    def is_suggestion(self) -> bool:
        return self.kind == Kind.SUGGESTION

    @property
    def total_size(self) -> int:
        return sum(staged.size for staged in self.files)


def draft_new(owner: int) -> Draft:
    return Draft(owner=owner, key=str(uuid.uuid4()))


def draft_load(session: SessionBase, owner: int) -> Draft:
    """The citizen's draft, or a new one. A draft the session holds in another shape (an older
    version of the portal) or of another account is not used."""
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, dict) or raw.get("v") != VERSION or raw.get("owner") != owner:
        return draft_new(owner)
    try:
        files = [StagedFile(**item) for item in raw.get("files", [])]
        values = {k: v for k, v in raw.items() if k not in {"v", "files"}}
        draft = Draft(**values, files=files)
    except (TypeError, ValueError):
        return draft_new(owner)
    if draft.kind not in Kind.values:
        draft.kind = Kind.COMPLAINT.value
    draft.done = [step for step in draft.done if step in STEPS]
    return draft


def draft_store(session: SessionBase, draft: Draft) -> None:
    session[SESSION_KEY] = {"v": VERSION, **asdict(draft)}


def draft_discard(session: SessionBase, draft: Draft) -> None:
    """Give the draft up: its files are deleted and the next visit starts afresh."""
    _delete(staged.path for staged in draft.files)
    draft.files = []
    session.pop(SESSION_KEY, None)


def kept_text(value: object) -> str:
    """Text from a form, as the draft keeps it when it failed its checks."""
    return str(value or "").replace("\x00", "")[:KEPT_CHARS]


# --- Attached files ----------------------------------------------------------------------


def draft_stage_files(draft: Draft, uploads: Sequence[UploadedFile[bytes]]) -> list[StagedFile]:
    """Check `uploads` with the files already attached, then keep them with the draft. One
    refused file refuses them all (ApplicationError), and nothing is kept."""
    uploads = [upload for upload in uploads if upload]
    if not uploads:
        return []
    _check_limits(draft, uploads)
    # The content checks of lodging (type by content, sizes, PDF actions, photo decoding).
    attachments.attachments_prepare(uploads, share_location=draft.share_location)
    staged = []
    try:
        with storage_guard("keeping a draft's files"):
            # The citizen's own drafts given up earlier: cheap to clear here, whether or not
            # the hourly purge runs.
            lodge_drafts_purge(owner=draft.owner)
            for upload in uploads:
                staged.append(_stage_one(draft, upload))
    except BaseException:
        _delete(item.path for item in staged)
        raise
    draft.files.extend(staged)
    return staged


def _stage_one(draft: Draft, upload: UploadedFile[bytes]) -> StagedFile:
    token = uuid.uuid4().hex
    upload.seek(0)
    path = default_storage.save(f"{STAGING}/{draft.owner}/{token}", upload)
    return StagedFile(
        token=token,
        path=path,
        name=attachments.display_name(upload.name or ""),
        size=upload.size or 0,
    )


def _check_limits(draft: Draft, uploads: Sequence[UploadedFile[bytes]]) -> None:
    """The count and total-size limits of `attachments_prepare`, over the files attached
    before and now (same messages, so the same translations)."""
    most = settings.ATTACHMENT_MAX_FILES
    if len(draft.files) + len(uploads) > most:
        refuse(
            ngettext_lazy(
                "Please attach at most %(n)d file.", "Please attach at most %(n)d files.", "n"
            )
            % {"n": most},
            "too_many_files",
        )
    total = settings.ATTACHMENT_TOTAL_MAX_BYTES
    if draft.total_size + sum(upload.size or 0 for upload in uploads) > total:
        refuse(
            _("The attached files come to more than %(limit)s in all; please send fewer.")
            % {"limit": filesizeformat(total)},
            "attachments_too_large",
        )


def draft_unstage(draft: Draft, token: str) -> bool:
    """Remove one attached file; False if the draft has no such file."""
    for staged in draft.files:
        if staged.token == token:
            draft.files.remove(staged)
            _delete([staged.path])
            return True
    return False


def draft_uploads(draft: Draft) -> list[UploadedFile[bytes]]:
    """The attached files, opened, to be lodged; the caller closes them. A file no longer in
    storage (purged, or lodged by a request sent twice) is an ApplicationError; a storage
    that cannot be read just now is StorageUnavailable."""
    opened: list[UploadedFile[bytes]] = []
    try:
        with storage_guard("reading a draft's files"):
            for staged in draft.files:
                handle = default_storage.open(staged.path, "rb")
                opened.append(
                    UploadedFile(
                        file=handle,
                        name=staged.name,
                        content_type="application/octet-stream",
                        size=staged.size,
                    )
                )
    except FileNotFoundError as exc:
        draft_close(opened)
        raise ApplicationError(
            _("A file you attached is no longer with your draft. Please attach it again."),
            code="staged_file_missing",
        ) from exc
    except BaseException:
        draft_close(opened)
        raise
    return opened


def draft_close(uploads: Iterable[UploadedFile[bytes]]) -> None:
    for upload in uploads:
        upload.close()


def draft_forget_files(draft: Draft) -> None:
    """After lodging: the complaint has its own cleaned copies."""
    _delete(staged.path for staged in draft.files)
    draft.files = []


def lodge_drafts_purge(*, now: datetime | None = None, owner: int | None = None) -> int:
    """Delete attached files of drafts given up (older than STALE_AFTER), of every citizen
    or of `owner`; returns how many. A folder per citizen, their files inside."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    removed = 0
    try:
        owners = [str(owner)] if owner is not None else default_storage.listdir(STAGING)[0]
    except FileNotFoundError:
        return 0
    for each in owners:
        folder = f"{STAGING}/{each}"
        try:
            _dirs, names = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for file_name in names:
            path = f"{folder}/{file_name}"
            try:
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    removed += 1
            except FileNotFoundError:
                continue
    return removed


def _delete(paths: Iterable[str]) -> None:
    for path in paths:
        try:
            default_storage.delete(path)
        except storage_errors():
            # Gone already (a request sent twice), or the storage is failing: the purge
            # removes anything left.
            continue
