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
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
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


# For one window: the citizen's n-th newest lodging inside it (OFFSET n - 1), or NULL.
_NTH_NEWEST = (
    '(SELECT "created_at" FROM "complaints_complaint" WHERE "citizen_id" = %s '
    'AND "entered_by_id" IS NULL AND "created_at" > %s '
    'ORDER BY "created_at" DESC LIMIT 1 OFFSET %s)'
)


def lodging_limit_check(*, citizen: User) -> None:
    """Raise LodgingLimitReached when `citizen` may not lodge one more now.

    One statement, for each window with a limit: the citizen's `limit`-th newest lodging inside
    it, found by the database on the `citizen_list` index (citizen, -created_at); when there is
    one, the window is full until that lodging leaves it. Only that row reaches Python however
    many the citizen lodged (with the benchmark's raised limits, the rows of the whole day were
    read, over a hundred per check by the end of a run), and the statement is written out
    because it runs twice in every lodging and the ORM's subqueries cost more to build than
    the statement costs to run.

    Read against `timezone.now()`, not core/clock: `created_at` is written by auto_now_add with
    the real time, and the windows must be measured on the same clock as the rows."""
    now = timezone.now()
    limits = ((settings.LODGE_MAX_PER_HOUR, HOUR), (settings.LODGE_MAX_PER_DAY, DAY))
    windows = [(limit, window) for limit, window in limits if limit > 0]
    if not windows:
        return  # both limits off
    params: list[Any] = []
    for limit, window in windows:
        params += [citizen.pk, connection.ops.adapt_datetimefield_value(now - window), limit - 1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([_NTH_NEWEST] * len(windows)), params)
        found = cursor.fetchone()
    refusals = [
        LodgingLimitReached(limit=limit, window=window, retry_at=nth + window)
        for (limit, window), value in zip(windows, found, strict=True)
        if (nth := _moment(value)) is not None
    ]
    if refusals:
        raise max(refusals, key=lambda refusal: refusal.retry_at)


def _moment(value: datetime | str | None) -> datetime | None:
    """A created_at as the cursor gives it: aware (PostgreSQL), or naive or text in UTC
    (SQLite, as Django stores it there)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def lodging_limit_lock(*, citizen: User) -> None:
    """Inside the lodging transaction: take the citizen's row, then count again. Two lodgings
    by one citizen at the same moment (two tabs, an app retrying without its key) then count
    one after the other: on PostgreSQL the second waits for the first's commit here; on SQLite
    the IMMEDIATE transaction already holds the database's write lock (settings.DATABASES).
    FOR NO KEY UPDATE, so that other inserts that merely refer to the citizen (a staff door
    lodging for them, a notification) do not wait. Two statements, not one: a statement that
    waited for the lock still reads with the snapshot it started with, which misses the
    lodging whose commit it waited for."""
    list(User.objects.select_for_update(no_key=True).filter(pk=citizen.pk).values_list("pk"))
    lodging_limit_check(citizen=citizen)
