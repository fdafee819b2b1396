"""Lodging what the step-by-step form gathered: the draft checked again against the directory
as it is now (a category or district may have been retired, a post moved, since the step was
done), turned into a `ComplaintInput`, and lodged once with the draft's idempotency key."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Kind
from citizen_portal.complaints.selectors.lodge import (
    category_for_lodging,
    district_check,
    posts_in_district,
    tehsil_in,
)
from citizen_portal.complaints.services.lodge_drafts import (
    Draft,
    draft_close,
    draft_forget_files,
    draft_uploads,
)
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Category, Position

# Pakistan, Azad Jammu and Kashmir and Gilgit-Baltistan, with a margin: a point outside is a
# typing mistake, or the phone of a citizen abroad (their location is not the problem's).
LATITUDES = (Decimal(23), Decimal(38))
LONGITUDES = (Decimal(60), Decimal(78))
PLACES = Decimal("0.000001")  # what the complaint stores: about 10 cm


class DraftStepError(ApplicationError):
    """A step of the draft is no longer right; `step` is where to correct it."""

    def __init__(self, message: StrOrPromise, *, step: str) -> None:
        super().__init__(message, code=f"draft_{step}")
        self.step = step


@dataclass(frozen=True)
class DraftParts:
    """The directory entries the draft names, read again."""

    category: Category
    district: AdminUnit
    tehsil: AdminUnit | None
    against: Position | None
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def area(self) -> AdminUnit:
        return self.tehsil or self.district


def coordinate(text: str, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    """A latitude or longitude typed or sent by the browser, rounded to what is stored; None
    when empty. ValueError when it is not a number within `bounds`."""
    text = text.strip().replace("٫", ".").replace(",", ".")
    if not text:
        return None
    if len(text) > 30:
        raise ValueError(text)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite() or not bounds[0] <= value <= bounds[1]:
        raise ValueError(text)
    return value.quantize(PLACES)


def draft_parts(draft: Draft) -> DraftParts:
    """Each id of the draft, read again; DraftStepError names the first step that is wrong."""
    category = category_for_lodging(draft.category)
    if category is None:
        raise DraftStepError(
            _("The category you chose is no longer in use. Please choose another."), step="what"
        )
    if category.out_of_scope:
        raise DraftStepError(_("This matter is outside what the portal can handle."), step="what")
    district = district_check(draft.district).unit
    if district is None:
        raise DraftStepError(_("Choose a district from the list."), step="where")
    tehsil = tehsil_in(district, draft.tehsil) if draft.tehsil else None
    if draft.tehsil and tehsil is None:
        raise DraftStepError(_("Choose a tehsil of the district, or none."), step="where")
    try:
        latitude = coordinate(draft.latitude, LATITUDES)
        longitude = coordinate(draft.longitude, LONGITUDES)
    except ValueError as exc:
        raise DraftStepError(_("The location is not a point in Pakistan."), step="where") from exc
    if (latitude is None) != (longitude is None):
        raise DraftStepError(_("A location needs both latitude and longitude."), step="where")
    against = None
    if draft.against and not draft.is_suggestion:
        posts = {post.pk: post for post in posts_in_district(category.department, district)}
        against = posts.get(draft.against)
        if against is None:
            raise DraftStepError(
                _("The post you named is not one of this department's in the district."),
                step="details",
            )
    return DraftParts(category, district, tehsil, against, latitude, longitude)


def draft_input(draft: Draft, parts: DraftParts, *, language: str) -> ComplaintInput:
    if not draft.subject.strip() or not draft.description.strip():
        raise DraftStepError(_("Please write a subject and a description."), step="details")
    located = draft.share_location and parts.latitude is not None
    return ComplaintInput(
        category=parts.category,
        area=parts.area,
        subject=draft.subject,
        description=draft.description,
        language=language,
        kind=Kind(draft.kind),
        against_position=parts.against,
        latitude=parts.latitude if located else None,
        longitude=parts.longitude if located else None,
        share_location=draft.share_location,
    )


def draft_lodge(*, draft: Draft, citizen: User, language: str) -> Complaint:
    """Lodge the draft (checked again) with its files and its idempotency key: sent twice, it
    lodges once. The draft's files are deleted once the complaint has its own copies; the
    caller then discards the draft."""
    if draft.first_incomplete() != "review":
        raise DraftStepError(_("Please complete this step first."), step=draft.first_incomplete())
    parts = draft_parts(draft)
    data = draft_input(draft, parts, language=language)
    uploads = draft_uploads(draft)
    try:
        complaint = complaint_lodge(
            citizen=citizen, data=data, idempotency_key=draft.key, files=uploads
        )
    finally:
        draft_close(uploads)
    draft_forget_files(draft)
    return complaint


def draft_settle(draft: Draft) -> bool:
    """After the first two steps change: a named post that is not among the posts of the
    department in the district any more is removed, and the details step must be done again
    so that the citizen sees it. True when that happened."""
    if not draft.against:
        return False
    if draft.is_suggestion:
        draft.against = None  # suggestions name no officer; nothing to tell
        return False
    category = category_for_lodging(draft.category)
    district = district_check(draft.district).unit
    if category is not None and district is not None:
        posts = posts_in_district(category.department, district)
        if any(post.pk == draft.against for post in posts):
            return False
    draft.against = None
    draft.mark("details", done=False)
    return True
