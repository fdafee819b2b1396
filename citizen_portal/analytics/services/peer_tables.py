"""The peers' counts for the officers' performance score, counted once and kept.

Counting every office's resolutions, arrivals and misses per category over a year reads
millions of events at national scale (about 30 s at 10,000,000 complaints), and the answer is
the same for every officer scored over that period. So it is kept in `PeerTable`: a report
uses the kept table while it is younger than `OFFICER_PEERS_MAX_AGE_SECONDS` (an hour by
default) and counts afresh otherwise; every hour the worker counts the periods people ask for
most, so that nobody waits for them. The officer's own figures are always counted live.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from citizen_portal.analytics.forms import PRESETS, preset_period
from citizen_portal.analytics.models import PeerTable
from citizen_portal.analytics.selectors.officer_score import (
    Counts,
    peer_counts,
)
from citizen_portal.analytics.selectors.officer_score import (
    PeerTable as Table,
)
from citizen_portal.complaints.selectors.performance import Period, period_of
from citizen_portal.core import clock

_FIELDS = ("resolved", "on_time", "feedback", "satisfied", "received", "missed")


def _encode(table: Table) -> list[list[int]]:
    return [
        [category_id, office_id, *(getattr(counts, f) for f in _FIELDS)]
        for (category_id, office_id), counts in sorted(table.items())
    ]


def _decode(rows: list[list[int]]) -> Table:
    return {(row[0], row[1]): Counts(*row[2:]) for row in rows}


def peer_table_count(period: Period) -> Table:
    """Count the period's table afresh and keep it."""
    table = peer_counts(period)
    values = {"computed_at": clock.now(), "rows": _encode(table)}
    try:
        with transaction.atomic():
            PeerTable.objects.update_or_create(
                since=period.since, until=period.until, defaults=values
            )
    except IntegrityError:  # another process kept the same period meanwhile: theirs stands
        pass
    return table


def peer_table(period: Period) -> Table:
    """The period's table: the kept one while fresh enough, else counted afresh."""
    fresh_since = clock.now() - timedelta(seconds=settings.OFFICER_PEERS_MAX_AGE_SECONDS)
    kept = (
        PeerTable.objects.filter(
            since=period.since, until=period.until, computed_at__gte=fresh_since
        )
        .values_list("rows", flat=True)
        .first()
    )
    if kept is not None:
        return _decode(kept)
    return peer_table_count(period)


def peer_tables_refresh() -> int:
    """Count the tables of the periods people ask for most — an officer's report's default
    (the last 90 days) and the dashboards' presets — (the worker, every hour) and forget
    tables not counted for a day. Returns how many were counted."""
    periods = {period_of()} | {
        preset_period(preset) for preset, _label in PRESETS if preset != "custom"
    }
    for period in periods:
        peer_table_count(period)
    PeerTable.objects.filter(computed_at__lt=clock.now() - timedelta(days=1)).delete()
    return len(periods)
