"""Fixtures of the intake tests: the small world of the root conftest, plus the general
category that unsorted e-mail and SMS complaints are lodged under."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from citizen_portal.directory.models import Category
from citizen_portal.intake.tests.factories import general_category


@pytest.fixture
def general(world: SimpleNamespace, settings: Any) -> Category:
    return general_category(world, settings)
