"""The daily detection: raise an alert for each new unusual rise, refresh the ones still
standing, close the ones back to normal.

1. Judge every (category, district) over the last nine weeks (selectors/detection.py).
2. For each unusual one: an alert already standing (open or acknowledged) gets the latest
   figures and stays as it is — no second alert, no second message; otherwise a new alert is
   raised and the department's focal person(s) told, in the same transaction.
3. Every standing alert whose (category, district) is no longer unusual — the last seven days
   are back to normal, a full window — is closed.

Safe to run twice, or twice at once: the partial unique constraint allows one standing alert
per (category, district), and a second raise meets it and is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from citizen_portal.core import clock
from citizen_portal.directory.models import Category
from citizen_portal.hotspots.models import HotspotAlert
from citizen_portal.hotspots.selectors.detection import Judgement, Rule, Window, judgements
from citizen_portal.hotspots.services.notify import alert_notify

logger = logging.getLogger(__name__)

STANDING = (HotspotAlert.Status.OPEN, HotspotAlert.Status.ACKNOWLEDGED)


@dataclass
class Outcome:
    raised: list[HotspotAlert] = field(default_factory=list)
    refreshed: int = 0
    closed: int = 0
    judged: int = 0


def _figures(judgement: Judgement, window: Window) -> dict[str, object]:
    return {
        "window_start": window.start,
        "window_end": window.end,
        "count": judgement.count,
        "baseline": judgement.baseline,
        "ratio": judgement.ratio,
        "p_value": judgement.p_value,
    }


def _raise(judgement: Judgement, window: Window, department_id: int) -> HotspotAlert | None:
    try:
        with transaction.atomic():
            alert = HotspotAlert.objects.create(
                category_id=judgement.category_id,
                district_id=judgement.district_id,
                department_id=department_id,
                peak_count=judgement.count,
                **_figures(judgement, window),
            )
            alert_notify(alert)
    except IntegrityError:  # raised meanwhile by another run
        return None
    return alert


def _refresh(alerts: list[tuple[HotspotAlert, Judgement]], window: Window) -> int:
    """Step 2 for alerts still standing: the latest figures, in one UPDATE per batch (the
    status and the acknowledgement are left alone: a focal person may be acknowledging)."""
    if not alerts:
        return 0
    now = clock.now()
    for alert, judgement in alerts:
        for name, value in _figures(judgement, window).items():
            setattr(alert, name, value)
        alert.peak_count = max(alert.peak_count, judgement.count)
        alert.updated_at = now
    fields = [*_figures(alerts[0][1], window), "peak_count", "updated_at"]
    HotspotAlert.objects.bulk_update([a for a, _ in alerts], fields, batch_size=500)
    return len(alerts)


def hotspots_detect(*, today: date | None = None, rule: Rule | None = None) -> Outcome:
    """Steps 1–3 as of the morning of `today` (default: today)."""
    today = today or clock.today()
    window = Window.before(today)
    judged = judgements(today, rule)
    outcome = Outcome(judged=len(judged))
    unusual = {(j.category_id, j.district_id): j for j in judged if j.unusual}
    standing = {
        (a.category_id, a.district_id): a for a in HotspotAlert.objects.filter(status__in=STANDING)
    }
    departments = dict(
        Category.objects.filter(pk__in={key[0] for key in unusual}).values_list(
            "pk", "department_id"
        )
    )
    still = [(standing[key], j) for key, j in sorted(unusual.items()) if key in standing]
    outcome.refreshed = _refresh(still, window)
    for key, judgement in sorted(unusual.items()):
        if key in standing:
            continue
        alert = _raise(judgement, window, departments[key[0]])
        if alert is not None:
            outcome.raised.append(alert)
    gone = [a.pk for key, a in standing.items() if key not in unusual]
    if gone:
        outcome.closed = HotspotAlert.objects.filter(pk__in=gone, status__in=STANDING).update(
            status=HotspotAlert.Status.CLOSED, closed_at=clock.now()
        )
    logger.info(
        "hotspots detected",
        extra={
            "judged": outcome.judged,
            "raised": len(outcome.raised),
            "refreshed": outcome.refreshed,
            "closed": outcome.closed,
        },
    )
    return outcome
