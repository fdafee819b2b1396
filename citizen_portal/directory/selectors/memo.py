"""What lodging reads of the directory on every request, remembered in the process.

Every lodge looks up its category and district by code, routes (two lineages and the rules)
and counts the deadline in working days (the holidays): seven small queries for data that
changes a few times a year. Issue 7's benchmark found that compiling and running them was
half of a lodge's cost. Here they are read once and kept for DIRECTORY_MEMO_SECONDS (5 s by
default; 0 turns the memo off):

- a change saved through the models in this process (the admin, the directory's forms and
  loaders) empties the memo at once (signals below);
- every other process sees a change within DIRECTORY_MEMO_SECONDS, however it was made (other
  web workers, the worker, a bulk `UPDATE`, SQL by hand).

Lodging reads through the memo, and so does the notifications worker (the posts, offices and
departments its messages name, and who holds a post: notifications/services/events.py and
officers.py). An administrator's pages (where would this go?) and the officers' actions read
the tables. What is remembered is treated as read-only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    Holiday,
    Office,
    Position,
    PositionHolding,
    RoutingRule,
    Tier,
)
from citizen_portal.directory.selectors.calendar import due_date
from citizen_portal.directory.selectors.routing import RoutingDecision, route_for

T = TypeVar("T")

# Enough for every category, district and route a busy hour sees; past it the memo starts
# again rather than grow without end.
MAX_ENTRIES = 20_000

# The models whose rows the memo holds or routing reads.
WATCHED: tuple[type[Model], ...] = (
    AdminUnit,
    Category,
    Department,
    Holiday,
    Office,
    Position,
    PositionHolding,
    RoutingRule,
    Tier,
)


class Memo:
    def __init__(self) -> None:
        self._values: dict[tuple[Any, ...], Any] = {}
        self._since = time.monotonic()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._values = {}
            self._since = time.monotonic()

    def get(self, key: tuple[Any, ...], load: Callable[[], T]) -> T:
        seconds = settings.DIRECTORY_MEMO_SECONDS
        if seconds <= 0:
            return load()
        if time.monotonic() - self._since > seconds or len(self._values) > MAX_ENTRIES:
            self.clear()
        values = self._values
        try:
            found: T = values[key]
            return found
        except KeyError:
            pass
        value = load()
        # Kept only if nothing emptied the memo while it loaded: what was read may predate
        # the change that emptied it.
        with self._lock:
            if self._values is values:
                values[key] = value
        return value


memo = Memo()


def _changed(**kwargs: Any) -> None:
    memo.clear()


for _model in WATCHED:
    post_save.connect(_changed, sender=_model, dispatch_uid=f"directory-memo-save-{_model}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"directory-memo-delete-{_model}")


def category_by_code(code: str) -> Category | None:
    """The category with `code`, with its department and tier (None: no such code)."""
    return memo.get(
        ("category", code),
        lambda: Category.objects.select_related("department__tier").filter(code=code).first(),
    )


def area_by_code(code: str) -> AdminUnit | None:
    return memo.get(("area", code), lambda: AdminUnit.objects.filter(code=code).first())


def route_remembered(*, category: Category, area: AdminUnit) -> RoutingDecision:
    """route_for, remembered per (category, area)."""
    return memo.get(
        ("route", category.pk, area.pk), lambda: route_for(category=category, area=area)
    )


def due_date_remembered(*, tier: Tier, start: date, working_days: int) -> date:
    """due_date, remembered per (tier, start, working days)."""
    return memo.get(
        ("due", tier.pk, start, working_days),
        lambda: due_date(tier=tier, start=start, working_days=working_days),
    )


def position_by_id(pk: int) -> Position | None:
    """The post with its office, and its supervisor post with its office: what a message
    names."""
    return memo.get(
        ("position", pk),
        lambda: (
            Position.objects.select_related("office", "supervisor__office").filter(pk=pk).first()
        ),
    )


def department_by_id(pk: int) -> Department | None:
    return memo.get(
        ("department", pk),
        lambda: Department.objects.select_related("tier").filter(pk=pk).first(),
    )
