"""The daily job that finds persistent clusters and groups each into a systemic issue.

A persistent cluster: at least SYSTEMIC_CLUSTER_MIN open complaints of one category in one
district, not yet grouped, lodged over at least SYSTEMIC_CLUSTER_DAYS days, whose words are
mutually alike (services/similar.py). Each becomes an issue owned by the post most of them are
assigned to (else the department's focal post), created by the system.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from citizen_portal.complaints.models import Complaint, Kind
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Position
from citizen_portal.directory.selectors.routing import focal_position_for
from citizen_portal.systemic.models import SystemicIssue
from citizen_portal.systemic.services.issues import GROUPABLE, systemic_issue_create
from citizen_portal.systemic.services.similar import Text, largest_similar_group

logger = logging.getLogger(__name__)


def cluster_min() -> int:
    return int(getattr(settings, "SYSTEMIC_CLUSTER_MIN", 5))


def cluster_days() -> int:
    return int(getattr(settings, "SYSTEMIC_CLUSTER_DAYS", 3))


@dataclass(frozen=True)
class Row:
    pk: int
    reference: str
    category_id: int
    district_id: int
    position_id: int | None
    created_at_ordinal: float
    text: Text


def _rows() -> dict[tuple[int, int], list[Row]]:
    """1. Open, ungrouped complaints by (category, district): one query."""
    rows = (
        Complaint.objects.filter(
            kind=Kind.COMPLAINT, status__in=sorted(GROUPABLE), systemic_link__isnull=True
        )
        .values_list(
            "pk",
            "reference",
            "category_id",
            "area_id",
            "area__level",
            "area__parent_id",
            "assigned_position_id",
            "created_at",
            "subject",
            "description",
        )
        .order_by("pk")
    )
    groups: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for pk, ref, cat, area, level, parent, post, created, subject, description in rows:
        district = parent if level == AdminUnit.Level.TEHSIL and parent else area
        groups[(cat, district)].append(
            Row(pk, ref, cat, district, post, created.timestamp(), Text(pk, subject, description))
        )
    return groups


def _owner(cluster: list[Row], sample: Complaint) -> Position | None:
    counts = Counter(r.position_id for r in cluster if r.position_id is not None)
    for pk, _n in counts.most_common():
        post = Position.objects.select_related("office").filter(pk=pk, is_active=True).first()
        if post is not None and post.office.department_id == sample.department_id:
            return post
    return focal_position_for(sample.department)


def clusters_group() -> list[SystemicIssue]:
    """Group every persistent cluster; returns the issues created."""
    span = timedelta(days=cluster_days()).total_seconds()
    created: list[SystemicIssue] = []
    for (_category, _district), rows in _rows().items():
        # 2. Too few, or all within a few days (a burst, not a persistent problem): skip
        # before scoring any text.
        if len(rows) < cluster_min():
            continue
        if max(r.created_at_ordinal for r in rows) - min(r.created_at_ordinal for r in rows) < span:
            continue
        # 3. The largest mutually similar group must itself be big and long-lived enough.
        ids = set(largest_similar_group([r.text for r in rows]))
        cluster = [r for r in rows if r.pk in ids]
        times = [r.created_at_ordinal for r in cluster]
        if len(cluster) < cluster_min() or max(times) - min(times) < span:
            continue
        sample = Complaint.objects.select_related("department", "category", "area").get(
            pk=cluster[0].pk
        )
        owner = _owner(cluster, sample)
        if owner is None:
            continue
        title = _("%(category)s in %(district)s: %(n)d complaints") % {
            "category": sample.category.name_en,
            "district": AdminUnit.objects.get(pk=cluster[0].district_id).name_en,
            "n": len(cluster),
        }
        try:
            issue = systemic_issue_create(
                complaints=[r.reference for r in cluster],
                title=title,
                summary=_(
                    "Grouped automatically: complaints alike in words, lodged over %(d)d days."
                )
                % {"d": round((max(times) - min(times)) / 86400)},
                owner=owner,
                actor=None,
            )
        except ApplicationError as exc:  # one moved meanwhile; tomorrow's run tries again
            logger.info("systemic cluster skipped", extra={"reason": str(exc)})
            continue
        created.append(issue)
    return created
