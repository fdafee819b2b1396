"""Likely duplicates of a complaint: open complaints of the same category and kind, near the
same place, that say much the same thing (issue 14).

Candidates are read in at most two bounded queries — the district and its tehsils (served by
the `complaint_nearby` index), and, when the complaint has a map point, shared points within
`DUPLICATES_RADIUS_KM` across the district's border — newest first, at most
`CANDIDATE_LIMIT` of each. Their words are then scored against the new text in memory
(text_similarity.py): one TF-IDF fit over a few hundred short texts, a few milliseconds.

Two readers: the citizen about to lodge (`draft_duplicates`: nothing of another citizen's text
or identity, only what `SimilarOpen` in complaints/selectors/related.py allows, with how many
others reported it) and the officer on the complaint's page (`officer_duplicates`: with which
of them the reader may open, by the same rule as the related complaints).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import OPEN_STATUSES, Complaint, Kind
from citizen_portal.complaints.selectors.related import (
    SIMILAR_LIMIT,
    WHOLE_DEPARTMENT,
    _reaching,
    public_stage,
)
from citizen_portal.complaints.services.permissions import capacities
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.directory.selectors.positions import positions_held
from citizen_portal.systemic.selectors.text_similarity import (
    complaint_text,
    distance_km,
    similarities,
    threshold_at,
)

# Candidates read per query, newest first: a bound on the time whatever the backlog.
CANDIDATE_LIMIT = 300
# Two map points this close are "the same street": the text may be a little less alike.
CLOSE_KM = 0.3
CLOSE_BONUS = 0.05
_OPEN = sorted(OPEN_STATUSES)
_SCORED = ("pk", "subject", "description", "latitude", "longitude", "share_location")
# What a citizen may be shown of another citizen's complaint (PublicDuplicate), read with the
# candidates so that the review step costs the same queries whatever it finds.
_PUBLIC = (
    "reference",
    "status",
    "created_at",
    "citizen_id",
    "area__name_en",
    "area__name_ur",
    "area__parent__name_en",
    "area__parent__name_ur",
)
_PUBLIC_LEVEL = "area__level"


@dataclass(frozen=True)
class Candidate:
    pk: int
    text: str  # normalised subject and description
    latitude: float | None  # when shared
    longitude: float | None
    inside: bool  # in the district (else across its border, within the radius's box)
    row: dict[str, Any]  # the values read


@dataclass(frozen=True)
class DuplicateMatch:
    complaint: Complaint
    similarity: float  # 0 to 1
    distance_km: float | None  # when both have a shared map point

    @property
    def percent(self) -> int:
        return round(100 * self.similarity)


def radius_km() -> float:
    return float(getattr(settings, "DUPLICATES_RADIUS_KM", 2.0))


def min_similarity() -> float:
    return float(settings.DUPLICATES_MIN_SIMILARITY)


def district_of(area: AdminUnit) -> AdminUnit:
    """The district around a tehsil (one query), or the area itself."""
    if area.level == AdminUnit.Level.TEHSIL and area.parent_id is not None:
        return AdminUnit.objects.filter(pk=area.parent_id).first() or area
    return area


def _public_annotations() -> dict[str, Any]:
    """How many others reported each candidate (complaints the office marked as its
    duplicates, citizens who follow it instead of lodging) and the public title of its
    systemic issue: correlated subqueries, each on an indexed foreign key."""
    from citizen_portal.systemic.models import Follow, SystemicIssue

    def counted(model: Any, key: str) -> Any:
        inner = (
            model.objects.filter(**{key: OuterRef("pk")})
            .order_by()
            .values(key)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))

    title = SystemicIssue.objects.filter(complaints=OuterRef("pk")).order_by("pk").values("title")
    return {
        "joined": counted(Complaint, "duplicate_of"),
        "following": counted(Follow, "complaint"),
        "issue_title": Subquery(title[:1]),
    }


def _candidates(
    *,
    category: Category,
    area: AdminUnit,
    kind: str,
    latitude: float | None,
    longitude: float | None,
    exclude_complaint_id: int | None,
    public: bool,
    department_id: int | None = None,
) -> list[Candidate]:
    """The open complaints to compare with: the district's, then those across its border."""
    district = district_of(area)
    # The district and its tehsils, as a subquery: one round trip for the candidates.
    areas = AdminUnit.objects.filter(Q(pk=district.pk) | Q(parent_id=district.pk)).values("pk")
    base = Complaint.objects.filter(category=category, kind=kind, status__in=_OPEN)
    if exclude_complaint_id is not None:
        base = base.exclude(pk=exclude_complaint_id)
    if department_id is not None:  # one moved to another department is no longer comparable
        base = base.filter(department_id=department_id)
    fields = (*_SCORED, *_PUBLIC, _PUBLIC_LEVEL) if public else _SCORED
    extra = _public_annotations() if public else {}
    queries = [(True, base.filter(area_id__in=areas))]
    if latitude is not None and longitude is not None:
        radius = radius_km()
        dlat = radius / 111.0
        dlon = radius / (111.0 * max(0.01, math.cos(math.radians(latitude))))
        box = base.filter(
            share_location=True,
            latitude__range=(Decimal(f"{latitude - dlat:.6f}"), Decimal(f"{latitude + dlat:.6f}")),
            longitude__range=(
                Decimal(f"{longitude - dlon:.6f}"),
                Decimal(f"{longitude + dlon:.6f}"),
            ),
        ).exclude(area_id__in=areas)
        queries.append((False, box))
    found = []
    for inside, query in queries:
        rows = query.order_by("-created_at", "-pk").values(*fields, **extra)[:CANDIDATE_LIMIT]
        for row in rows:
            lat, lon = row["latitude"], row["longitude"]
            point = bool(row["share_location"]) and lat is not None and lon is not None
            found.append(
                Candidate(
                    row["pk"],
                    complaint_text(row["subject"], row["description"]),
                    float(lat) if point else None,
                    float(lon) if point else None,
                    inside,
                    row,
                )
            )
    return found


def _matching(
    *,
    category: Category,
    area: AdminUnit,
    text: str,
    latitude: float | Decimal | None,
    longitude: float | Decimal | None,
    kind: str,
    exclude_complaint_id: int | None,
    limit: int,
    public: bool = False,
    department_id: int | None = None,
) -> list[tuple[Candidate, float, float | None]]:
    """The candidates alike enough, with their similarity and distance, most alike first."""
    lat = float(latitude) if latitude is not None and longitude is not None else None
    lon = float(longitude) if latitude is not None and longitude is not None else None
    found = _candidates(
        category=category,
        area=area,
        kind=str(kind),
        latitude=lat,
        longitude=lon,
        exclude_complaint_id=exclude_complaint_id,
        public=public,
        department_id=department_id,
    )
    if not found:
        return []
    scores = similarities(complaint_text("", text), [c.text for c in found])
    base, radius = min_similarity(), radius_km()
    kept: list[tuple[Candidate, float, float | None]] = []
    for c, score in zip(found, scores, strict=True):
        far = None
        if (
            lat is not None
            and lon is not None
            and c.latitude is not None
            and c.longitude is not None
        ):
            far = distance_km(lat, lon, c.latitude, c.longitude)
        # Across the border only within the radius (the box's corners are further out).
        if not c.inside and (far is None or far > radius):
            continue
        if score >= threshold_at(far, base, CLOSE_KM, CLOSE_BONUS):
            kept.append((c, score, far))
    kept.sort(key=lambda k: (-k[1], -k[0].pk))
    return kept[:limit]


def likely_duplicates(
    *,
    category: Category,
    area: AdminUnit,
    text: str,
    latitude: float | Decimal | None = None,
    longitude: float | Decimal | None = None,
    kind: str = Kind.COMPLAINT,
    exclude_complaint_id: int | None = None,
    limit: int = 5,
    department_id: int | None = None,
) -> list[DuplicateMatch]:
    """Open complaints of `category` and `kind` in `area`'s district (or, with a map point,
    within the radius) whose text is at least `DUPLICATES_MIN_SIMILARITY` alike, the most
    alike first, at most `limit`. At most five queries whatever the number of complaints."""
    kept = _matching(
        category=category,
        area=area,
        text=text,
        latitude=latitude,
        longitude=longitude,
        kind=kind,
        exclude_complaint_id=exclude_complaint_id,
        limit=limit,
        department_id=department_id,
    )
    complaints = Complaint.objects.select_related(
        "category", "area", "assigned_position", "assigned_position__office"
    ).in_bulk([c.pk for c, _s, _d in kept])
    return [
        DuplicateMatch(complaints[c.pk], score, far) for c, score, far in kept if c.pk in complaints
    ]


# --- For the citizen about to lodge --------------------------------------------------------


@dataclass(frozen=True)
class PublicDuplicate:
    """All a citizen may see of another citizen's likely duplicate (docs/security.md, "Who sees
    what"): the category and district, a coarse stage, the day, how many others reported it
    (complaints the office joined to it, citizens following it), and the public title of the
    systemic issue it belongs to. The reference only addresses the "follow" form."""

    reference: str
    category: str
    district: str
    stage: str
    lodged_on: date
    others: int
    issue_title: str


def draft_duplicates(
    *,
    category: Category,
    area: AdminUnit,
    subject: str,
    description: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    kind: str,
    citizen_id: int,
    limit: int = 5,
) -> list[PublicDuplicate]:
    """Other citizens' open complaints that look like the draft (the citizen's own are listed
    by complaints/selectors/related.py `similar_open_nearby`). Two or three queries, found or
    not."""
    kept = _matching(
        category=category,
        area=area,
        text=f"{subject} {description}",
        latitude=latitude,
        longitude=longitude,
        kind=kind,
        exclude_complaint_id=None,
        limit=limit + SIMILAR_LIMIT,  # room for the citizen's own, left out below
        public=True,
    )
    found = []
    for c, _score, _far in kept:
        row = c.row
        if row["citizen_id"] == citizen_id:
            continue
        unit = "area__parent" if row[_PUBLIC_LEVEL] == AdminUnit.Level.TEHSIL else "area"
        english, urdu = row[f"{unit}__name_en"], row[f"{unit}__name_ur"]
        found.append(
            PublicDuplicate(
                reference=row["reference"],
                category=category.name,
                district=str(urdu if urdu and translation.get_language() == "ur" else english),
                stage=public_stage(row["status"]),
                lodged_on=timezone.localdate(row["created_at"]),
                others=int(row["joined"]) + int(row["following"]),
                issue_title=str(row["issue_title"] or ""),
            )
        )
    return found[:limit]


# --- For the officer on the complaint's page -----------------------------------------------


@dataclass(frozen=True)
class OfficerDuplicate:
    match: DuplicateMatch
    openable: bool


def officer_duplicates(user: User, complaint: Complaint, limit: int = 5) -> list[OfficerDuplicate]:
    """Likely duplicates of `complaint`, with which of them `user` may open: the focal person
    and complaint cell reach their department's, officers the posts they hold and below."""
    shared = complaint.share_location and complaint.latitude is not None
    matches = likely_duplicates(
        category=complaint.category,
        area=complaint.area,
        text=f"{complaint.subject} {complaint.description}",
        latitude=complaint.latitude if shared else None,
        longitude=complaint.longitude if shared else None,
        kind=complaint.kind,
        exclude_complaint_id=complaint.pk,
        limit=limit,
        department_id=complaint.department_id,  # as the related complaints: the department's
    )
    if not matches:
        return []
    whole = bool(capacities(user, complaint) & WHOLE_DEPARTMENT)
    posts = {
        m.complaint.assigned_position_id
        for m in matches
        if m.complaint.assigned_position_id is not None
    }
    reachable: set[int] = set()
    if posts:
        held = set(positions_held(user).values_list("pk", flat=True))
        reachable = _reaching(posts, held)
    return [
        OfficerDuplicate(
            m,
            whole or (m.complaint.assigned_position_id or 0) in reachable,
        )
        for m in matches
    ]
