"""Signals 4 and 5: who was really behind a complaint or its feedback.

4. Feedback from staff addresses or devices: the citizen's verdict on a resolution came from an
   address (hashed) a staff member was seen at, logging in or acting, within MATCH_WINDOW of
   it; "same device" when the browser (hashed user agent) matches too. Flagged from
   MIN_DEVICE_MATCHES such verdicts on one officer's resolutions, or from one that matches the
   resolving officer themself.
5. Lodged and resolved by the same people: the complaint was entered (by the helpline or the
   mail room) by the officer who resolved it; or lodged from the resolving officer's own
   account; or by a citizen whose proved e-mail address is also a staff account's. Phone
   numbers are unique across accounts, so a citizen's phone cannot be a staff account's.
   Flagged from MIN_SAME_PEOPLE case: none of these has an everyday explanation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models.functions import Lower

from citizen_portal.accounts.models import Role, User
from citizen_portal.complaints.selectors.performance import Period
from citizen_portal.directory.models import Department
from citizen_portal.integrity.models import FeedbackFingerprint, StaffFingerprint
from citizen_portal.integrity.selectors.resolutions import Resolution, resolution_events

MATCH_WINDOW = timedelta(days=30)
MIN_DEVICE_MATCHES = 2
MIN_SAME_PEOPLE = 1


@dataclass(frozen=True)
class DeviceMatch:
    resolution: Resolution
    feedback_at: datetime
    disputed: bool
    staff_id: int
    same_device: bool

    @property
    def by_resolver(self) -> bool:
        return self.staff_id == self.resolution.officer_id


def staff_device_matches(
    department: Department, period: Period, rows: Sequence[Resolution]
) -> list[DeviceMatch]:
    """Two queries: the fingerprints of the feedback on these resolutions, and the staff seen
    at those addresses (index staff_fingerprint_ip)."""
    by_event = {r.event_id: r for r in rows}
    given = FeedbackFingerprint.objects.filter(
        feedback__resolution_event__in=resolution_events(department, period)
    )
    feedback = list(
        given.values_list(
            "feedback__resolution_event_id",
            "feedback__satisfied",
            "ip_hash",
            "agent_hash",
            "created_at",
        )
    )
    if not feedback:
        return []
    seen: dict[str, list[tuple[int, str, datetime, datetime]]] = defaultdict(list)
    for user_id, ip_hash, agent_hash, first, last in StaffFingerprint.objects.filter(
        ip_hash__in=given.values("ip_hash")
    ).values_list("user_id", "ip_hash", "agent_hash", "first_seen", "last_seen"):
        seen[ip_hash].append((user_id, agent_hash, first, last))
    matches: list[DeviceMatch] = []
    for event_id, satisfied, ip_hash, agent_hash, at in feedback:
        resolution = by_event.get(event_id)
        if resolution is None:
            continue
        candidates = [
            (user_id, agent == agent_hash)
            for user_id, agent, first, last in seen.get(ip_hash, [])
            if first - MATCH_WINDOW <= at <= last + MATCH_WINDOW
        ]
        if not candidates:
            continue
        # The strongest match: the resolver themself, then the same browser.
        user_id, same_device = max(
            candidates, key=lambda c: (c[0] == resolution.officer_id, c[1], -c[0])
        )
        matches.append(
            DeviceMatch(
                resolution=resolution,
                feedback_at=at,
                disputed=not satisfied,
                staff_id=user_id,
                same_device=same_device,
            )
        )
    return matches


class SameReason:
    ENTERED = "entered"
    OWN_ACCOUNT = "own_account"
    STAFF_EMAIL = "staff_email"


@dataclass(frozen=True)
class SamePeople:
    resolution: Resolution
    reason: str
    staff_id: int


def same_people(rows: Sequence[Resolution]) -> list[SamePeople]:
    """At most one query: the staff accounts with the citizens' proved e-mail addresses."""
    emails = {r.citizen_email for r in rows if r.citizen_email}
    staff_by_email: dict[str, int] = {}
    if emails:
        staff_by_email = dict(
            User.objects.exclude(role=Role.CITIZEN)
            .annotate(address=Lower("email"))
            .filter(address__in=emails)
            .order_by("pk")
            .values_list("address", "pk")
        )
    found: list[SamePeople] = []
    for row in rows:
        if row.entered_by_id is not None and row.entered_by_id == row.officer_id:
            found.append(SamePeople(row, SameReason.ENTERED, row.officer_id))
        elif row.citizen_id == row.officer_id:
            found.append(SamePeople(row, SameReason.OWN_ACCOUNT, row.officer_id))
        elif row.citizen_email and row.citizen_email in staff_by_email:
            found.append(SamePeople(row, SameReason.STAFF_EMAIL, staff_by_email[row.citizen_email]))
    return found
