"""Every door into the same pipeline: a complaint that arrived by e-mail, SMS, the helpline or a
letter is lodged by `complaint_lodge` like one from the web, with its channel recorded and, for
assisted channels, the staff member who entered it.

A message that says nothing the portal can route by (no department address, no category
keyword) is lodged under the general category (`INTAKE_GENERAL_CATEGORY`), whose department's
complaint cell sorts it from its triage queue by transferring it to the right department.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import CitizenProfile, User
from citizen_portal.complaints.models import Channel, Complaint, Kind
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.directory.selectors.memo import area_by_code, category_by_code

SUBJECT_MAX = 200
DESCRIPTION_MAX = 5000


def general_category() -> Category:
    """The category of complaints nobody has sorted yet (loaded by load_directory)."""
    category = category_by_code(settings.INTAKE_GENERAL_CATEGORY)
    if category is None:
        raise ApplicationError(
            _("The portal has no general category set up; please ask an administrator."),
            code="no_general_category",
        )
    return category


def area_for(citizen: User) -> AdminUnit:
    """Where a complaint that names no place is about: the citizen's home district, or the
    default area (`INTAKE_DEFAULT_AREA`, the federal capital) for citizens without one, such
    as overseas Pakistanis."""
    profile = CitizenProfile.objects.filter(user=citizen).select_related("home_district").first()
    home = profile.home_district if profile is not None else None
    if home is not None and home.is_active and home.level in {"district", "tehsil"}:
        return home
    area = area_by_code(settings.INTAKE_DEFAULT_AREA)
    if area is None:
        raise ApplicationError(
            _("The portal has no default district set up; please ask an administrator."),
            code="no_default_area",
        )
    return area


def subject_from(subject: str, description: str) -> str:
    """A subject of at most SUBJECT_MAX characters; the description's first line when the
    sender gave none (an SMS never has one)."""
    subject = " ".join((subject or "").split())
    if not subject:
        first = next((line for line in description.splitlines() if line.strip()), "")
        subject = " ".join(first.split())
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1].rstrip() + "…"
    return subject or str(_("(no subject)"))


def channel_lodge(
    *,
    citizen: User,
    channel: Channel,
    subject: str,
    description: str,
    category: Category | None = None,
    area: AdminUnit | None = None,
    kind: Kind = Kind.COMPLAINT,
    entered_by: User | None = None,
    files: Sequence[UploadedFile[bytes]] = (),
    idempotency_key: str | None = None,
) -> Complaint:
    """Lodge what arrived on `channel` for `citizen`, through the same checks, routing,
    deadline, timeline and notifications as the web form. Without a category it goes to the
    general category's triage queue; without an area, to the citizen's home district.

    The description is cut at DESCRIPTION_MAX characters; the caller keeps the whole text
    (the stored e-mail or SMS, the scanned letter)."""
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("The message has no text."), code="empty")
    if len(description) > DESCRIPTION_MAX:
        description = description[: DESCRIPTION_MAX - 1].rstrip() + "…"
    data = ComplaintInput(
        category=category or general_category(),
        area=area or area_for(citizen),
        subject=subject_from(subject, description),
        description=description,
        language=citizen.preferred_language or "en",
        channel=channel,
        kind=kind,
    )
    return complaint_lodge(
        citizen=citizen,
        data=data,
        idempotency_key=idempotency_key,
        files=files,
        entered_by=entered_by,
    )
