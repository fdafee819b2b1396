"""One set of people and objects per test module, built in a transaction that is rolled back
when the module ends; each test runs in a savepoint of it (pytest-django's `db`), so what a
request changes is undone before the next."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tests.access.objects import Objects, build_objects


@pytest.fixture(scope="module")
def objects(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Objects]:
    files = tmp_path_factory.mktemp("access")
    with (
        override_settings(
            MEDIA_ROOT=files / "media",
            SMS_BACKEND="outbox",
            SMS_OUTBOX_PATH=files / "sms.jsonl",
            # The SMS webhook configured as in production, so that it refuses an unsigned
            # request for being unsigned (401), not for being switched off (503).
            SMS_WEBHOOK_SECRET="access-matrix-webhook-secret",
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_objects()
        transaction.set_rollback(True)
