"""Entering a paper letter: find whose it is, or open an account for the sender, and lodge it
through the same pipeline as every other channel, with its scans as attachments.

The sender is matched by the mobile number written in the letter, then by the CNIC. A sender
the portal does not know gets a letter-only citizen account: no password, no profile, the
number stored only when no other account holds it. Should they later log in with that number
by SMS code, they find the complaints their letters raised.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.identity import Document
from citizen_portal.accounts.models import LETTER_ACCOUNT_PREFIX, Role, User
from citizen_portal.accounts.services.citizens import citizen_by_phone, document_find
from citizen_portal.complaints.models import Channel, Kind
from citizen_portal.complaints.services.attachments.refusals import refuse
from citizen_portal.complaints.services.attachments.sniffing import sniff
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.intake.services.lodging import channel_lodge
from citizen_portal.mailroom.models import Letter

FORM_REUSED = "form_reused"
# What a scan may be: a photo or a scanner's PDF. (Audio and video are for the web form.)
SCAN_TYPES = frozenset({"pdf", "jpeg", "png"})


@dataclass(frozen=True)
class LetterInput:
    sender_name: str
    postal_address: str
    phone: str  # E.164, or empty
    document: Document | None
    language: str
    received_on: date
    letter_date: date | None
    category: Category | None
    area: AdminUnit | None
    kind: Kind
    subject: str
    description: str


@dataclass(frozen=True)
class Entered:
    letter: Letter
    # The letter is a registered citizen's (matched by number or CNIC), not a new account's.
    matched: bool
    # The form had been submitted before: nothing new was lodged.
    again: bool = False


def sender_match(*, phone: str, document: Document | None) -> User | None:
    """The active citizen account the letter's number, or else its CNIC, belongs to."""
    if phone:
        by_phone = citizen_by_phone(phone)
        if by_phone is not None and by_phone.is_active:
            return by_phone
    if document is not None:
        profile = document_find(document)
        if profile is not None and profile.user.is_active and profile.user.is_citizen:
            return profile.user
    return None


def _letter_account(data: LetterInput) -> User:
    """A citizen account for a sender the portal does not know: they never chose a password,
    and their number (when they wrote one) is kept only if no other account holds it, since a
    number is one account's. The number is not trusted: an operator typed it from a letter,
    and a slip would send the complaint's news (and a password reset) to a stranger's phone.
    So no SMS goes to it, and it logs nobody in; the replies go by post."""
    phone = data.phone if data.phone and not User.objects.filter(phone=data.phone).exists() else ""
    user = User(
        username=f"{LETTER_ACCOUNT_PREFIX}{uuid.uuid4().hex}",
        role=Role.CITIZEN,
        full_name=data.sender_name,
        phone=phone or None,
        phone_verified=False,
        preferred_language=data.language,
    )
    user.set_unusable_password()
    user.save()
    return user


def scans_check(files: Sequence[UploadedFile[bytes]]) -> None:
    """Refuse (ApplicationError) any file that is not a PDF, JPEG or PNG, by its content."""
    for upload in files:
        head = upload.read(64)
        upload.seek(0)
        if sniff(head) not in SCAN_TYPES:
            refuse(
                _("“%(name)s” is not a scan: attach PDF, JPEG or PNG files.")
                % {"name": upload.name or "?"},
                "scan_type",
            )


def letter_find(operator: User, key: str) -> Letter | None:
    return (
        Letter.objects.filter(entered_by=operator, submission_key=key)
        .select_related("complaint", "complaint__citizen")
        .first()
    )


def _already(letter: Letter, data: LetterInput) -> Entered:
    """The letter this form entered before; refused when the form now carries another letter
    (reused with the browser's Back button), which would otherwise be lost without a word."""
    same = (
        letter.sender_name == data.sender_name
        and letter.complaint.description[:100] == data.description.strip()[:100]
    )
    if not same:
        raise ApplicationError(
            _(
                "This form was already used to enter %(ref)s. Your new letter has not been "
                "entered yet; check it and press the button again."
            )
            % {"ref": letter.complaint.reference},
            code=FORM_REUSED,
        )
    matched = not letter.complaint.citizen.username.startswith(LETTER_ACCOUNT_PREFIX)
    return Entered(letter, matched=matched, again=True)


def letter_enter(
    *,
    operator: User,
    data: LetterInput,
    files: Sequence[UploadedFile[bytes]],
    key: str,
) -> Entered:
    """Lodge the letter as a complaint of its sender, entered by `operator` on the letter
    channel, and keep the sender's postal address for the replies. The form's `key` makes a
    second press of the button (or a resubmitted page) return the letter already entered.
    Raises ApplicationError (nothing is kept) when the complaint or a scan is refused."""
    earlier = letter_find(operator, key)
    if earlier is not None:
        return _already(earlier, data)
    scans_check(files)
    try:
        with transaction.atomic():
            citizen = sender_match(phone=data.phone, document=data.document)
            matched = citizen is not None
            if citizen is None:
                citizen = _letter_account(data)
            complaint = channel_lodge(
                citizen=citizen,
                channel=Channel.LETTER,
                subject=data.subject,
                description=data.description,
                category=data.category,
                area=data.area,
                kind=data.kind,
                entered_by=operator,
                files=files,
                idempotency_key=key,
            )
            letter = Letter.objects.create(
                complaint=complaint,
                sender_name=data.sender_name,
                postal_address=data.postal_address,
                phone=data.phone,
                document_masked=data.document.masked if data.document else "",
                letter_date=data.letter_date,
                received_on=data.received_on,
                language=data.language,
                entered_by=operator,
                submission_key=key,
            )
    except IntegrityError:
        # A concurrent twin of this submission committed first: its letter is the one.
        earlier = letter_find(operator, key)
        if earlier is None:
            raise
        return _already(earlier, data)
    return Entered(letter, matched=matched)
