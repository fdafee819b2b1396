"""Every browser test also checks that the Content-Security-Policy blocked nothing on the pages
it visited: the browser reports each violation to /csp-report, which counts it
(core/security_headers.py) in this process, where the live server runs."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from citizen_portal.core.metrics.instruments import CSP_VIOLATIONS


def _reported() -> float:
    return sum(
        sample.value
        for metric in CSP_VIOLATIONS.collect()
        for sample in metric.samples
        if sample.name.endswith("_total")
    )


@pytest.fixture(autouse=True)
def _nothing_blocked_by_the_content_security_policy() -> Iterator[None]:
    before = _reported()
    yield
    time.sleep(0.3)  # reports are sent after the event, by the browser
    assert _reported() == before, (
        "the Content-Security-Policy blocked something on a page this test visited: see the "
        "'csp violation' warnings in the log"
    )
