"""How many complaints a citizen may lodge themselves: LODGE_MAX_PER_HOUR in any hour and
LODGE_MAX_PER_DAY in any 24 hours, counted from the complaints table, so that every web process
and worker sees the same count and no cache has to be shared or trusted.

What counts is what the citizen lodged through their own doors (web, offline form, API, SMS,
e-mail): complaints with no `entered_by`. Staff doors (a helpline agent, a mail-room clerk)
are accountable people lodging for a caller or a letter, and are not limited; neither is the
Open311 partner's intake account, which lodges for many people and is limited per partner
key instead (open311_post in REST_FRAMEWORK's rates). complaint_lodge decides who is limited.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint
from citizen_portal.core.errors import ApplicationError

HOUR, DAY = timedelta(hours=1), timedelta(hours=24)


class LodgingLimitReached(ApplicationError):  # noqa: N818 (reads as what happened)
    """The citizen has lodged as many as a window allows; `retry_at` is when one more fits."""

    def __init__(self, *, limit: int, window: timedelta, retry_at: datetime) -> None:
        when = formats.date_format(timezone.localtime(retry_at), "DATETIME_FORMAT")
        if window == HOUR:
            message = _(
                "You have lodged %(limit)d complaints or suggestions in the past hour, the most "
                "the portal accepts from one person. You can lodge again after %(time)s."
            )
        else:
            message = _(
                "You have lodged %(limit)d complaints or suggestions in the past 24 hours, the "
                "most the portal accepts from one person. You can lodge again after %(time)s."
            )
        super().__init__(message % {"limit": limit, "time": when}, code="lodging_limit")
        self.limit = limit
        self.window = window
        self.retry_at = retry_at

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait (for a Retry-After header), at least one."""
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds()))


def lodging_limit_check(*, citizen: User) -> None:
    """Raise LodgingLimitReached when `citizen` may not lodge one more now.

    Read against `timezone.now()`, not core/clock: `created_at` is written by auto_now_add
    with the real time, and the windows must be measured on the same clock as the rows. One
    query, served by the `citizen_list` index (citizen, -created_at): the newest rows of the
    last 24 hours, no more of them than the larger limit, since only those can decide."""
    per_hour, per_day = settings.LODGE_MAX_PER_HOUR, settings.LODGE_MAX_PER_DAY
    if per_hour <= 0 and per_day <= 0:
        return  # both limits off
    now = timezone.now()
    newest = list(
        Complaint.objects.filter(citizen=citizen, entered_by__isnull=True, created_at__gt=now - DAY)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: max(per_hour, per_day)]
    )
    refusals = []
    for limit, window in ((per_hour, HOUR), (per_day, DAY)):
        inside = [at for at in newest if at > now - window]  # newest first
        if 0 < limit <= len(inside):
            # One more fits once the limit-th newest has left the window.
            retry_at = inside[limit - 1] + window
            refusals.append(LodgingLimitReached(limit=limit, window=window, retry_at=retry_at))
    if refusals:
        # The window that frees a place last is the one the citizen has to wait for.
        raise max(refusals, key=lambda refusal: refusal.retry_at)


def lodging_limit_lock(*, citizen: User) -> None:
    """Inside the lodging transaction: take the citizen's row, then count again. Two lodgings
    by one citizen at the same moment (two tabs, an app retrying without its key) then count
    one after the other: on PostgreSQL the second waits for the first's commit here; on SQLite
    the IMMEDIATE transaction already holds the database's write lock (settings.DATABASES).
    FOR NO KEY UPDATE, so that other inserts that merely refer to the citizen (a staff door
    lodging for them, a notification) do not wait."""
    list(User.objects.select_for_update(no_key=True).filter(pk=citizen.pk).values_list("pk"))
    lodging_limit_check(citizen=citizen)
