"""Fixtures of the audit tests: the audit logger's lines as production writes them (the JSON
formatter and the request-id filter of settings.LOGGING), and the records written so far."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from citizen_portal.audit.models import AuditRecord
from citizen_portal.core.logging import JsonFormatter
from citizen_portal.core.request_id import RequestIdFilter


class AuditLines:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def text(self) -> str:
        return self.stream.getvalue()

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text().splitlines()]


@pytest.fixture
def audit_lines() -> Iterator[AuditLines]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("citizen_portal.audit")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield AuditLines(stream)
    logger.removeHandler(handler)
    logger.setLevel(previous)


def records(action: str, **filters: Any) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action, **filters).order_by("pk"))


def everything_recorded() -> str:
    """Every stored value of every record, as one text to search for secrets."""
    return json.dumps(list(AuditRecord.objects.values()), default=str, ensure_ascii=False)
