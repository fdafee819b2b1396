"""The production-topology suite (`make test-prod`, run by `.ci/run`): the portal as it is
deployed, on this one machine. Every test here carries the `production` marker, which
`make test` deselects (pyproject.toml) because these tests need what the embedded default must
not: PostgreSQL, Redis, nginx and root (to restart PostgreSQL, to mount a small disk)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.production.topology import Topology, start

# Complaints of the past year in the demo data: enough for an export that takes a few seconds.
HISTORY = 1500


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/production/" in item.nodeid:
            item.add_marker(pytest.mark.production)
            # The run's certificate is its own: requests to it are unverified on purpose.
            item.add_marker(
                pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
            )


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    """The whole topology, started once for the suite (about a minute) and stopped after it."""
    topology = start(tmp_path_factory.mktemp("production"), history=HISTORY)
    yield topology
    topology.stop()
