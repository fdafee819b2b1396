"""Shared test fixtures: a small directory, and real local peers (SMS outbox, SMTP server, HTTP
SMS gateway). Nothing here is a mock object."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from citizen_portal.core.tests.sms_gateway import Gateway, GatewayServer


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/lib/chromium/chromium",
        "args": [
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class SmsOutbox:
    """Reads the SMS outbox file the way an operator would: one JSON object per line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def messages(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text("utf-8").splitlines()]

    def last_code(self, to: str) -> str:
        for message in reversed(self.messages()):
            if message["to"] == to:
                return "".join(ch for ch in message["body"].split(":")[1] if ch.isdigit())[:6]
        raise AssertionError(f"no SMS to {to}")


@pytest.fixture
def sms_outbox(settings: Any, tmp_path: Path) -> SmsOutbox:
    settings.SMS_BACKEND = "outbox"
    settings.SMS_OUTBOX_PATH = tmp_path / "sms.jsonl"
    return SmsOutbox(settings.SMS_OUTBOX_PATH)


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[Gateway]:
    """A real HTTP server on localhost that accepts SMS the way a gateway would."""
    server = GatewayServer()
    server.start()
    yield server.gateway
    server.stop()


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[list[Any]]:
    """A real SMTP server on localhost (aiosmtpd); Django sends to it over SMTP."""
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope)
            return "250 Message accepted for delivery"

    with socket.socket() as probe:  # a free port: aiosmtpd cannot start on port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield received
    controller.stop()


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    """A small directory: LESCO with a chain of three positions in Lahore, plus a stranger
    (directory/tests/world.py)."""
    from citizen_portal.directory.tests.world import build_world

    return build_world()


@pytest.fixture(autouse=True, scope="session")
def _fast_flush_on_postgresql() -> None:
    """Transactional tests empty PostgreSQL with DELETE, not TRUNCATE (core/tests/fast_flush.py)."""
    from citizen_portal.core.tests.fast_flush import install

    install()


@pytest.fixture(autouse=True)
def _clock_at_now() -> Iterator[None]:
    """Every test starts at the real time; `travel` moves the portal's clock forward."""
    from citizen_portal.core import clock

    clock.reset()
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _cache_empty() -> None:
    """Every test starts with an empty cache (the dashboards remember their panels)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def travel() -> Callable[..., None]:
    """Move the portal's clock forward: travel(days=8)."""
    from datetime import timedelta

    from citizen_portal.core import clock

    def move(**delta: float) -> None:
        clock.travel(timedelta(**delta))

    return move


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """A request in Urdu leaves Urdu active on the thread; every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _directory_memo_empty() -> Iterator[None]:
    """Lodging remembers directory rows per process (directory/selectors/memo.py); a test's
    rows are rolled back after it, so every test starts with the memo empty."""
    from citizen_portal.directory.selectors.memo import memo

    memo.clear()
    yield
    memo.clear()


@pytest.fixture(autouse=True)
def _category_model_forgotten() -> Iterator[None]:
    """A web process keeps the active suggestion model and its resolution table for a minute
    (intelligence/selectors/suggest.py); a test's model is rolled back after it, so every test
    starts with none remembered."""
    from citizen_portal.intelligence.selectors.resolution import table_forget
    from citizen_portal.intelligence.selectors.suggest import active_model_forget

    active_model_forget()
    table_forget()
    yield
    active_model_forget()
    table_forget()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Any]:
    """moto's S3 server on a free local port, one per test process (core/tests/object_store.py)."""
    from citizen_portal.core.tests.object_store import start_s3_server

    server = start_s3_server()
    yield server
    server.stop()


def _store_files_in(bucket: Any, settings: Any, tmp_path: Path) -> None:
    from citizen_portal.core.deployment import s3_storage

    # What settings.py builds from the same environment variables; MEDIA_ROOT is pointed at an
    # empty folder so that a test can tell that nothing was written to local disk instead.
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(bucket.environ())}
    settings.MEDIA_ROOT = tmp_path / "media-unused"


@pytest.fixture
def object_store(s3_server: Any, settings: Any, tmp_path: Path) -> Any:
    """Files go to a new, empty bucket of the shared S3 server for this test."""
    bucket = s3_server.new_bucket()
    _store_files_in(bucket, settings, tmp_path)
    return bucket


@pytest.fixture
def failing_object_store(settings: Any, tmp_path: Path) -> Iterator[Any]:
    """Files go to a bucket on an S3 server of this test's own, which the test may stop
    (`bucket.server.stop()`) to see what people meet when the object store is down."""
    from citizen_portal.core.tests.object_store import start_s3_server

    server = start_s3_server()
    bucket = server.new_bucket()
    _store_files_in(bucket, settings, tmp_path)
    yield bucket
    server.stop()
