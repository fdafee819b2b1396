"""The officers' daily digest: what is overdue, what falls due within two working days, and
what else waits for them, at the posts they hold and at the vacant posts directly below.

1. Read who holds which post now, and the vacant posts directly below held posts (2 queries).
2. Work out per tier the last day that counts as "due soon": two working days from today,
   skipping weekends and the holidays that tier observes (2 queries).
3. Count the waiting complaints per post and group (one grouped query), and read the most
   urgent LIST_SIZE of each post and group with a window function (one query).
4. Load the officers who have anything waiting (one query); for each, one in-app notification
   and, with an address, one e-mail, unless they already had today's digest.

Idempotent per day without a table of its own: the in-app notification's link carries the day
(`/work/?digest=2026-01-15`), and it is looked for under a lock on the officer's row before
anything is sent, so a second run the same day (or two workers at once) sends nothing more.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Kind, Status
from citizen_portal.core import clock
from citizen_portal.directory.models import Holiday, Position, PositionHolding, Tier
from citizen_portal.directory.selectors.calendar import FEDERAL, add_working_days
from citizen_portal.notifications.models import Notification
from citizen_portal.notifications.services.delivery import (
    BODY_MAX,
    TITLE_MAX,
    Letter,
    absolute,
    channels_queue,
    render_text,
)

logger = logging.getLogger(__name__)

OVERDUE, SOON, WAITING = "overdue", "soon", "waiting"
GROUPS = (OVERDUE, SOON, WAITING)
SOON_WORKING_DAYS = 2
LIST_SIZE = 20
# Statuses in which the next step is the officer's (not the citizen's).
ACTIONABLE = (Status.TRIAGE, Status.ASSIGNED)


@dataclass
class Item:
    reference: str
    subject: str
    due_on: date | None
    created_at: datetime
    vacant_post: Position | None
    url: str = ""


@dataclass
class Digest:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    items: dict[str, list[Item]] = field(default_factory=lambda: {g: [] for g in GROUPS})

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _current_holdings() -> QuerySet[PositionHolding]:
    return PositionHolding.objects.filter(ended_at__isnull=True)


def _held_posts() -> QuerySet[PositionHolding, Any]:
    """Ids of the active posts an active officer holds now (a subquery)."""
    return (
        _current_holdings()
        .filter(position__is_active=True, user__is_active=True)
        .values("position_id")
    )


def _vacant_below_held() -> QuerySet[Position]:
    # Not exclude(holdings__ended_at__isnull=True): a post never held joins to a NULL row.
    return Position.objects.filter(is_active=True, supervisor_id__in=_held_posts()).exclude(
        pk__in=_current_holdings().values("position_id")
    )


def _posts() -> tuple[dict[int, set[int]], dict[int, Position]]:
    """Step 1: each officer's posts (held, and vacant directly below held), and the vacant
    posts by id (to name them in the digest)."""
    held: dict[int, set[int]] = defaultdict(set)
    holders: dict[int, int] = {}
    for user_id, position_id in (
        _current_holdings()
        .filter(position__is_active=True, user__is_active=True)
        .values_list("user_id", "position_id")
    ):
        held[user_id].add(position_id)
        holders[position_id] = user_id
    vacant = {
        p.pk: p for p in _vacant_below_held().only("pk", "supervisor_id", "title_en", "title_ur")
    }
    for post in vacant.values():
        if post.supervisor_id in holders:
            held[holders[post.supervisor_id]].add(post.pk)
    return held, vacant


def _soon_until(today: date) -> dict[int, date]:
    """Step 2: per tier, the last day within SOON_WORKING_DAYS working days of today."""
    tiers = dict(Tier.objects.values_list("pk", "code"))
    federal = {pk for pk, code in tiers.items() if code == FEDERAL}
    holidays: dict[int, set[date]] = defaultdict(set)
    for tier_id, day in Holiday.objects.filter(
        date__gt=today, date__lte=today + timedelta(days=31)
    ).values_list("tier_id", "date"):
        holidays[tier_id].add(day)
    observed_by_all = set().union(*(holidays[pk] for pk in federal))
    return {
        pk: add_working_days(today, SOON_WORKING_DAYS, holidays[pk] | observed_by_all)
        for pk in tiers
    }


def _group(today: date) -> Case:
    """Overdue, due soon (by the complaint's tier's calendar) or waiting, in SQL."""
    soon = [
        When(department__tier_id=tier_id, due_on__lte=until, then=Value(SOON))
        for tier_id, until in _soon_until(today).items()
    ]
    return Case(
        When(due_on__lt=today, then=Value(OVERDUE)),
        *soon,
        default=Value(WAITING),
        output_field=CharField(),
    )


def _waiting_work() -> QuerySet[Complaint]:
    """Complaints whose next step is an officer's, at held posts and vacant ones below."""
    at_posts = Q(assigned_position__in=_held_posts()) | Q(
        assigned_position__in=_vacant_below_held().values("pk")
    )
    return Complaint.objects.filter(at_posts, kind=Kind.COMPLAINT, status__in=ACTIONABLE)


def _merge(
    posts_of: dict[int, set[int]],
    per_post: dict[int, dict[str, int]],
    listed: dict[int, list[tuple[str, Item]]],
) -> dict[int, Digest]:
    """Each officer's digest from those of their posts; officers with nothing are left out."""
    digests: dict[int, Digest] = {}
    for user_id, posts in posts_of.items():
        digest = Digest()
        for post_id in posts:
            for group, n in per_post.get(post_id, {}).items():
                digest.counts[group] += n
            for group, item in listed.get(post_id, []):
                digest.items[group].append(item)
        if digest.total:
            for group in GROUPS:
                digest.items[group].sort(key=lambda i: (i.due_on or date.max, i.created_at))
                del digest.items[group][LIST_SIZE:]
            digests[user_id] = digest
    return digests


def digests_build(today: date) -> dict[int, Digest]:
    """Steps 1–3: every officer with something waiting, and what."""
    posts_of, vacant = _posts()
    work = _waiting_work().annotate(group=_group(today))
    per_post: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(GROUPS, 0))
    for row in work.values("assigned_position_id", "group").annotate(n=Count("pk")).order_by():
        per_post[row["assigned_position_id"]][row["group"]] = row["n"]
    urgent = Window(
        RowNumber(),
        partition_by=[F("assigned_position_id"), F("group")],
        order_by=[F("due_on").asc(nulls_last=True), F("created_at").asc(), F("pk").asc()],
    )
    listed: dict[int, list[tuple[str, Item]]] = defaultdict(list)
    rows = (
        work.annotate(rank=urgent)
        .filter(rank__lte=LIST_SIZE)
        .values("assigned_position_id", "group", "reference", "subject", "due_on", "created_at")
    )
    for entry in rows:
        post_id = entry["assigned_position_id"]
        item = Item(
            reference=entry["reference"],
            subject=entry["subject"],
            due_on=entry["due_on"],
            created_at=entry["created_at"],
            vacant_post=vacant.get(post_id),
        )
        listed[post_id].append((entry["group"], item))
    return _merge(posts_of, per_post, listed)


def digest_marker(today: date) -> str:
    """The digest's link, which also marks whose digest of which day was sent."""
    return f"{reverse('complaints:inbox')}?digest={today.isoformat()}"


def _letter(officer: User, digest: Digest, today: date) -> Letter:
    for items in digest.items.values():
        for item in items:
            item.url = absolute(reverse("complaints:work_detail", args=[item.reference]))
    marker = digest_marker(today)
    context = {
        "recipient": officer,
        "officer": True,
        "today": today,
        "counts": digest.counts,
        "total": digest.total,
        "overdue": digest.items[OVERDUE],
        "soon": digest.items[SOON],
        "waiting": digest.items[WAITING],
        "url": absolute(marker),
    }
    with translation.override(officer.preferred_language):
        title = render_text("notifications/digest/subject.txt", context)
        body = render_text("notifications/digest/inapp.txt", context)
        email_body = render_text("notifications/digest/email.txt", context)
    return Letter(
        title=Truncator(" ".join(title.split())).chars(TITLE_MAX),
        body=Truncator(body).chars(BODY_MAX),
        url=marker,
        email_body=email_body + "\n",
    )


def digest_send(*, officer: User, digest: Digest, today: date) -> bool:
    """Step 4 for one officer: False if they already had today's digest."""
    letter = _letter(officer, digest, today)
    with transaction.atomic():
        # Serialises two runs for the same officer (SQLite: the IMMEDIATE transaction already
        # does), so that the check below and the insert cannot interleave.
        list(User.objects.select_for_update().filter(pk=officer.pk).values_list("pk"))
        sent = Notification.objects.filter(user=officer, event__isnull=True, url=letter.url)
        if sent.exists():
            return False
        Notification.objects.create(
            user=officer, title=letter.title, body=letter.body, url=letter.url
        )
        channels_queue(letter=letter, email_to=officer.email)
    return True


def digests_send(today: date | None = None) -> int:
    """Send today's digest to every officer with work waiting; returns how many were sent."""
    today = today or clock.today()
    digests = digests_build(today)
    sent = 0
    for officer in User.objects.filter(pk__in=digests).order_by("pk"):
        try:
            sent += digest_send(officer=officer, digest=digests[officer.pk], today=today)
        except Exception:  # one officer's failure must not stop the others
            logger.exception("digest failed", extra={"user": officer.pk})
    logger.info("digests sent", extra={"sent": sent, "officers": len(digests)})
    return sent
