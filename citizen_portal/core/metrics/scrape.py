"""What /metrics answers: the counters of every process on this machine, and two figures read
at the moment of the scrape (so that they cost nothing between scrapes and are never stale):

- `portal_task_queue_depth`: tasks waiting in huey's queue (one query to the queue);
- `portal_complaints_overdue`: complaints overdue now across the nation, from the dashboards'
  rollups (one grouped sum over `Backlog`, never a count of complaints), as of the last
  refresh (every minute).

A figure that cannot be read (the queue or the database down) is left out of the answer and a
warning is logged: the scrape itself still succeeds, so the counters stay visible and
/readyz says what is down.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

from huey.contrib.djhuey import HUEY
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)


def multiprocess_mode() -> bool:
    return "PROMETHEUS_MULTIPROC_DIR" in os.environ


def process_registry() -> CollectorRegistry:
    """The counted metrics: this process's, or, in multiprocess mode, the sum over the files
    of every process sharing PROMETHEUS_MULTIPROC_DIR (built per scrape, as prometheus_client
    requires)."""
    if not multiprocess_mode():
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def _queue_depth() -> float | None:
    if HUEY.immediate:
        return 0.0
    try:
        return float(HUEY.storage.queue_size())
    except Exception as exc:
        logger.warning("metrics: task queue unreachable", extra={"error": str(exc)})
        return None


def _overdue() -> float | None:
    from citizen_portal.analytics.models import Scope
    from citizen_portal.analytics.selectors.figures import Focus, backlog_now

    try:
        _open, overdue = backlog_now(Focus(Scope.NATION))
        return float(overdue)
    except Exception as exc:
        logger.warning("metrics: overdue complaints unreadable", extra={"error": str(exc)})
        return None


class ScrapeTimeCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        depth = _queue_depth()
        if depth is not None:
            yield GaugeMetricFamily(
                "portal_task_queue_depth", "Background tasks waiting in the queue.", value=depth
            )
        overdue = _overdue()
        if overdue is not None:
            yield GaugeMetricFamily(
                "portal_complaints_overdue",
                "Open complaints past their due date with an office's clock running, nationwide"
                " (as of the last rollup refresh).",
                value=overdue,
            )


# auto_describe off: registering must not run the collector (a query at import time).
_SCRAPE_TIME = CollectorRegistry(auto_describe=False)
_SCRAPE_TIME.register(ScrapeTimeCollector())


def exposition() -> tuple[bytes, str]:
    """The text format body and its content type."""
    return generate_latest(process_registry()) + generate_latest(_SCRAPE_TIME), CONTENT_TYPE_LATEST
