"""Each dashboard panel's time, uncached, in-process, against the benchmark database: the
national dashboard over the last 12 months (the largest period the presets offer) and the
busiest department's, median of five runs after one warm-up. Prints
`panel<TAB>milliseconds<TAB>queries`. The served pages remember their panels until the next
refresh (analytics/views_dashboard.py); this measures what computing them costs.

Run with the portal's environment: python -m bench.panels"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import django

from bench.busiest import busiest_department


def main() -> None:
    django.setup()
    # Imported after django.setup(): they need the app registry.
    from django.utils import translation

    from citizen_portal.analytics.forms import preset_period
    from citizen_portal.analytics.models import Scope
    from citizen_portal.analytics.selectors import dashboard
    from citizen_portal.analytics.selectors.figures import Focus

    translation.activate("en")
    period = preset_period("12m")
    busiest = busiest_department()
    for label, scope, pk in (
        ("nation", Scope.NATION, 0),
        ("department", Scope.DEPARTMENT, busiest),
    ):
        _measure(label, Focus(scope, pk or 0), dashboard._node(scope, pk or 0), period)


def _measure(label: str, focus: Any, node: Any, period: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from citizen_portal.analytics import geo
    from citizen_portal.analytics.selectors import dashboard, figures

    def map_panel() -> Any:
        rows = dashboard.districts(focus, period)
        return geo.map_context(
            {r.unit.code: dashboard.map_value(r, "per_100k") for r in rows},
            metric_label="per 100,000",
            value_format="rate",
            title="map",
        )

    panels: dict[str, Callable[[], Any]] = {
        "totals": lambda: figures.totals(focus, period),
        "trend": lambda: figures.trend(focus, period),
        "level_below": lambda: dashboard.children(node, period, None, "intake"),
        "map": map_panel,
        "top_categories": lambda: dashboard.top_categories(focus, period),
        "channels": lambda: dashboard.channel_mix(focus, period),
    }
    for name, panel in panels.items():
        panel()
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                panel()
                times.append(1000 * (time.perf_counter() - start))
        print(f"{label}_{name}\t{statistics.median(times):.1f}\t{len(queries)}")


if __name__ == "__main__":
    main()
