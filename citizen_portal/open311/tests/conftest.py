"""Open311 fixtures: partners with keys and intake accounts, and fresh rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from citizen_portal.open311.tests.helpers import make_partner


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Throttle counters live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(world: SimpleNamespace) -> SimpleNamespace:
    """Punjab's 1122 app, posting through its own intake account."""
    return make_partner("Punjab 1122 app", "+923219990000")


@pytest.fixture
def other_partner(world: SimpleNamespace) -> SimpleNamespace:
    return make_partner("Lahore city app", "+923218880000")
