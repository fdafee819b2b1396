"""Shared by the API's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Iterator[None]:
    """The rate limits count in the cache, which outlives the database between tests."""
    cache.clear()
    yield
    cache.clear()
