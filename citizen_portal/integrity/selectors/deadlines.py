"""Signal 1, deadline bunching: a resolution is "at the deadline" when it was made within the
last `window` working days up to and including its due date, where the window is the last
tenth of the category's deadline, and never less than the due date and the working day
before it: max(MIN_WINDOW, ⌈deadline ÷ 10⌉) working days. Late resolutions are not counted
here (they are the scorecard's "overdue"), nor resolutions without a due date (suggestions).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from datetime import date, timedelta

from django.conf import settings

from citizen_portal.directory.models import Category, Department
from citizen_portal.directory.selectors.calendar import holidays_for
from citizen_portal.integrity.selectors.resolutions import Resolution

MIN_WINDOW = 2
TENTH = 10


def windows_for(department: Department) -> dict[int, int]:
    """Each category's window in working days (one query)."""
    return {
        pk: max(MIN_WINDOW, math.ceil(days / TENTH))
        for pk, days in Category.objects.filter(department=department).values_list(
            "pk", "deadline_working_days"
        )
    }


def working_days_left(start: date, due: date, holidays: Collection[date], limit: int) -> int:
    """Working days after `start` up to and including `due`, counting no further than
    `limit` (the window is all that matters)."""
    weekend = set(settings.PORTAL_WEEKEND_DAYS)
    count, day = 0, start
    while day < due and count < limit:
        day += timedelta(days=1)
        if day.weekday() not in weekend and day not in holidays:
            count += 1
    return count


class DeadlineJudge:
    """Whether each resolution was made at the deadline: one query for the windows and one
    for the tier's holidays over the period's due dates."""

    def __init__(self, department: Department, rows: Sequence[Resolution]) -> None:
        self.windows = windows_for(department)
        dues = [r.due_on for r in rows if r.due_on is not None]
        self.holidays: set[date] = (
            holidays_for(department.tier, min(r.resolved_on for r in rows), max(dues))
            if dues
            else set()
        )

    def window(self, row: Resolution) -> int:
        return self.windows.get(row.category_id, MIN_WINDOW)

    def counts(self, row: Resolution) -> bool:
        """Whether the resolution is judged at all: it had a due date and met it."""
        return row.due_on is not None and row.resolved_on <= row.due_on

    def at_deadline(self, row: Resolution) -> bool:
        if row.due_on is None or not self.counts(row):
            return False
        window = self.window(row)
        return working_days_left(row.resolved_on, row.due_on, self.holidays, window) < window
